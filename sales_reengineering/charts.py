"""Charts people can read, shared by the desk's dashboard charts and the reports.

Frappe Charts draws bars vertically and shortens every x-axis label to the room its bar has (about
seven pixels a letter): forty salespeople in one chart leave each name two characters. So a chart
that compares people, dealers or territories shows the best `TOP_N` (few enough for a whole name
under each bar) and says so in its dataset name; the full list is the report's table. Values carry
their meaning: the chart's `fieldtype` makes Frappe format the tooltip as money or percent.

The desk's charts read what is saved (scorecards, invoices, registrations) with one grouped query
each, through `frappe.get_list`, so every user sees only their own scope; none evaluates a KPI.
"""

from datetime import date

import frappe
from frappe import _
from frappe.utils import add_months, flt, getdate, today

TOP_N = 10
BLUE, GREEN, ORANGE = "#5e64ff", "#29cd42", "#ff8e3c"
# a bar's colour says what it counts: scores, money or documents
COLORS = {"Percent": BLUE, "Currency": GREEN, "Int": ORANGE}


def top_n(rows: list[tuple[str, float]], limit: int = TOP_N) -> list[tuple[str, float]]:
	"""The `limit` largest (label, value) pairs, largest first; ties in label order."""
	return sorted(rows, key=lambda row: (-flt(row[1]), row[0] or ""))[:limit]


def bar_chart(
	rows: list[tuple[str, float]],
	name: str,
	fieldtype: str = "Float",
	options: str | None = None,
	precision: int = 2,
) -> dict | None:
	"""A report chart (the `chart` of a script report's `execute`) of (label, value) rows, in order.

	None when there is nothing to draw, so the report shows no empty chart."""
	if not rows:
		return None
	return {
		"data": {
			"labels": [label for label, _value in rows],
			"datasets": [{"name": name, "values": [flt(value, precision) for _label, value in rows]}],
		},
		"type": "bar",
		"fieldtype": fieldtype,
		"options": options,
		"colors": [COLORS.get(fieldtype, COLORS["Percent"])],
	}


def source_data(rows: list[tuple[str, float]], name: str, precision: int = 2) -> dict:
	"""What a Dashboard Chart Source returns: labels and one dataset; nothing at all when there are no
	rows, which Frappe's chart widget shows as its "No Data" state (an empty list of labels would draw
	empty axes)."""
	if not rows:
		return {}
	return {
		"labels": [label for label, _value in rows],
		"datasets": [{"name": name, "values": [flt(value, precision) for _label, value in rows]}],
	}


def top_label(name: str, shown: int, total: int) -> str:
	"""A dataset name that says when a chart shows only the best of more."""
	if total > shown:
		return _("{0} (top {1} of {2})").format(name, shown, total)
	return name


def quarter_bounds(day: date | str | None = None) -> tuple[date, date, str]:
	"""(first day, last day, label such as "2026-Q4") of the quarter `day` (default today) falls in."""
	day = getdate(day or today())
	quarter = (day.month - 1) // 3 + 1
	first = date(day.year, quarter * 3 - 2, 1)
	last = getdate(add_months(first, 3)).replace(day=1)
	return first, date.fromordinal(last.toordinal() - 1), f"{day.year}-Q{quarter}"


def recent_quarters(count: int, day: date | str | None = None) -> list[str]:
	"""Labels of the last `count` quarters up to the one `day` falls in, oldest first."""
	first, _last, _label = quarter_bounds(day)
	return [quarter_bounds(add_months(first, -3 * back))[2] for back in reversed(range(count))]
