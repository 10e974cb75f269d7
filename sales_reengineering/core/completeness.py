"""Completeness scoring of a record (customer, dealer, contact profile ...).

Rules
    A rule has a unique ``key`` (reported when the rule is not met), a non-negative ``weight`` and a
    check.  ``score = Σ(weight of met rules) / Σ(weight of all rules) * 100``, rounded half-up to
    2 decimals, so weights need not total 100.  ``missing`` lists the keys of the rules that are
    not met, in rule order (zero-weight rules are reported too, they just do not move the score).

    * An empty rule list gives ``(100.0, [])``: nothing is required, so nothing is missing.
    * Rules whose weights total 0 are rejected (:class:`CompletenessError`).

Missing values
    ``None``, ``""``, a whitespace-only string and an empty list/tuple/set/dict count as missing.
    Numbers (including ``0``) and booleans (including ``False``) count as present.

Rule kinds (see :func:`rule`)
    * field present: ``("tax_id", 10)`` or ``("tax", 10, "tax_id")``; dotted paths such as
      ``"billing.city"`` walk nested mappings.
    * at least one list item with a field present:
      ``("contact_email", 10, {"list": "contacts", "field": "email_id"})``.
    * minimum number of list items: ``("two_addresses", 5, {"list": "addresses", "min_count": 2})``;
      with ``"field"`` only items having that field present are counted.  Items that are themselves
      missing (``None``, ``{}``) never count.
    * predicate: ``("credit_ok", 5, lambda record: ...)`` - any callable taking the record.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from numbers import Real
from typing import Any

from .scoring import round_half_up

__all__ = [
	"CompletenessError",
	"Rule",
	"any_item_with",
	"completeness",
	"field_present",
	"get_path",
	"is_missing",
	"min_items",
	"rule",
]

Check = Callable[[Mapping[str, Any]], bool]


class CompletenessError(ValueError):
	"""Invalid completeness rules (bad weight, duplicate key, malformed spec ...)."""


@dataclass(frozen=True)
class Rule:
	"""One completeness rule: ``check(record)`` tells whether it is met."""

	key: str
	weight: float
	check: Check


def is_missing(value: Any) -> bool:
	"""True for ``None``, ``""``, whitespace-only strings and empty lists/tuples/sets/dicts."""
	if value is None:
		return True
	if isinstance(value, str):
		return not value.strip()
	if isinstance(value, list | tuple | set | frozenset | dict):
		return len(value) == 0
	return False


def get_path(record: Any, path: str) -> Any:
	"""Return the value at dotted ``path`` (mapping keys or attributes), ``None`` when absent."""
	value = record
	for part in path.split("."):
		if value is None:
			return None
		if isinstance(value, Mapping):
			value = value.get(part)
		else:
			value = getattr(value, part, None)
	return value


def _items(record: Any, list_path: str) -> list[Any]:
	value = get_path(record, list_path)
	if value is None:
		return []
	if isinstance(value, list | tuple):
		return list(value)
	raise CompletenessError(f"{list_path!r} must be a list, got {type(value).__name__}")


def _path(value: Any, what: str) -> str:
	if not isinstance(value, str) or not value.strip():
		raise CompletenessError(f"{what} must be a non-empty string, got {value!r}")
	return value.strip()


def field_present(path: str) -> Check:
	"""Check that the field at ``path`` is present (see :func:`is_missing`)."""
	field = _path(path, "field")
	return lambda record: not is_missing(get_path(record, field))


def any_item_with(list_path: str, item_field: str) -> Check:
	"""Check that at least one item of the list at ``list_path`` has ``item_field`` present."""
	return min_items(list_path, 1, item_field)


def min_items(list_path: str, count: int, item_field: str | None = None) -> Check:
	"""Check that the list at ``list_path`` has at least ``count`` non-missing items.

	With ``item_field`` only items whose ``item_field`` is present are counted.
	"""
	lst = _path(list_path, "list")
	sub = None if item_field is None else _path(item_field, "field")
	if isinstance(count, bool) or not isinstance(count, int) or count < 0:
		raise CompletenessError(f"min_count must be a non-negative integer, got {count!r}")

	def check(record: Mapping[str, Any]) -> bool:
		items = [item for item in _items(record, lst) if not is_missing(item)]
		if sub is not None:
			items = [item for item in items if not is_missing(get_path(item, sub))]
		return len(items) >= count

	return check


def _weight(value: Any, key: str) -> float:
	if isinstance(value, bool) or not isinstance(value, Real | Decimal):
		raise CompletenessError(f"weight of {key!r} must be a number, got {value!r}")
	weight = float(value)
	if not math.isfinite(weight) or weight < 0:
		raise CompletenessError(f"weight of {key!r} must be finite and non-negative, got {value!r}")
	return weight


def _check_from_mapping(spec: Mapping[str, Any]) -> Check:
	kind = spec.get("kind")
	if kind is None:
		kind = "min_items" if "min_count" in spec else ("any_item" if "list" in spec else "present")
	if kind == "present":
		return field_present(spec.get("field"))
	if kind == "any_item":
		return any_item_with(spec.get("list"), spec.get("field"))
	if kind == "min_items":
		return min_items(spec.get("list"), spec.get("min_count", 1), spec.get("field"))
	raise CompletenessError(f"unknown rule kind {kind!r}")


def rule(key: str, weight: float, spec: str | Mapping[str, Any] | Check | None = None) -> Rule:
	"""Build a :class:`Rule`.

	``spec`` is ``None`` (field ``key`` present), a field path string, a callable predicate taking
	the record, or a mapping ``{"kind": "present"|"any_item"|"min_items", "field": ..., "list": ...,
	"min_count": ...}`` (``kind`` may be omitted: ``min_count`` → min_items, ``list`` → any_item,
	otherwise present).
	"""
	name = _path(key, "rule key")
	if spec is None:
		check = field_present(name)
	elif isinstance(spec, str):
		check = field_present(spec)
	elif isinstance(spec, Mapping):
		check = _check_from_mapping(spec)
	elif callable(spec):
		check = spec
	else:
		raise CompletenessError(f"unsupported rule spec for {name!r}: {spec!r}")
	return Rule(key=name, weight=_weight(weight, name), check=check)


def _as_rule(item: Rule | tuple | list) -> Rule:
	if isinstance(item, Rule):
		_weight(item.weight, item.key)
		return item
	if isinstance(item, tuple | list) and len(item) in (2, 3):
		return rule(*item)
	raise CompletenessError(f"a rule must be a Rule or a (key, weight[, spec]) tuple, got {item!r}")


def completeness(record: Mapping[str, Any], rules: Iterable[Rule | tuple | list]) -> tuple[float, list[str]]:
	"""Return ``(score, missing)`` for ``record`` (see the module docstring for the formula).

	Raises :class:`CompletenessError` for malformed rules, duplicate keys, negative weights, or
	rules whose weights total 0.  Exceptions raised by a predicate propagate unchanged.
	"""
	parsed = [_as_rule(item) for item in rules]
	if not parsed:
		return 100.0, []
	keys = [item.key for item in parsed]
	if len(set(keys)) != len(keys):
		raise CompletenessError("rule keys must be unique")
	total = math.fsum(item.weight for item in parsed)
	if total <= 0:
		raise CompletenessError("the rule weights must total more than 0")
	met: list[float] = []
	missing: list[str] = []
	for item in parsed:
		if item.check(record):
			met.append(item.weight)
		else:
			missing.append(item.key)
	return round_half_up(math.fsum(met) / total * 100, 2), missing
