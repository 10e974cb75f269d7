# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Telesales results per agent for calls created in a period (calls, reached, follow-ups, conversions
and the conversion rate), with the company's repeat-purchase rate for the same period in the summary:
the share of customers invoiced in the period who had bought before it. Two queries. A
Telesales Agent sees only their own row. Both count only what the user's User Permissions allow: the
calls of the customers they allow, the invoices of the companies, territories and customers they
allow."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count
from frappe.utils import add_days, cint, flt, getdate
from pypika.terms import ExistsCriterion

from sales_reengineering.arguments import report_filters
from sales_reengineering.charts import TOP_N
from sales_reengineering.companies import of_company, report_company
from sales_reengineering.exceptions import CustomerIntelligenceError
from sales_reengineering.scope import user_permissions
from sales_reengineering.scope.customers import is_agent_only


# a site with a read replica (read_from_replica) answers the report from it; the report only reads
@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, dates=("from_date", "to_date"), texts=("company", "agent"))
	validate_filters(filters)
	data = get_data(filters)
	return get_columns(), data, None, get_chart(data), get_summary(data, filters)


def validate_filters(filters) -> None:
	# the repeat-purchase rate reads the company's invoices (a call list has no company)
	report_company(filters, "Sales Invoice")
	if not filters.from_date or not filters.to_date:
		frappe.throw(_("Set both From Date and To Date."), CustomerIntelligenceError)
	filters.from_date, filters.to_date = getdate(filters.from_date), getdate(filters.to_date)
	if filters.from_date > filters.to_date:
		frappe.throw(_("From Date must not be after To Date."), CustomerIntelligenceError)
	if is_agent_only(frappe.session.user):
		filters.agent = frappe.session.user


def get_columns() -> list[dict]:
	return [
		{"fieldname": "agent", "label": _("Agent"), "fieldtype": "Link", "options": "User", "width": 220},
		{"fieldname": "calls", "label": _("Calls"), "fieldtype": "Int", "width": 80},
		{"fieldname": "reached", "label": _("Reached"), "fieldtype": "Int", "width": 90},
		{"fieldname": "follow_ups", "label": _("Follow-ups"), "fieldtype": "Int", "width": 100},
		{"fieldname": "converted", "label": _("Converted"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "conversion_rate",
			"label": _("Conversion Rate (%)"),
			"fieldtype": "Percent",
			"width": 140,
		},
	]


def get_data(filters) -> list[dict]:
	call = frappe.qb.DocType("Telesales Call")
	query = (
		frappe.qb.from_(call)
		.select(
			call.agent,
			Count("*").as_("calls"),
			Count(
				Case().when(
					call.outcome.isin(("Call Back Later", "Not Interested", "Interested", "Converted")), 1
				)
			).as_("reached"),
			Count(Case().when(call.outcome.isin(("Call Back Later", "Interested")), 1)).as_("follow_ups"),
			Count(Case().when(call.outcome == "Converted", 1)).as_("converted"),
		)
		.where(
			(call.creation >= filters.from_date)
			& (call.creation < add_days(filters.to_date, 1))
			& (call.status != "Cancelled")
		)
		.groupby(call.agent)
		.orderby(call.agent)
	)
	if filters.agent:
		query = query.where(call.agent == filters.agent)
	rows = user_permissions.apply_to(query, "Telesales Call", call).run(as_dict=True)
	for row in rows:
		row.conversion_rate = flt(row.converted / row.calls * 100, 2) if row.calls else 0
	return rows


def repeat_purchase_rate(from_date, to_date, company: str | None = None) -> tuple[int, int]:
	"""(customers invoiced in the period, of whom had an earlier invoice, by `company` when given): one
	query. It reads the period's invoices and, for each of their customers, looks up one earlier invoice
	(EXISTS, on the `customer` index); grouping every invoice up to the period's end by customer, as
	this did before, read the company's whole history (4.6 s on the benchmark's `half` data, see
	docs/performance.md)."""
	from_date, to_date = getdate(from_date), getdate(to_date)
	invoice = frappe.qb.DocType("Sales Invoice")
	period = (
		frappe.qb.from_(invoice)
		.select(invoice.customer)
		.distinct()
		.where(
			(invoice.docstatus == 1)
			& (invoice.is_return == 0)
			& (invoice.posting_date >= from_date)
			& (invoice.posting_date <= to_date)
		)
	)
	period = user_permissions.apply_to(of_company(period, invoice, company), "Sales Invoice", invoice)
	buyers = period.as_("buyers")
	earlier = frappe.qb.DocType("Sales Invoice").as_("earlier")
	before = (
		frappe.qb.from_(earlier)
		.select(earlier.name)
		.where(
			(earlier.customer == buyers.customer)
			& (earlier.docstatus == 1)
			& (earlier.is_return == 0)
			& (earlier.posting_date < from_date)
		)
	)
	before = user_permissions.apply_to(of_company(before, earlier, company), "Sales Invoice", earlier)
	counted = (
		frappe.qb.from_(buyers)
		.select(Count("*"), Count(Case().when(ExistsCriterion(before), 1)))
	).run()
	return cint(counted[0][0]), cint(counted[0][1])


def get_chart(data: list[dict]) -> dict | None:
	"""The `TOP_N` agents with the most calls, each name whole under its bars."""
	data = sorted(data, key=lambda row: -(row.calls or 0))[:TOP_N]
	if not data:
		return None
	return {
		"data": {
			"labels": [row.agent for row in data],
			"datasets": [
				{"name": _("Calls"), "values": [row.calls for row in data]},
				{"name": _("Converted"), "values": [row.converted for row in data]},
			],
		},
		"type": "bar",
		"fieldtype": "Int",
	}


def get_summary(data: list[dict], filters) -> list[dict]:
	calls = sum(row.calls for row in data)
	converted = sum(row.converted for row in data)
	buyers, returning = repeat_purchase_rate(filters.from_date, filters.to_date, filters.company)
	return [
		{"value": calls, "label": _("Calls"), "datatype": "Int"},
		{"value": converted, "label": _("Converted"), "datatype": "Int", "indicator": "Green"},
		{
			"value": flt(converted / calls * 100, 2) if calls else 0,
			"label": _("Conversion Rate (%)"),
			"datatype": "Percent",
		},
		{
			"value": flt(returning / buyers * 100, 2) if buyers else 0,
			"label": _("Repeat-Purchase Rate (%)"),
			"datatype": "Percent",
		},
	]
