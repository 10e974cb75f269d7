# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Info Feedback Reports counted by type, territory, competitor or salesperson: how many, how many
approved / rejected / waiting, the average quality rating and the points awarded. One grouped query,
limited to the salespeople the user may see and to the reports whose Territory and Customer the user's
User Permissions allow; drafts are left out."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Avg, Count, Sum
from frappe.utils import flt, getdate

from sales_reengineering.arguments import report_filters
from sales_reengineering.charts import TOP_N
from sales_reengineering.exceptions import CustomerIntelligenceError
from sales_reengineering.scope import user_permissions
from sales_reengineering.scope.people import get_subtree, restrict_to_sales_persons

GROUP_FIELDS = {
	"Type": ("report_type", "Data", None),
	"Territory": ("territory", "Link", "Territory"),
	"Competitor": ("competitor", "Link", "Competitor"),
	"Sales Person": ("sales_person", "Link", "Sales Person"),
}


# a site with a read replica (read_from_replica) answers the report from it; the report only reads
@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(
		filters, dates=("from_date", "to_date"), texts=("group_by", "sales_person", "territory")
	)
	validate_filters(filters)
	data = get_data(filters)
	return get_columns(filters), data, None, get_chart(data), get_summary(data)


def validate_filters(filters) -> None:
	user_permissions.check_filters(
		filters, {"territory": "Territory"}, reference_doctype="Info Feedback Report"
	)
	filters.group_by = filters.group_by or "Type"
	if filters.group_by not in GROUP_FIELDS:
		frappe.throw(_("Cannot group by {0}.").format(filters.group_by), CustomerIntelligenceError)
	if not filters.from_date or not filters.to_date:
		frappe.throw(_("Set both From Date and To Date."), CustomerIntelligenceError)
	filters.from_date, filters.to_date = getdate(filters.from_date), getdate(filters.to_date)
	if filters.from_date > filters.to_date:
		frappe.throw(_("From Date must not be after To Date."), CustomerIntelligenceError)


def get_columns(filters) -> list[dict]:
	_field, fieldtype, options = GROUP_FIELDS[filters.group_by]
	return [
		{
			"fieldname": "group",
			"label": _(filters.group_by),
			"fieldtype": fieldtype,
			"options": options,
			"width": 200,
		},
		{"fieldname": "reports", "label": _("Reports"), "fieldtype": "Int", "width": 90},
		{"fieldname": "approved", "label": _("Approved"), "fieldtype": "Int", "width": 90},
		{"fieldname": "rejected", "label": _("Rejected"), "fieldtype": "Int", "width": 90},
		{"fieldname": "pending", "label": _("Awaiting Review"), "fieldtype": "Int", "width": 120},
		{
			"fieldname": "average_rating",
			"label": _("Average Rating"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 120,
		},
		{"fieldname": "points", "label": _("Points"), "fieldtype": "Int", "width": 90},
	]


def get_data(filters) -> list[dict]:
	report = frappe.qb.DocType("Info Feedback Report")
	group = report[GROUP_FIELDS[filters.group_by][0]]
	reviewed = report.workflow_state.isin(("Approved", "Rejected"))
	query = (
		frappe.qb.from_(report)
		.select(
			group.as_("group"),
			Count("*").as_("reports"),
			Count(Case().when(report.workflow_state == "Approved", 1)).as_("approved"),
			Count(Case().when(report.workflow_state == "Rejected", 1)).as_("rejected"),
			Count(Case().when(report.workflow_state == "Submitted", 1)).as_("pending"),
			Avg(Case().when(reviewed & (report.quality_rating > 0), report.quality_rating)).as_(
				"average_rating"
			),
			Sum(Case().when(reviewed, report.reward_points).else_(0)).as_("points"),
		)
		.where(
			report.report_date[filters.from_date : filters.to_date]
			& report.workflow_state.isnotnull()
			& (report.workflow_state != "Draft")
		)
		.groupby(group)
		.orderby(Count("*"), order=frappe.qb.desc)
	)
	if restriction := restrict_to_sales_persons(report.sales_person):
		query = query.where(restriction)
	query = user_permissions.apply_to(query, "Info Feedback Report", report)
	if filters.sales_person:
		query = query.where(report.sales_person.isin(get_subtree([filters.sales_person]) or [""]))
	if filters.territory:
		territories = [*frappe.db.get_descendants("Territory", filters.territory), filters.territory]
		query = query.where(report.territory.isin(territories))
	rows = query.run(as_dict=True)
	for row in rows:
		row.group = row.group or _("Not Set")
		row.average_rating = flt(row.average_rating, 2) if row.average_rating is not None else None
		row.points = int(row.points or 0)
	return rows


def get_chart(data: list[dict]) -> dict | None:
	"""The `TOP_N` groups with the most reports, each name whole under its bar."""
	data = sorted(data, key=lambda row: -(row.reports or 0))[:TOP_N]
	if not data:
		return None
	return {
		"data": {
			"labels": [row.group for row in data],
			"datasets": [
				{"name": _("Approved"), "values": [row.approved for row in data]},
				{"name": _("Rejected"), "values": [row.rejected for row in data]},
				{"name": _("Awaiting Review"), "values": [row.pending for row in data]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"fieldtype": "Int",
	}


def get_summary(data: list[dict]) -> list[dict]:
	reports = sum(row.reports for row in data)
	rated = [
		(row.average_rating, row.approved + row.rejected) for row in data if row.average_rating is not None
	]
	weight = sum(count for _rating, count in rated)
	average = sum(rating * count for rating, count in rated) / weight if weight else 0
	return [
		{"value": reports, "label": _("Reports"), "datatype": "Int"},
		{
			"value": sum(row.approved for row in data),
			"label": _("Approved"),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"value": sum(row.pending for row in data),
			"label": _("Awaiting Review"),
			"datatype": "Int",
			"indicator": "Orange",
		},
		{"value": flt(average, 2), "label": _("Average Rating"), "datatype": "Float"},
	]
