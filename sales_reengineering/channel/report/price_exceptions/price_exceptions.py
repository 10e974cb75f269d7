# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Approved sales below the channel floor: each price exception with the rate actually sold. Only the
exceptions whose customer, and whose document's (quotation, order or invoice) company and territory,
the user's User Permissions allow."""

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Min
from frappe.utils import add_days, flt, getdate

from sales_reengineering.arguments import report_filters
from sales_reengineering.companies import report_company
from sales_reengineering.scope import user_permissions

ITEM_TABLES = {
	"Quotation": "Quotation Item",
	"Sales Order": "Sales Order Item",
	"Sales Invoice": "Sales Invoice Item",
	"POS Invoice": "POS Invoice Item",
}


def execute(filters: dict | None = None):
	filters = report_filters(
		filters,
		dates=("from_date", "to_date"),
		texts=("company", "reference_doctype", "customer", "item_code"),
	)
	frappe.has_permission("Channel Price Exception", "report", throw=True)
	user_permissions.check_filters(
		filters, {"customer": "Customer"}, reference_doctype="Channel Price Exception"
	)
	report_company(filters, "Sales Order")
	rows = get_data(filters)
	return get_columns(), rows, None, None, get_summary(rows)


def get_columns() -> list[dict]:
	return [
		{
			"label": _("Exception"),
			"fieldname": "name",
			"fieldtype": "Link",
			"options": "Channel Price Exception",
			"width": 150,
		},
		{"label": _("Approved On"), "fieldname": "approved_on", "fieldtype": "Datetime", "width": 150},
		{
			"label": _("Approved By"),
			"fieldname": "approved_by",
			"fieldtype": "Link",
			"options": "User",
			"width": 150,
		},
		{"label": _("Document Type"), "fieldname": "reference_doctype", "fieldtype": "Data", "width": 110},
		{
			"label": _("Document"),
			"fieldname": "reference_name",
			"fieldtype": "Dynamic Link",
			"options": "reference_doctype",
			"width": 150,
		},
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 160,
		},
		{"label": _("Item"), "fieldname": "item_code", "fieldtype": "Link", "options": "Item", "width": 140},
		{"label": _("Floor Rate"), "fieldname": "floor_rate", "fieldtype": "Currency", "width": 110},
		{
			"label": _("Lowest Approved Rate"),
			"fieldname": "approved_rate",
			"fieldtype": "Currency",
			"width": 130,
		},
		{"label": _("Rate Sold"), "fieldname": "rate_sold", "fieldtype": "Currency", "width": 110},
		{
			"label": _("Below Floor (%)"),
			"fieldname": "below_floor_percent",
			"fieldtype": "Percent",
			"width": 110,
		},
		{"label": _("Reason"), "fieldname": "reason", "fieldtype": "Data", "width": 200},
	]


def get_data(filters: frappe._dict) -> list[dict]:
	exception = frappe.qb.DocType("Channel Price Exception")
	documents = {doctype: frappe.qb.DocType(doctype) for doctype in ITEM_TABLES}
	query = frappe.qb.from_(exception)
	for doctype, table in documents.items():
		query = query.left_join(table).on(
			(exception.reference_doctype == doctype) & (table.name == exception.reference_name)
		)
	query = (
		query.select(
			exception.name,
			exception.approved_on,
			exception.approved_by,
			exception.reference_doctype,
			exception.reference_name,
			exception.customer,
			exception.item_code,
			exception.floor_rate,
			exception.approved_rate,
			exception.reason,
		)
		.where(exception.docstatus == 1)
		.orderby(exception.approved_on, order=frappe.qb.desc)
	)
	if filters.from_date:
		query = query.where(exception.approved_on >= getdate(filters.from_date))
	if filters.to_date:
		query = query.where(exception.approved_on < add_days(getdate(filters.to_date), 1))
	for field in ("customer", "item_code", "reference_doctype"):
		if filters.get(field):
			query = query.where(exception[field] == filters.get(field))
	if filters.company:  # the company of the document the exception priced
		query = query.where(Coalesce(*(table.company for table in documents.values())) == filters.company)
	query = restrict_to_user_permissions(query, exception, documents)
	rows = query.run(as_dict=True)
	rates = get_rates_sold(rows)
	for row in rows:
		row.rate_sold = rates.get((row.reference_doctype, row.reference_name, row.item_code))
		row.below_floor_percent = (
			100 * (flt(row.floor_rate) - flt(row.rate_sold)) / flt(row.floor_rate)
			if row.floor_rate and row.rate_sold is not None
			else None
		)
	return rows


def restrict_to_user_permissions(query, exception, documents: dict):
	"""The exception's customer, and the company, territory and customer of the document it priced."""
	query = user_permissions.apply_to(query, "Channel Price Exception", exception)
	for doctype, table in documents.items():
		condition = user_permissions.table_criterion(doctype, table)
		if condition is not None:
			query = query.where((exception.reference_doctype != doctype) | condition)
	return query


def get_rates_sold(rows: list[dict]) -> dict[tuple, float]:
	"""(doctype, name, item) -> lowest rate per stock unit in company currency; one query per doctype."""
	rates = {}
	for doctype, child_doctype in ITEM_TABLES.items():
		names = list({row.reference_name for row in rows if row.reference_doctype == doctype})
		if not names:
			continue
		child = frappe.qb.DocType(child_doctype)
		for rate in (
			frappe.qb.from_(child)
			.select(
				child.parent, child.item_code, Min(child.base_net_rate / child.conversion_factor).as_("rate")
			)
			.where(child.parent.isin(names) & (child.parenttype == doctype))
			.groupby(child.parent, child.item_code)
			.run(as_dict=True)
		):
			rates[(doctype, rate.parent, rate.item_code)] = flt(rate.rate)
	return rates


def get_summary(rows: list[dict]) -> list[dict]:
	return [
		{"label": _("Exceptions"), "value": len(rows), "datatype": "Int", "indicator": "Orange"},
		{
			"label": _("Documents"),
			"value": len({(r.reference_doctype, r.reference_name) for r in rows}),
			"datatype": "Int",
			"indicator": "Blue",
		},
	]
