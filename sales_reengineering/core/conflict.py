"""Deal-conflict matching between a new protection request and existing protections.

A dealer (or a direct salesperson, owner ``"direct:<sales person>"``) registers a customer/deal for
protection.  :func:`find_conflicts` finds the still-valid protections of *other* owners that refer
to the same company, matched in this priority:

1. ``"customer"`` - the same ERPNext Customer link (exact, after stripping whitespace);
2. ``"credit_code"`` - the same **valid** unified social credit code (after
   :func:`normalize_credit_code`; invalid codes never match);
3. ``"name"`` - the same non-empty normalised company name (:func:`normalize_company_name`).

Company-name normalisation (applied until the result no longer changes)
    1. Unicode NFKC (full-width → half-width) and case-folding.
    2. Bracketed qualifiers are removed when their content is 2-4 CJK characters or a known
       region name (provinces with their suffixes, e.g. ``(内蒙古自治区)``, or names such as
       ``(Beijing)``/``(China)``); the brackets of any other content are dropped, the content kept.
    3. Every character that is not a letter, mark or digit (punctuation of any script such as
       full-width comma, 。, 、, ·, symbols, whitespace) separates words.
    4. Trailing English legal-form words are dropped (co, ltd, limited, inc, incorporated, corp,
       corporation, company, group, llc, plc) as long as one word remains; words are then joined
       without spaces.
    5. Trailing Chinese legal-form words are dropped repeatedly, longest first: 有限责任公司,
       股份有限公司, 有限公司, 集团, 股份, 公司, 责任 (a name made only of these becomes ``""``).
    6. Leading provincial-level region names (all 34, with an optional 省/市/自治区/特别行政区
       suffix) are dropped, unless nothing would remain or the rest starts with a word of
       :data:`REGION_BOUND_WORDS` (银行, 大学, 医院, 移动 ...), where the region is part of the
       identity: ``北京银行`` and ``上海银行`` must not both become ``银行``.

    So ``北京华为技术有限公司``, ``华为技术(北京)有限公司`` (also with full-width brackets) and
    ``华为技术有限公司`` all become ``华为技术``.

    Known limitation: the prefix rule is purely textual, so ``北京市政建设`` loses ``北京市`` and
    becomes ``政建设``; both sides of a comparison are normalised alike, so matching still works, but
    names that differ only by their leading province are treated as the same company.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

__all__ = [
	"CREDIT_CODE_CHARSET",
	"CREDIT_CODE_WEIGHTS",
	"REASONS",
	"REGION_BOUND_WORDS",
	"Conflict",
	"ConflictError",
	"Protection",
	"credit_code_check_char",
	"find_conflicts",
	"is_valid_credit_code",
	"normalize_company_name",
	"normalize_credit_code",
]


class ConflictError(ValueError):
	"""Invalid conflict-matching input (bad date, malformed credit-code body ...)."""


REASONS = ("customer", "credit_code", "name")
"""Match reasons in priority order."""

PROVINCES = (
	# municipalities
	"北京",
	"天津",
	"上海",
	"重庆",
	# provinces
	"河北",
	"山西",
	"辽宁",
	"吉林",
	"黑龙江",
	"江苏",
	"浙江",
	"安徽",
	"福建",
	"江西",
	"山东",
	"河南",
	"湖北",
	"湖南",
	"广东",
	"海南",
	"四川",
	"贵州",
	"云南",
	"陕西",
	"甘肃",
	"青海",
	"台湾",
	# autonomous regions
	"内蒙古",
	"广西",
	"西藏",
	"宁夏",
	"新疆",
	# special administrative regions
	"香港",
	"澳门",
)
"""The 34 provincial-level administrative divisions of China (short names)."""

REGION_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")

LATIN_REGIONS = frozenset(
	"""
	china prc mainland beijing tianjin shanghai chongqing hebei shanxi liaoning jilin heilongjiang
	jiangsu zhejiang anhui fujian jiangxi shandong henan hubei hunan guangdong hainan sichuan guizhou
	yunnan shaanxi gansu qinghai taiwan innermongolia neimenggu guangxi tibet xizang ningxia xinjiang
	hongkong hk macau macao shenzhen guangzhou hangzhou nanjing suzhou chengdu wuhan xian xiamen
	qingdao dalian ningbo shenyang changsha zhengzhou jinan hefei fuzhou kunming
	""".split()
)

REGION_BOUND_WORDS = (
	"银行",
	"农商",
	"农村",
	"大学",
	"学院",
	"师范",
	"理工",
	"财经",
	"交通",
	"医院",
	"人民",
	"移动",
	"联通",
	"电信",
	"电力",
	"日报",
	"广播",
	"电视",
)
"""Words that make the region part of the identity: a leading province is kept when the rest of the
name starts with one of them (北京银行 and 上海银行, 浙江大学 and 江苏大学 stay distinct)."""

CN_LEGAL_SUFFIXES = ("有限责任公司", "股份有限公司", "有限公司", "集团", "股份", "公司", "责任")
EN_LEGAL_WORDS = frozenset(
	("co", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "company", "group", "llc", "plc")
)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_OPEN = "(\\[\u3010\u3014\u3016"  # ( [ and the CJK lenticular / tortoise-shell brackets
_CLOSE = ")\\]\u3011\u3015\u3017"
_BRACKETED = re.compile(f"[{_OPEN}]([^{_OPEN}{_CLOSE}]*)[{_CLOSE}]")
_CJK_QUALIFIER = re.compile(f"[{_CJK}]{{2,4}}")
_REGION_PREFIX = re.compile(
	"^(?:{})(?:{})?".format("|".join(sorted(PROVINCES, key=len, reverse=True)), "|".join(REGION_SUFFIXES))
)
_CN_REGIONS = frozenset(name + suffix for name in PROVINCES for suffix in ("", *REGION_SUFFIXES))
_MAX_PASSES = 8


def _is_region_qualifier(content: str) -> bool:
	compact = "".join(char for char in content if char.isalnum())
	return bool(_CJK_QUALIFIER.fullmatch(compact)) or compact in _CN_REGIONS or compact in LATIN_REGIONS


def _drop_qualifiers(text: str) -> str:
	def replace(match: re.Match[str]) -> str:
		content = match.group(1)
		return " " if _is_region_qualifier(content) else f" {content} "

	previous = None
	while previous != text:
		previous, text = text, _BRACKETED.sub(replace, text)
	return text


def _words(text: str) -> list[str]:
	chars = (char if unicodedata.category(char)[0] in "LMN" else " " for char in text)
	return "".join(chars).split()


def _strip_en_legal(words: list[str]) -> list[str]:
	while len(words) > 1 and words[-1] in EN_LEGAL_WORDS:
		words = words[:-1]
	return words


def _strip_cn_legal(text: str) -> str:
	changed = True
	while changed:
		changed = False
		for suffix in CN_LEGAL_SUFFIXES:
			if text.endswith(suffix):
				text, changed = text[: -len(suffix)], True
				break
	return text


def _strip_region_prefix(text: str) -> str:
	match = _REGION_PREFIX.match(text)
	while match and match.end() < len(text) and not text[match.end() :].startswith(REGION_BOUND_WORDS):
		text = text[match.end() :]
		match = _REGION_PREFIX.match(text)
	return text


def _normalize_once(name: str) -> str:
	text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
	words = _strip_en_legal(_words(_drop_qualifiers(text)))
	text = _strip_cn_legal("".join(words))
	return unicodedata.normalize("NFKC", _strip_region_prefix(text))


def normalize_company_name(name: str | None) -> str:
	"""Return the comparison key of a company name (see the module docstring); ``""`` for None."""
	if name is None:
		return ""
	if not isinstance(name, str):
		raise ConflictError(f"company name must be a string, got {name!r}")
	current = name
	for _ in range(_MAX_PASSES):
		following = _normalize_once(current)
		if following == current:
			break
		current = following
	return current


CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""Characters of a unified social credit code (GB 32100-2015; no I, O, S, V, Z)."""

CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
"""Weights of the 17 body characters (3^i mod 31)."""

_CODE_NOISE = re.compile("[\\s_\\-\u2010-\u2015\u2212\ufe58\ufe63]")  # whitespace, _, hyphens, dashes, minus


def normalize_credit_code(code: str | None) -> str:
	"""NFKC, strip, upper-case and remove whitespace and hyphens/dashes; ``""`` for None."""
	if code is None:
		return ""
	if not isinstance(code, str):
		raise ConflictError(f"credit code must be a string, got {code!r}")
	return _CODE_NOISE.sub("", unicodedata.normalize("NFKC", code)).upper()


def credit_code_check_char(body: str) -> str:
	"""Return the check character for the first 17 characters of a credit code.

	``charset[(31 - Σ(value_i * weight_i) mod 31) mod 31]`` with the value of a character being its
	index in :data:`CREDIT_CODE_CHARSET`.  Raises :class:`ConflictError` for a body that is not 17
	characters of that charset.
	"""
	if not isinstance(body, str) or len(body) != 17 or any(c not in CREDIT_CODE_CHARSET for c in body):
		raise ConflictError(
			f"a credit-code body must be 17 characters of {CREDIT_CODE_CHARSET}, got {body!r}"
		)
	total = sum(
		CREDIT_CODE_CHARSET.index(char) * weight
		for char, weight in zip(body, CREDIT_CODE_WEIGHTS, strict=True)
	)
	return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str | None) -> bool:
	"""True when the normalised ``code`` has 18 charset characters and a correct check character."""
	try:
		normal = normalize_credit_code(code)
	except ConflictError:
		return False
	if len(normal) != 18 or any(char not in CREDIT_CODE_CHARSET for char in normal):
		return False
	return credit_code_check_char(normal[:17]) == normal[17]


@dataclass(frozen=True)
class Protection:
	"""A protection (existing) or a protection request (candidate).

	``name`` is the company name; ``owner`` a dealer id or ``"direct:<sales person>"``;
	``protected_until`` the last protected day (None = open-ended); ``ref`` an optional record id.
	"""

	customer: str | None = None
	credit_code: str | None = None
	name: str | None = None
	owner: str | None = None
	protected_until: date | None = None
	ref: str | None = None


@dataclass(frozen=True)
class Conflict:
	"""An existing protection that conflicts with the candidate.

	``reason`` is one of :data:`REASONS`; ``matched`` the matching value (customer id, normalised
	credit code or normalised name); ``existing`` the item exactly as passed in.
	"""

	reason: str
	matched: str
	owner: str | None
	protected_until: date | None
	existing: Any


def _get(item: Any, field: str) -> Any:
	if isinstance(item, Mapping):
		return item.get(field)
	return getattr(item, field, None)


def _text(value: Any) -> str:
	return "" if value is None else str(value).strip()


def _date(value: Any, what: str) -> date | None:
	if value is None or value == "":
		return None
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	if isinstance(value, str):
		try:
			return date.fromisoformat(value.strip()[:10])
		except ValueError:
			pass
	raise ConflictError(f"{what} must be a date, got {value!r}")


def _company_name(item: Any) -> str | None:
	"""``company_name`` when the item has that field (Frappe documents), else ``name``."""
	if isinstance(item, Mapping) and "company_name" in item:
		return item["company_name"]
	if not isinstance(item, Mapping) and hasattr(item, "company_name"):
		return item.company_name
	return _get(item, "name")


def _as_protection(item: Any) -> Protection:
	if isinstance(item, Protection):
		return Protection(
			customer=item.customer,
			credit_code=item.credit_code,
			name=item.name,
			owner=item.owner,
			protected_until=_date(item.protected_until, "protected_until"),
			ref=item.ref,
		)
	return Protection(
		customer=_get(item, "customer"),
		credit_code=_get(item, "credit_code"),
		name=_company_name(item),
		owner=_get(item, "owner"),
		protected_until=_date(_get(item, "protected_until"), "protected_until"),
		ref=_get(item, "ref"),
	)


@dataclass(frozen=True)
class _Keys:
	customer: str
	credit_code: str
	name: str


def _keys(item: Protection) -> _Keys:
	code = normalize_credit_code(_text(item.credit_code) or None)
	return _Keys(
		customer=_text(item.customer),
		credit_code=code if is_valid_credit_code(code) else "",
		name=normalize_company_name(_text(item.name) or None),
	)


def _match(candidate: _Keys, other: _Keys) -> tuple[str, str] | None:
	for reason in REASONS:
		value = getattr(candidate, reason)
		if value and value == getattr(other, reason):
			return reason, value
	return None


def find_conflicts(candidate: Any, existing: Iterable[Any], as_of: date | None = None) -> list[Conflict]:
	"""Return the conflicts of ``candidate`` with the ``existing`` protections.

	Items are :class:`Protection` objects, mappings or objects with the same fields (a
	``company_name`` field, if present, is used instead of ``name``; ``protected_until`` may be a
	date, datetime or ISO string).  An existing item is skipped when it has the same non-empty owner
	as the candidate, the same non-empty ``ref`` (the candidate itself), or when it expired
	(``protected_until < as_of``; ``as_of`` defaults to today).  Each remaining item yields at most
	one :class:`Conflict` with its highest-priority reason.  Conflicts are sorted by reason priority,
	then input order.  Raises :class:`ConflictError` for unparseable dates or non-string names/codes.
	"""
	today = _date(as_of, "as_of") or date.today()
	request = _as_protection(candidate)
	request_keys = _keys(request)
	owner, ref = _text(request.owner), _text(request.ref)
	found: list[tuple[int, int, Conflict]] = []
	for index, raw in enumerate(existing):
		item = _as_protection(raw)
		if (owner and _text(item.owner) == owner) or (ref and _text(item.ref) == ref):
			continue
		if item.protected_until is not None and item.protected_until < today:
			continue
		match = _match(request_keys, _keys(item))
		if match:
			conflict = Conflict(match[0], match[1], item.owner, item.protected_until, raw)
			found.append((REASONS.index(match[0]), index, conflict))
	return [conflict for _, _, conflict in sorted(found, key=lambda entry: entry[:2])]
