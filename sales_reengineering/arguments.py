"""Arguments of whitelisted methods: checked where they arrive, refused with a translated message.

Frappe v15 checks the annotated types of a whitelisted method (with pydantic) before the method runs.
A mismatch there is a `FrappeTypeError`: HTTP 417, but an English text and no message for the user. A
missing argument is a plain `TypeError`: HTTP 500, a traceback and an Error Log row.

The types here are still ordinary annotations for that check, for example

    @frappe.whitelist(methods=["POST"])
    @check_arguments
    def recompute_ranking(year: Annotated[int, whole_number("Year")], ...)

Their validators parse the value themselves and throw `InvalidArgumentError` with a translated message.
Pydantic passes on any exception that is not a ValueError, and Frappe's check only catches TypeError and
pydantic's own error, so the caller gets the app's message. `check_arguments` gives a missing argument
the same treatment, and can refuse fields the method does not take (`closed=True`, for forms whose
extra fields would otherwise be dropped without a word).
"""

import datetime
import functools
import inspect
import json
import math
import re
from collections.abc import Callable

import frappe
from frappe import _
from frappe.utils import escape_html
from frappe.utils.typing_validations import transform_parameter_types
from pydantic import BeforeValidator

from sales_reengineering.exceptions import InvalidArgumentError

# what a browser would read as the start of a tag: "<script", "</a", "<!--", "<?xml"
TAG = re.compile(r"</?[A-Za-z!?]")
# fields a request carries besides the method's own arguments
TRANSPORT_FIELDS = frozenset({"cmd", "csrf_token", "_"})


def shown(value) -> str:
	"""`value` as quoted in an error message: short, and harmless in the desk's HTML dialogs."""
	text = value if isinstance(value, str) else json.dumps(value, default=str)
	if len(text) > 40:
		text = text[:40] + "…"
	return frappe.bold(escape_html(text))


def refuse(message: str) -> None:
	frappe.throw(message, InvalidArgumentError, title=_("Invalid Input"))


# -- single values -------------------------------------------------------------------------------------


def parse_whole_number(value, label: str, minimum: int | None = None, maximum: int | None = None) -> int:
	if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,18}\s*", value):
		value = int(value)
	elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
		value = int(value)
	if isinstance(value, bool) or not isinstance(value, int):
		refuse(_("{0} must be a whole number, not {1}.").format(_(label), shown(value)))
	check_range(value, label, minimum, maximum)
	return value


def parse_number(value, label: str, minimum: float | None = None, maximum: float | None = None) -> float:
	"""A finite number (int, float or numeric text); NaN and infinity are refused."""
	number = None
	if isinstance(value, int | float) and not isinstance(value, bool):
		number = float(value)
	elif isinstance(value, str):
		try:
			number = float(value)
		except ValueError:
			pass
	if number is None or not math.isfinite(number):
		refuse(_("{0} must be a number, not {1}.").format(_(label), shown(value)))
	check_range(number, label, minimum, maximum)
	return number


def check_range(value: float, label: str, minimum: float | None, maximum: float | None) -> None:
	if minimum is not None and value < minimum:
		refuse(_("{0} must be at least {1}, not {2}.").format(_(label), minimum, shown(value)))
	if maximum is not None and value > maximum:
		refuse(_("{0} must be at most {1}, not {2}.").format(_(label), maximum, shown(value)))


def parse_date(value, label: str) -> datetime.date:
	"""A calendar date written YYYY-MM-DD (a date object passes as it is)."""
	if isinstance(value, datetime.datetime):
		return value.date()
	if isinstance(value, datetime.date):
		return value
	if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
		try:
			return datetime.date.fromisoformat(value.strip())
		except ValueError:
			pass
	refuse(_("{0} must be a date written YYYY-MM-DD, not {1}.").format(_(label), shown(value)))


def parse_text(value, label: str, max_length: int = 140, allow_tags: bool = False) -> str:
	"""Text of at most `max_length` characters, without HTML tags unless `allow_tags` (for a value that
	goes into a field Frappe sanitises as HTML)."""
	if not isinstance(value, str):
		refuse(_("{0} must be text, not {1}.").format(_(label), shown(value)))
	if len(value) > max_length:
		refuse(_("{0} is longer than {1} characters.").format(_(label), max_length))
	if not allow_tags and TAG.search(value):
		refuse(_("{0} must be plain text without HTML tags.").format(_(label)))
	return value


def parse_json(value, label: str, kind: type) -> list | dict:
	"""A list or dict, or its JSON text."""
	if isinstance(value, str):
		try:
			value = json.loads(value)
		except ValueError:
			refuse(_("{0} is not valid JSON.").format(_(label)))
	if not isinstance(value, kind):
		if kind is list:
			refuse(_("{0} must be a list, not {1}.").format(_(label), shown(value)))
		refuse(_("{0} must be an object, not {1}.").format(_(label), shown(value)))
	return value


def parse_rows(value, label: str, fields: tuple[str, ...], max_rows: int = 200) -> list[dict]:
	"""A list (or its JSON text) of objects that name only `fields`."""
	rows = parse_json(value, label, list)
	if len(rows) > max_rows:
		refuse(_("{0} has more than {1} rows.").format(_(label), max_rows))
	for idx, row in enumerate(rows, 1):
		if not isinstance(row, dict):
			refuse(_("Row {0} of {1} must be an object, not {2}.").format(idx, _(label), shown(row)))
		unknown = sorted(set(row) - set(fields), key=str)
		if unknown:
			refuse(
				_("Row {0} of {1} has fields this form does not take: {2}.").format(
					idx, _(label), shown(", ".join(map(str, unknown)))
				)
			)
	return rows


# -- annotations ---------------------------------------------------------------------------------------


def whole_number(label: str, minimum: int | None = None, maximum: int | None = None) -> BeforeValidator:
	return BeforeValidator(
		functools.partial(parse_whole_number, label=label, minimum=minimum, maximum=maximum)
	)


def iso_date(label: str) -> BeforeValidator:
	return BeforeValidator(functools.partial(parse_date, label=label))


def plain_text(label: str, max_length: int = 140, allow_tags: bool = False) -> BeforeValidator:
	return BeforeValidator(
		functools.partial(parse_text, label=label, max_length=max_length, allow_tags=allow_tags)
	)


def json_of(label: str, kind: type) -> BeforeValidator:
	return BeforeValidator(functools.partial(parse_json, label=label, kind=kind))


def rows_of(label: str, fields: tuple[str, ...], max_rows: int = 200) -> BeforeValidator:
	return BeforeValidator(functools.partial(parse_rows, label=label, fields=fields, max_rows=max_rows))


# -- the call as a whole -------------------------------------------------------------------------------


def check_arguments(fn: Callable | None = None, *, closed: bool = False) -> Callable:
	"""Refuse a call that misses a required argument, in a translated message instead of a TypeError.

	closed: also refuse, when the method is called over HTTP, request fields it does not take (Frappe
	drops them silently; a form that posts `status` or `docstatus` is refused instead).
	Put it under `@frappe.whitelist`, which then checks the annotations of `fn` as usual."""
	if fn is None:
		return functools.partial(check_arguments, closed=closed)

	signature = inspect.signature(fn)
	positional = [
		name
		for name, parameter in signature.parameters.items()
		if parameter.kind == parameter.POSITIONAL_OR_KEYWORD
	]
	required = [
		name
		for name, parameter in signature.parameters.items()
		if parameter.default is inspect.Parameter.empty
		and parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY)
	]
	path = f"{fn.__module__}.{fn.__qualname__}"

	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		if args:
			# Frappe's check reads this wrapper's own (*args, **kwargs) and so cannot name a positional
			# argument (a call from Python code): name them and check them here
			_none, named = transform_parameter_types(fn, (), dict(zip(positional, args, strict=False)))
			args, kwargs = (), {**named, **kwargs}
		missing = [name for name in required if name not in kwargs]
		if missing:
			refuse(_("Missing argument: {0}.").format(", ".join(missing)))
		if closed and getattr(frappe.local, "request", None) and frappe.form_dict.get("cmd") == path:
			unknown = sorted(set(frappe.form_dict) - set(signature.parameters) - TRANSPORT_FIELDS)
			if unknown:
				refuse(_("This form does not take {0}.").format(shown(", ".join(unknown))))
		return fn(*args, **kwargs)

	return wrapper


# -- script report filters -----------------------------------------------------------------------------


def report_filters(filters: dict | None, *, dates=(), texts=(), whole_numbers=()) -> frappe._dict:
	"""A script report's filters with each named one checked: `dates` (YYYY-MM-DD) become date objects,
	`texts` must be plain text and `whole_numbers` whole numbers; an empty filter becomes None. Filters
	not named pass as they are. The report's own rules (ranges, order of dates) come after."""
	filters = frappe._dict(filters or {})
	for names, parse in ((dates, parse_date), (texts, parse_text), (whole_numbers, parse_whole_number)):
		for name in names:
			value = filters.get(name)
			filters[name] = None if value is None or value == "" else parse(value, frappe.unscrub(name))
	return filters
