# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Submitted direct-sales Quotations and Sales Orders that did not come from an opportunity: the
projects nobody reported before they became business (problem 4).

"Direct" and "from an opportunity" mean what `customer_intelligence.unreported` enforces: the party is
not a dealer's own customer (a quotation to a Lead is direct); a quotation names an opportunity (or an
item made from one), a sales order has an item made from a submitted quotation that names one. A
document belongs to its customer's responsible salesperson (Customer > Responsible Sales Person);
quotations to a Lead have none.

By salesperson (the default): the documents and amount without an opportunity, every direct document's
amount, and the share of that amount without one. Otherwise one row per document without an opportunity.
Amounts are net totals in company currency. One query per doctype; each user sees only the documents the
customer rule and their User Permissions let them read."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce
from frappe.utils import cint, flt
from pypika.terms import Case, LiteralValue

from sales_reengineering.arguments import report_filters
from sales_reengineering.companies import report_company
from sales_reengineering.exceptions import CustomerIntelligenceError
from sales_reengineering.scope import customers as customer_scope
from sales_reengineering.scope import user_permissions
from sales_reengineering.scope.people import get_subtree

DOCTYPES = ("Quotation", "Sales Order")


def execute(filters: dict | None = None):
	filters = report_filters(filters, dates=("from_date", "to_date"), texts=("sales_person", "company"))
	validate_filters(filters)
	documents = get_documents(filters)
	unreported = [row for row in documents if not row.from_opportunity]
	if cint(filters.get("by_sales_person", 1)):
		data = by_sales_person(documents)
		columns = get_person_columns()
	else:
		data = sorted(unreported, key=lambda row: (row.sales_person or "", row.date, row.document))
		columns = get_document_columns()
	return columns, data, None, get_chart(by_sales_person(documents)), get_summary(documents, unreported)


def validate_filters(filters) -> None:
	if not filters.from_date or not filters.to_date:
		frappe.throw(_("Choose the dates to report on."), CustomerIntelligenceError)
	if filters.from_date > filters.to_date:
		frappe.throw(_("The From Date cannot be after the To Date."), CustomerIntelligenceError)
	if filters.document_type and filters.document_type not in DOCTYPES:
		frappe.throw(
			_("Choose Quotation or Sales Order, not {0}.").format(filters.document_type),
			CustomerIntelligenceError,
		)
	if filters.min_amount not in (None, "") and flt(filters.min_amount) < 0:
		frappe.throw(_("The amount cannot be negative."), CustomerIntelligenceError)
	# the amounts are net totals in company currency: one company at a time
	report_company(filters, "Sales Order", required=True)


def get_documents(filters) -> list[frappe._dict]:
	doctypes = [filters.document_type] if filters.document_type else list(DOCTYPES)
	rows = []
	for doctype in doctypes:
		rows.extend(query(doctype, filters).run(as_dict=True))
	for row in rows:
		row.from_opportunity = bool(row.from_opportunity)
	return rows


def query(doctype: str, filters):
	"""Submitted direct-sales documents of `doctype` in the period, each with its salesperson and whether
	it came from an opportunity."""
	doc = frappe.qb.DocType(doctype)
	customer = frappe.qb.DocType("Customer")
	dealer = frappe.qb.DocType("Dealer")
	dealer_customers = frappe.qb.from_(dealer).select(dealer.customer).where(dealer.customer.isnotnull())
	if doctype == "Quotation":
		item = frappe.qb.DocType("Quotation Item")
		made_from = (
			frappe.qb.from_(item)
			.select(item.parent)
			.where((item.parenttype == "Quotation") & (item.prevdoc_doctype == "Opportunity"))
			.where(Coalesce(item.prevdoc_docname, "") != "")
		)
		from_opportunity = (Coalesce(doc.opportunity, "") != "") | doc.name.isin(made_from)
		party = doc.party_name
		is_customer = doc.quotation_to == "Customer"
		direct = (~is_customer) | doc.party_name.notin(dealer_customers)
		joined = (
			frappe.qb.from_(doc).left_join(customer).on(is_customer & (customer.name == doc.party_name))
		)
	else:
		item = frappe.qb.DocType("Sales Order Item")
		quotation = frappe.qb.DocType("Quotation")
		made_from = (
			frappe.qb.from_(item)
			.join(quotation)
			.on(quotation.name == item.prevdoc_docname)
			.select(item.parent)
			.where((item.parenttype == "Sales Order") & (quotation.docstatus == 1))
			.where(Coalesce(quotation.opportunity, "") != "")
		)
		from_opportunity = doc.name.isin(made_from)
		party = doc.customer
		direct = doc.customer.notin(dealer_customers)
		joined = frappe.qb.from_(doc).left_join(customer).on(customer.name == doc.customer)

	q = (
		joined.select(
			LiteralValue(frappe.db.escape(doctype)).as_("document_type"),
			doc.name.as_("document"),
			party.as_("party"),
			Coalesce(doc.customer_name, party).as_("party_name"),
			doc.transaction_date.as_("date"),
			doc.company,
			doc.base_net_total.as_("amount"),
			customer.sr_sales_person.as_("sales_person"),
			Case().when(from_opportunity, 1).else_(0).as_("from_opportunity"),
		)
		.where(doc.docstatus == 1)
		.where(doc.transaction_date[filters.from_date : filters.to_date])
		.where(direct)
	)
	if filters.company:
		q = q.where(doc.company == filters.company)
	if filters.min_amount not in (None, ""):
		q = q.where(doc.base_net_total > flt(filters.min_amount))
	if filters.sales_person:
		q = q.where(customer.sr_sales_person.isin(get_subtree([filters.sales_person]) or [""]))
	if condition := customer_scope.condition(doctype):
		q = q.where(LiteralValue(condition))
	return user_permissions.apply_to(q, doctype, doc)


def by_sales_person(documents: list[frappe._dict]) -> list[frappe._dict]:
	totals = defaultdict(lambda: frappe._dict(documents=0, amount=0.0, direct_amount=0.0, direct_documents=0))
	for row in documents:
		person = totals[row.sales_person or ""]
		person.direct_documents += 1
		person.direct_amount += flt(row.amount)
		if not row.from_opportunity:
			person.documents += 1
			person.amount += flt(row.amount)
	rows = []
	for sales_person, person in totals.items():
		if not person.documents:
			continue
		person.sales_person = sales_person or None
		person.share = flt(person.amount * 100 / person.direct_amount, 1) if person.direct_amount else 0
		rows.append(person)
	return sorted(rows, key=lambda row: (-row.amount, row.sales_person or ""))


def get_person_columns() -> list[dict]:
	return [
		{
			"fieldname": "sales_person",
			"label": _("Sales Person"),
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 180,
		},
		{"fieldname": "documents", "label": _("Without Opportunity"), "fieldtype": "Int", "width": 130},
		{"fieldname": "amount", "label": _("Amount Without Opportunity"), "fieldtype": "Currency", "width": 180},
		{"fieldname": "direct_documents", "label": _("Direct Sales Documents"), "fieldtype": "Int", "width": 150},
		{"fieldname": "direct_amount", "label": _("Direct Sales Amount"), "fieldtype": "Currency", "width": 160},
		{"fieldname": "share", "label": _("Share Without Opportunity (%)"), "fieldtype": "Percent", "width": 170},
	]


def get_document_columns() -> list[dict]:
	return [
		{"fieldname": "document_type", "label": _("Document Type"), "fieldtype": "Data", "width": 110},
		{
			"fieldname": "document",
			"label": _("Document"),
			"fieldtype": "Dynamic Link",
			"options": "document_type",
			"width": 170,
		},
		{"fieldname": "date", "label": _("Date"), "fieldtype": "Date", "width": 100},
		{"fieldname": "party_name", "label": _("Party"), "fieldtype": "Data", "width": 200},
		{
			"fieldname": "sales_person",
			"label": _("Sales Person"),
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 160,
		},
		{"fieldname": "amount", "label": _("Amount"), "fieldtype": "Currency", "width": 140},
	]


def get_chart(people: list[frappe._dict]) -> dict | None:
	people = people[:10]
	if not people:
		return None
	return {
		"data": {
			"labels": [row.sales_person or _("Not Assigned") for row in people],
			"datasets": [{"name": _("Amount Without Opportunity"), "values": [row.amount for row in people]}],
		},
		"type": "bar",
		"fieldtype": "Currency",
	}


def get_summary(documents: list[frappe._dict], unreported: list[frappe._dict]) -> list[dict]:
	total = sum(flt(row.amount) for row in documents)
	missing = sum(flt(row.amount) for row in unreported)
	share = flt(missing * 100 / total, 1) if total else 0
	return [
		{
			"value": len(unreported),
			"label": _("Without Opportunity"),
			"datatype": "Int",
			"indicator": "Red" if unreported else "Green",
		},
		{"value": missing, "label": _("Amount Without Opportunity"), "datatype": "Currency"},
		{"value": total, "label": _("Direct Sales Amount"), "datatype": "Currency"},
		{"value": share, "label": _("Share Without Opportunity (%)"), "datatype": "Percent"},
	]
