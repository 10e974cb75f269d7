# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Everything a customer has done with the company in one list: quotations, sales orders, sales
invoices, payments and contracts, newest first. One query per document type (five at most), whatever
the size of the history. The user must be allowed to read the customer, and sees only the document
types they may read. That check is enough: whoever may read a customer may read all of its quotations,
orders, invoices and contracts (customer_intelligence/permissions.py), except an Order Desk user, who
reads every customer and its orders and invoices but not its contracts: a document type the customer
rule still narrows for the user shows the rows its list would. User Permissions cut further, as
in the list views: a Customer outside them is refused before the report looks it up, one whose Territory
they exclude like a missing one, and each document type shows only the documents whose Company and
Territory they allow."""

from dataclasses import dataclass

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce
from frappe.utils import flt, getdate
from pypika.terms import LiteralValue

from sales_reengineering.arguments import report_filters
from sales_reengineering.companies import report_company
from sales_reengineering.exceptions import CustomerIntelligenceError
from sales_reengineering.scope import user_permissions
from sales_reengineering.scope.customers import CUSTOMER_RULES
from sales_reengineering.scope.customers import condition as customer_rule


# a site with a read replica (read_from_replica) answers the report from it; the report only reads
@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, dates=("from_date", "to_date"), texts=("customer", "company"))
	types = validate_filters(filters)
	data = get_data(filters, types)
	return get_columns(), data, None, get_chart(data), get_summary(data)


def validate_filters(filters) -> list[str]:
	if not filters.customer:
		frappe.throw(_("Select a customer."), CustomerIntelligenceError)
	user_permissions.check_filters(filters, {"customer": "Customer"}, reference_doctype="Customer")
	report_company(filters, "Sales Invoice")
	# one answer for "no such customer" and "not yours", so that the report does not tell them apart
	if not frappe.db.exists("Customer", filters.customer) or not frappe.has_permission(
		"Customer", "read", doc=filters.customer
	):
		frappe.throw(
			_("Customer {0} does not exist or is not one of yours.").format(filters.customer),
			frappe.PermissionError,
		)
	if filters.from_date and filters.to_date and getdate(filters.from_date) > getdate(filters.to_date):
		frappe.throw(_("From Date must not be after To Date."), CustomerIntelligenceError)
	types = filters.document_types or list(DOCUMENT_TYPES)
	if isinstance(types, str):
		types = [value.strip() for value in types.split(",") if value.strip()]
	unknown = [value for value in types if value not in DOCUMENT_TYPES]
	if unknown:
		frappe.throw(_("Unknown document types: {0}.").format(", ".join(unknown)), CustomerIntelligenceError)
	return [doctype for doctype in types if frappe.has_permission(doctype, "read")]


def get_columns() -> list[dict]:
	return [
		{"fieldname": "date", "label": _("Date"), "fieldtype": "Date", "width": 100},
		# Data, not a Link to DocType: Frappe's report runner checks read access to every linked doctype
		# of the columns, and no sales role may read DocType
		{"fieldname": "document_type", "label": _("Document Type"), "fieldtype": "Data", "width": 130},
		{
			"fieldname": "document",
			"label": _("Document"),
			"fieldtype": "Dynamic Link",
			"options": "document_type",
			"width": 180,
		},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 110},
		{
			"fieldname": "amount",
			"label": _("Amount"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 130,
		},
		{
			"fieldname": "outstanding",
			"label": _("Outstanding"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 120,
		},
		# Data, not a Link: Sales Assistants, Telesales Agents and Channel Managers may not read Currency,
		# and Frappe's report runner refuses a report that links a doctype the user may not read
		{"fieldname": "currency", "label": _("Currency"), "fieldtype": "Data", "width": 80},
		{
			"fieldname": "contract",
			"label": _("Contract"),
			"fieldtype": "Link",
			"options": "Contract",
			"width": 140,
		},
		{"fieldname": "until", "label": _("Valid / Due Until"), "fieldtype": "Date", "width": 120},
	]


@dataclass(frozen=True)
class HistorySource:
	"""Where one document type keeps what a history row shows."""

	party_field: str
	date: str
	amount: str
	currency: str | None = None
	until: tuple[str, ...] = ()  # the first set of these fields
	contract: str | None = None
	outstanding: str | None = None
	match: tuple[tuple[str, str], ...] = ()  # further (field, value) conditions naming the customer


SOURCES = {
	"Quotation": HistorySource(
		"party_name",
		"transaction_date",
		"grand_total",
		"currency",
		("valid_till",),
		match=(("quotation_to", "Customer"),),
	),
	"Sales Order": HistorySource(
		"customer", "transaction_date", "grand_total", "currency", ("delivery_date",), "sr_contract"
	),
	"Sales Invoice": HistorySource(
		"customer",
		"posting_date",
		"grand_total",
		"currency",
		("due_date",),
		"sr_contract",
		"outstanding_amount",
	),
	"Payment Entry": HistorySource(
		"party",
		"posting_date",
		"paid_amount",
		"paid_from_account_currency",
		match=(("party_type", "Customer"),),
	),
	"Contract": HistorySource(
		"party_name",
		"start_date",
		"sr_contract_value",
		until=("sr_renewal_date", "end_date"),
		contract="name",
		match=(("party_type", "Customer"),),
	),
}
DOCUMENT_TYPES = tuple(SOURCES)
# the document types whose amounts the summary and the chart add up
SUMMED = ("Sales Order", "Sales Invoice", "Payment Entry")


def _query(doctype: str, customer: str):
	"""The query of one document type's rows of `customer` (cancelled ones left out), and its date."""
	source, table = SOURCES[doctype], frappe.qb.DocType(doctype)
	columns = [table[source.date].as_("date"), table.status, table[source.amount].as_("amount")]
	if source.currency:
		columns.append(table[source.currency].as_("currency"))
	if source.until:
		fields = [table[field] for field in source.until]
		columns.append((Coalesce(*fields) if len(fields) > 1 else fields[0]).as_("until"))
	for column, field in (("contract", source.contract), ("outstanding", source.outstanding)):
		if field:
			columns.append(table[field].as_(column))
	condition = (table[source.party_field] == customer) & (table.docstatus < 2)
	for field, value in source.match:
		condition &= table[field] == value
	query = user_permissions.apply_to(
		frappe.qb.from_(table).select(*columns).where(condition), doctype, table
	)
	# who reads a customer through the Order Desk role reads its orders and invoices, not its contracts:
	# a document type the customer rule still narrows for the user shows only what its list would
	if doctype in CUSTOMER_RULES and (rule := customer_rule(doctype)):
		query = query.where(LiteralValue(rule))
	return query, table[source.date]


def get_data(filters, types: list[str]) -> list[dict]:
	rows = []
	default_currency = frappe.get_cached_value("Customer", filters.customer, "default_currency")
	# an order's or invoice's contract is shown only to who may read contracts (a Telesales Agent may not)
	show_contract = frappe.has_permission("Contract", "read")
	for doctype in types:
		query, date_field = _query(doctype, filters.customer)
		table = frappe.qb.DocType(doctype)
		query = query.select(table.name.as_("document"))
		if filters.from_date:
			query = query.where(date_field >= getdate(filters.from_date))
		if filters.to_date:
			query = query.where(date_field <= getdate(filters.to_date))
		if filters.company and doctype != "Contract":  # ERPNext v15's Contract has no company
			query = query.where(table.company == filters.company)
		for row in query.run(as_dict=True):
			row.document_type = doctype
			row.currency = row.get("currency") or default_currency
			if not show_contract:
				row.contract = None
			rows.append(row)
	# an order's contract is named only to who may read that contract (one query)
	named = {row.contract for row in rows if row.get("contract") and row.document_type != "Contract"}
	if named and customer_rule("Contract"):
		readable = set(frappe.get_list("Contract", filters={"name": ("in", list(named))}, pluck="name"))
		for row in rows:
			if row.document_type != "Contract" and row.get("contract") not in readable:
				row.contract = None
	rows.sort(key=lambda row: (row.date or getdate("1900-01-01"), row.document), reverse=True)
	return rows


def _currencies(data: list[dict]) -> list[str | None]:
	"""The currencies of the amounts the summary and the chart add up: each is added up on its own."""
	return sorted({row.currency or "" for row in data if row.document_type in SUMMED}) or [""]


def _with_currency(label: str, currency: str, currencies: list) -> str:
	return f"{label} ({currency})" if len(currencies) > 1 else label


def get_chart(data: list[dict]) -> dict | None:
	invoices = {}
	for row in data:
		if row.document_type == "Sales Invoice" and row.date and row.status != "Cancelled":
			key = (row.date.strftime("%Y"), row.currency or "")
			invoices[key] = invoices.get(key, 0) + flt(row.amount)
	if not invoices:
		return None
	years = sorted({year for year, _currency in invoices})
	currencies = sorted({currency for _year, currency in invoices})
	return {
		"data": {
			"labels": years,
			"datasets": [
				{
					"name": _with_currency(_("Invoiced"), currency, currencies),
					"values": [invoices.get((year, currency), 0) for year in years],
				}
				for currency in currencies
			],
		},
		"type": "bar",
		"fieldtype": "Currency",
	}


def get_summary(data: list[dict]) -> list[dict]:
	"""Totals of the orders, invoices and payments, one set per currency: a customer billed by two
	companies (or in two currencies) gets two, never a sum of yuan and dollars."""

	def total(doctype, currency, field="amount"):
		return sum(
			flt(row.get(field))
			for row in data
			if row.document_type == doctype and row.status != "Cancelled" and (row.currency or "") == currency
		)

	invoices = [row for row in data if row.document_type == "Sales Invoice"]
	currencies = _currencies(data)
	summary = []
	for currency in currencies:
		money = {"datatype": "Currency", "currency": currency or None}
		summary += [
			{
				"value": total("Sales Order", currency),
				"label": _with_currency(_("Ordered"), currency, currencies),
				**money,
			},
			{
				"value": total("Sales Invoice", currency),
				"label": _with_currency(_("Invoiced"), currency, currencies),
				**money,
			},
			{
				"value": total("Sales Invoice", currency, "outstanding"),
				"label": _with_currency(_("Outstanding"), currency, currencies),
				"indicator": "Orange",
				**money,
			},
			{
				"value": total("Payment Entry", currency),
				"label": _with_currency(_("Paid"), currency, currencies),
				"indicator": "Green",
				**money,
			},
		]
	return [
		*summary,
		{"value": len(invoices), "label": _("Invoices"), "datatype": "Int"},
		{
			"value": max((row.date for row in invoices if row.date), default=None),
			"label": _("Last Invoice"),
			"datatype": "Date",
		},
	]
