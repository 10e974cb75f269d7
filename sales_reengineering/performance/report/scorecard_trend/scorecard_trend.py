# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Scores of the stored KPI scorecards over time: one row per scorecard, a line per person in the
chart. A salesperson sees only themselves, a manager their subtree. User Permissions on Company,
Territory and Customer do not cut the rows: a scorecard is a person's stored score, with no company,
territory or customer of its own (see scope/user_permissions.py)."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import flt, getdate

from sales_reengineering.arguments import report_filters
from sales_reengineering.companies import of_company, report_company
from sales_reengineering.scope.performance import check_sales_person_filter


# a site with a read replica (read_from_replica) answers the report from it; the report only reads
@frappe.read_only()
def execute(filters=None):
	filters = report_filters(
		filters, dates=("from_date", "to_date"), texts=("company", "period_type", "sales_person", "template")
	)
	report_company(filters, "KPI Scorecard")
	visible = check_sales_person_filter(filters.sales_person)
	card = frappe.qb.DocType("KPI Scorecard")
	query = (
		frappe.qb.from_(card)
		.select(
			card.name,
			card.assignee,
			card.is_group,
			card.template,
			card.company,
			card.period_type,
			card.period_label,
			card.from_date,
			card.total_score,
			card.beat_target,
		)
		.where(card.assignee_type == "Sales Person")
		.where(card.period_type == (filters.period_type or "Quarter"))
		.orderby(card.from_date)
		.orderby(card.assignee)
	)
	if filters.from_date:
		query = query.where(card.from_date >= getdate(filters.from_date))
	if filters.to_date:
		query = query.where(card.to_date <= getdate(filters.to_date))
	if filters.template:
		query = query.where(card.template == filters.template)
	query = of_company(query, card, filters.company)
	people = None
	if filters.sales_person:
		bounds = frappe.db.get_value("Sales Person", filters.sales_person, ["lft", "rgt"])
		if not bounds:
			frappe.throw(
				_("Sales Person {0} does not exist.").format(frappe.bold(filters.sales_person)),
				frappe.DoesNotExistError,
			)
		lft, rgt = bounds
		people = set(
			frappe.get_all("Sales Person", filters={"lft": (">=", lft), "rgt": ("<=", rgt)}, pluck="name")
		)
	if visible is not None:
		people = visible if people is None else people & visible
	if people is not None:
		query = query.where(card.assignee.isin(list(people) or [""]))
	data = query.run(as_dict=True)
	return get_columns(), data, None, get_chart(data), None


def get_columns():
	return [
		{"fieldname": "period_label", "label": _("Period"), "fieldtype": "Data", "width": 100},
		{
			"fieldname": "assignee",
			"label": _("Sales Person"),
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 200,
		},
		{"fieldname": "is_group", "label": _("Team"), "fieldtype": "Check", "width": 70},
		{
			"fieldname": "template",
			"label": _("KPI Template"),
			"fieldtype": "Link",
			"options": "KPI Template",
			"width": 160,
		},
		# Data, not a Link: Channel Managers may not read Company, and Frappe's report runner refuses a
		# report linking a doctype the user may not read
		{"fieldname": "company", "label": _("Company"), "fieldtype": "Data", "width": 140},
		{"fieldname": "total_score", "label": _("Score"), "fieldtype": "Float", "precision": 2, "width": 100},
		{"fieldname": "beat_target", "label": _("Beat Target"), "fieldtype": "Check", "width": 100},
		{
			"fieldname": "name",
			"label": _("Scorecard"),
			"fieldtype": "Link",
			"options": "KPI Scorecard",
			"width": 140,
		},
	]


def get_chart(data):
	if not data:
		return None
	periods = sorted({row.period_label for row in data})
	scores = defaultdict(dict)
	for row in data:
		# a person with several templates in a period: their average
		scores[row.assignee].setdefault(row.period_label, []).append(flt(row.total_score))
	datasets = [
		{
			"name": person,
			"values": [sum(by_period.get(p, [0])) / len(by_period.get(p, [0])) for p in periods],
		}
		for person, by_period in sorted(scores.items())
	]
	return {"data": {"labels": periods, "datasets": datasets}, "type": "line", "fieldtype": "Percent"}
