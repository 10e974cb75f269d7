# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Plan vs Actual: per salesperson and per team, the visits planned in the weekly Visit Plans whose
week starts in the period, those made as planned, those missed (the week is over), those still to come,
the visits made that no plan asked for, and the plan completion (visited as planned / planned). A team
row (the Sales Person group) adds up the members shown under it. Live matching
(`customer_intelligence.visit_plan.plan_vs_actual`): five queries, whatever the number of people.

A salesperson sees their own row, a manager their team's, a Sales Manager everyone's (the scope)."""

import frappe
from frappe import _

from sales_reengineering.arguments import report_filters
from sales_reengineering.core.visit_plan import Figures, week_start_of
from sales_reengineering.customer_intelligence.visit_plan import plan_vs_actual
from sales_reengineering.exceptions import InvalidVisitPlanError
from sales_reengineering.scope.people import get_subtree
from sales_reengineering.scope.performance import check_sales_person_filter

COLUMNS = ("planned", "visited", "missed", "pending", "unplanned")


def execute(filters: dict | None = None):
	filters = report_filters(filters, dates=("from_date", "to_date"), texts=("sales_person",))
	if not filters.from_date or not filters.to_date:
		frappe.throw(_("Choose the period to report on."), InvalidVisitPlanError)
	if filters.from_date > filters.to_date:
		frappe.throw(_("The From Date must be on or before the To Date."), InvalidVisitPlanError)
	visible = check_sales_person_filter(filters.sales_person)
	people = get_people(filters.sales_person, visible)
	by_person = plan_vs_actual(people, filters.from_date, filters.to_date)
	data = get_data(by_person)
	message = _("Plans of the weeks starting from {0} to {1}").format(
		frappe.format(week_start_of(filters.from_date), "Date"),
		frappe.format(week_start_of(filters.to_date), "Date"),
	)
	return get_columns(), data, message, get_chart(data), get_summary(by_person)


def get_people(sales_person: str | None, visible: set[str] | None) -> list[str]:
	if sales_person:
		people = get_subtree([sales_person])
	else:
		people = frappe.get_all("Sales Person", filters={"enabled": 1, "is_group": 0}, pluck="name")
	return sorted(name for name in people if visible is None or name in visible)


def get_columns() -> list[dict]:
	def number(fieldname, label, width=120):
		return {"fieldname": fieldname, "label": label, "fieldtype": "Int", "width": width}

	return [
		{
			"fieldname": "sales_person",
			"label": _("Sales Person or Team"),
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 200,
		},
		number("planned", _("Planned Visits")),
		number("visited", _("Visited as Planned"), 140),
		number("unplanned", _("Unplanned Visits"), 130),
		number("missed", _("Missed")),
		number("pending", _("Still Planned")),
		{"fieldname": "completion", "label": _("Plan Completion (%)"), "fieldtype": "Percent", "width": 150},
	]


def _row(name: str, figures: Figures, indent: int, is_team: bool) -> dict:
	row = frappe._dict(sales_person=name, indent=indent, is_team=int(is_team), completion=figures.completion)
	row.update({column: getattr(figures, column) for column in COLUMNS})
	return row


def get_data(by_person: dict[str, Figures]) -> list[dict]:
	"""Team rows (the members' parent Sales Person) followed by their members; one query for the
	parents."""
	if not by_person:
		return []
	parents = dict(
		frappe.get_all(
			"Sales Person",
			filters={"name": ("in", list(by_person))},
			fields=["name", "parent_sales_person"],
			as_list=True,
		)
	)
	teams: dict[str, list[str]] = {}
	for person in sorted(by_person):
		teams.setdefault(parents.get(person) or "", []).append(person)
	data = []
	for team in sorted(teams):
		members = teams[team]
		if team:
			total = Figures()
			for person in members:
				total.add(by_person[person])
			data.append(_row(team, total, 0, True))
		data.extend(_row(person, by_person[person], 1 if team else 0, False) for person in members)
	return data


def get_chart(data: list[dict]) -> dict | None:
	people = [row for row in data if not row.is_team and row.planned][:20]
	if not people:
		return None
	return {
		"data": {
			"labels": [row.sales_person for row in people],
			"datasets": [
				{"name": _("Planned Visits"), "values": [row.planned for row in people]},
				{"name": _("Visited as Planned"), "values": [row.visited for row in people]},
				{"name": _("Unplanned Visits"), "values": [row.unplanned for row in people]},
			],
		},
		"type": "bar",
		"fieldtype": "Int",
	}


def get_summary(by_person: dict[str, Figures]) -> list[dict]:
	total = Figures()
	for figures in by_person.values():
		total.add(figures)
	return [
		{"value": total.planned, "label": _("Planned Visits"), "datatype": "Int"},
		{"value": total.visited, "label": _("Visited as Planned"), "datatype": "Int", "indicator": "Green"},
		{"value": total.missed, "label": _("Missed"), "datatype": "Int", "indicator": "Red"},
		{"value": total.unplanned, "label": _("Unplanned Visits"), "datatype": "Int"},
		{"value": total.completion or 0, "label": _("Plan Completion (%)"), "datatype": "Percent"},
	]
