# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Deal registrations flagged on submit: who else protects or owns the same end customer. Only the
registrations whose Territory and Customer the user's User Permissions allow."""

import frappe
from frappe import _
from frappe.utils import getdate

from sales_reengineering.arguments import report_filters
from sales_reengineering.scope import user_permissions
from sales_reengineering.scope.dealers import get_report_dealers


def execute(filters: dict | None = None):
	filters = report_filters(
		filters, dates=("from_date", "to_date"), texts=("dealer", "status", "conflict_type")
	)
	frappe.has_permission("Deal Registration", "report", throw=True)
	rows = get_data(filters)
	return get_columns(), rows, None, get_chart(rows), get_summary(rows)


def get_columns() -> list[dict]:
	return [
		{
			"label": _("Registration"),
			"fieldname": "registration",
			"fieldtype": "Link",
			"options": "Deal Registration",
			"width": 150,
		},
		{"label": _("Date"), "fieldname": "registration_date", "fieldtype": "Date", "width": 100},
		{"label": _("Dealer"), "fieldname": "dealer", "fieldtype": "Link", "options": "Dealer", "width": 160},
		{"label": _("End Customer"), "fieldname": "company_name", "fieldtype": "Data", "width": 180},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Data", "width": 120},
		{"label": _("Conflicts With"), "fieldname": "conflict_type", "fieldtype": "Data", "width": 140},
		{"label": _("Matched On"), "fieldname": "reason", "fieldtype": "Data", "width": 100},
		{
			"label": _("Reference Type"),
			"fieldname": "reference_doctype",
			# Data, not a Link to DocType: the report runner would ask for read access to DocType
			"fieldtype": "Data",
			"width": 10,
			"hidden": 1,
		},
		{
			"label": _("Reference"),
			"fieldname": "reference_name",
			"fieldtype": "Dynamic Link",
			"options": "reference_doctype",
			"width": 150,
		},
		{
			"label": _("Other Dealer"),
			"fieldname": "other_dealer",
			"fieldtype": "Link",
			"options": "Dealer",
			"width": 160,
		},
		{
			"label": _("Sales Person"),
			"fieldname": "sales_person",
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 150,
		},
		{"label": _("Protected Until"), "fieldname": "protected_until", "fieldtype": "Date", "width": 110},
	]


def get_data(filters: frappe._dict) -> list[dict]:
	dr = frappe.qb.DocType("Deal Registration")
	conflict = frappe.qb.DocType("Deal Registration Conflict")
	query = (
		frappe.qb.from_(dr)
		.join(conflict)
		.on((conflict.parent == dr.name) & (conflict.parenttype == "Deal Registration"))
		.select(
			dr.name.as_("registration"),
			dr.registration_date,
			dr.dealer,
			dr.company_name,
			dr.status,
			conflict.conflict_type,
			conflict.reason,
			conflict.reference_doctype,
			conflict.reference_name,
			conflict.dealer.as_("other_dealer"),
			conflict.sales_person,
			conflict.protected_until,
		)
		.where(dr.docstatus == 1)
		.orderby(dr.registration_date, order=frappe.qb.desc)
		.orderby(dr.name)
	)
	if filters.from_date:
		query = query.where(dr.registration_date >= getdate(filters.from_date))
	if filters.to_date:
		query = query.where(dr.registration_date <= getdate(filters.to_date))
	if filters.status:
		query = query.where(dr.status == filters.status)
	if filters.conflict_type:
		query = query.where(conflict.conflict_type == filters.conflict_type)
	dealers = get_report_dealers(filters.dealer)
	if dealers is not None:
		if not dealers:
			return []
		query = query.where(dr.dealer.isin(dealers))
	query = user_permissions.apply_to(query, "Deal Registration", dr)
	return query.run(as_dict=True)


def get_chart(rows: list[dict]) -> dict | None:
	if not rows:
		return None
	counts: dict[str, int] = {}
	for row in rows:
		counts[row.conflict_type] = counts.get(row.conflict_type, 0) + 1
	return {
		"data": {
			"labels": [_(label) for label in counts],
			"datasets": [{"name": _("Conflicts"), "values": list(counts.values())}],
		},
		"type": "bar",
		"fieldtype": "Int",
	}


def get_summary(rows: list[dict]) -> list[dict]:
	registrations = {row.registration for row in rows}
	direct = {row.registration for row in rows if row.conflict_type == "Direct Opportunity"}
	return [
		{
			"label": _("Flagged Registrations"),
			"value": len(registrations),
			"datatype": "Int",
			"indicator": "Orange",
		},
		{"label": _("Against Direct Sales"), "value": len(direct), "datatype": "Int", "indicator": "Blue"},
		{
			"label": _("Against Other Dealers"),
			"value": len(registrations) - len(direct),
			"datatype": "Int",
			"indicator": "Red",
		},
	]
