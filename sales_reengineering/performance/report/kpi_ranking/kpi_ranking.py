# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""The stored ranking snapshot of one period (see `performance/ranking.py`). Ranks are those of the
whole population; a salesperson sees only their own row, a manager the rows of their subtree. User
Permissions on Company, Territory and Customer do not cut the rows: a ranking row is a person's stored
score, with no company, territory or customer of its own (see scope/user_permissions.py)."""

import frappe
from frappe import _
from frappe.utils import cint, flt

from sales_reengineering.arguments import report_filters
from sales_reengineering.charts import TOP_N, bar_chart, top_label
from sales_reengineering.performance.doctype.sales_task.sales_task import period_bounds
from sales_reengineering.scope.performance import visible_sales_persons


# a site with a read replica (read_from_replica) answers the report from it; the report only reads
@frappe.read_only()
def execute(filters=None):
	filters = report_filters(filters, texts=("period_type", "level"), whole_numbers=("year", "period"))
	_from, _to, label = period_bounds(
		filters.period_type or "Month", cint(filters.year), cint(filters.period)
	)
	level = filters.level or "Individuals"
	if level not in ("Individuals", "Teams"):
		frappe.throw(_("Rank Individuals or Teams, not {0}.").format(level))
	ranking = frappe.qb.DocType("Sales Ranking")
	entry = frappe.qb.DocType("Sales Ranking Entry")
	query = (
		frappe.qb.from_(entry)
		.join(ranking)
		.on(ranking.name == entry.parent)
		.select(
			entry.rank,
			entry.sales_person,
			entry.total_score,
			entry.beat_target,
			entry.reward_tier,
			entry.scorecard,
		)
		.where(entry.parenttype == "Sales Ranking")
		.where(ranking.period_label == label)
		.where(ranking.level == level)
		.orderby(entry.idx)
	)
	visible = visible_sales_persons()
	if visible is not None:
		query = query.where(entry.sales_person.isin(list(visible) or [""]))
	data = query.run(as_dict=True)
	return get_columns(), data, None, get_chart(data), get_summary(data)


def get_columns():
	return [
		{"fieldname": "rank", "label": _("Rank"), "fieldtype": "Int", "width": 70},
		{
			"fieldname": "sales_person",
			"label": _("Sales Person"),
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 220,
		},
		{"fieldname": "total_score", "label": _("Score"), "fieldtype": "Float", "precision": 2, "width": 100},
		{"fieldname": "beat_target", "label": _("Beat Target"), "fieldtype": "Check", "width": 100},
		{"fieldname": "reward_tier", "label": _("Reward Tier"), "fieldtype": "Data", "width": 140},
		{
			"fieldname": "scorecard",
			"label": _("Scorecard"),
			"fieldtype": "Link",
			"options": "KPI Scorecard",
			"width": 140,
		},
	]


def get_chart(data):
	"""The first `TOP_N` of the ranking, in rank order, each name whole under its bar."""
	best = [(row.sales_person, row.total_score) for row in data[:TOP_N]]
	return bar_chart(best, top_label(_("Score"), len(best), len(data)), "Percent")


def get_summary(data):
	if not data:
		return []
	return [
		{"value": len(data), "label": _("Ranked"), "datatype": "Int"},
		{
			"value": sum(1 for row in data if row.beat_target),
			"label": _("Beat Target"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"value": sum(1 for row in data if row.reward_tier),
			"label": _("Rewarded"),
			"datatype": "Int",
			"indicator": "Blue",
		},
	]
