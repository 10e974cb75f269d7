# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Sell-in (company -> dealer invoices) against sell-through (dealer -> end customers) by dealer,
territory and item, with the stock the channel is estimated to hold. Every table is cut to the user's
User Permissions: the dealers (Territory, Customer), the invoices (Company, Territory, Customer) and the
sell-through reports (Territory)."""

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt, get_first_day, get_last_day, getdate

from sales_reengineering.arguments import report_filters
from sales_reengineering.companies import of_company, report_company
from sales_reengineering.exceptions import SalesReengineeringError
from sales_reengineering.scope import user_permissions
from sales_reengineering.scope.dealers import get_report_dealers


# a site with a read replica (read_from_replica) answers the report from it; the report only reads
@frappe.read_only()
def execute(filters: dict | None = None):
	filters = validate_filters(filters)
	frappe.has_permission("Sell Through Report", "report", throw=True)
	rows = get_data(filters)
	return get_columns(), rows, None, None, get_summary(rows)


def validate_filters(filters: dict | None) -> frappe._dict:
	filters = report_filters(
		filters, dates=("from_date", "to_date"), texts=("company", "dealer", "territory", "item_code")
	)
	report_company(filters, "Sales Invoice", required=True)
	# before anything says whether the territory exists
	user_permissions.check_filters(
		filters, {"territory": "Territory"}, reference_doctype="Sell Through Report"
	)
	if not filters.from_date or not filters.to_date:
		frappe.throw(_("Choose a From Date and a To Date."), SalesReengineeringError)
	# sell-through is reported by month: compare whole months
	filters.from_date = get_first_day(filters.from_date)
	filters.to_date = get_last_day(filters.to_date)
	if filters.to_date < filters.from_date:
		frappe.throw(_("To Date cannot be before From Date."), SalesReengineeringError)
	return filters


def get_columns() -> list[dict]:
	return [
		{"label": _("Dealer"), "fieldname": "dealer", "fieldtype": "Link", "options": "Dealer", "width": 180},
		{
			"label": _("Territory"),
			"fieldname": "territory",
			"fieldtype": "Link",
			"options": "Territory",
			"width": 130,
		},
		{"label": _("Item"), "fieldname": "item_code", "fieldtype": "Link", "options": "Item", "width": 150},
		{"label": _("Sell-In Qty"), "fieldname": "sell_in_qty", "fieldtype": "Float", "width": 100},
		{"label": _("Sell-In Amount"), "fieldname": "sell_in_amount", "fieldtype": "Currency", "width": 130},
		{"label": _("Sell-Through Qty"), "fieldname": "sell_through_qty", "fieldtype": "Float", "width": 110},
		{
			"label": _("Sell-Through Amount"),
			"fieldname": "sell_through_amount",
			"fieldtype": "Currency",
			"width": 140,
		},
		{
			"label": _("Sell-Through Rate (%)"),
			"fieldname": "sell_through_rate",
			"fieldtype": "Percent",
			"width": 120,
		},
		{
			"label": _("Estimated Channel Stock"),
			"fieldname": "estimated_stock",
			"fieldtype": "Float",
			"width": 130,
		},
		{
			"label": _("Reported Stock on Hand"),
			"fieldname": "reported_stock",
			"fieldtype": "Float",
			"width": 130,
		},
	]


def get_data(filters: frappe._dict) -> list[dict]:
	scope = get_report_dealers(filters.dealer)
	if scope == []:
		return []
	dealer = frappe.qb.DocType("Dealer")
	query = (
		frappe.qb.from_(dealer)
		.select(dealer.name, dealer.customer, dealer.territory)
		.where(dealer.customer.isnotnull() & (dealer.customer != ""))
		.orderby(dealer.lft)
	)
	if scope is not None:
		query = query.where(dealer.name.isin(scope))
	if filters.territory:
		territory = frappe.db.get_value("Territory", filters.territory, ["lft", "rgt"], as_dict=True)
		if not territory:
			frappe.throw(
				_("Territory {0} does not exist.").format(frappe.bold(filters.territory)),
				SalesReengineeringError,
			)
		query = query.where(
			dealer.territory.isin(
				frappe.get_all(
					"Territory", {"lft": (">=", territory.lft), "rgt": ("<=", territory.rgt)}, pluck="name"
				)
			)
		)
	dealers = user_permissions.apply_to(query, "Dealer", dealer).run(as_dict=True)
	if not dealers:
		return []
	by_customer = {d.customer: d for d in dealers}
	territory_of = {d.name: d.territory for d in dealers}

	rows: dict[tuple, frappe._dict] = {}

	def row_for(dealer: str, item_code: str) -> frappe._dict:
		key = (dealer, item_code)
		if key not in rows:
			rows[key] = frappe._dict(
				dealer=dealer,
				territory=territory_of.get(dealer),
				item_code=item_code,
				sell_in_qty=0.0,
				sell_in_amount=0.0,
				sell_through_qty=0.0,
				sell_through_amount=0.0,
				reported_stock=None,
			)
		return rows[key]

	for sold in get_sell_in(list(by_customer), filters):
		row = row_for(by_customer[sold.customer].name, sold.item_code)
		row.sell_in_qty, row.sell_in_amount = flt(sold.qty), flt(sold.amount)
	for sold in get_sell_through([d.name for d in dealers], filters):
		row = row_for(sold.dealer, sold.item_code)
		row.sell_through_qty, row.sell_through_amount = flt(sold.qty), flt(sold.amount)
	for stock in get_latest_stock([d.name for d in dealers], filters):
		row_for(stock.dealer, stock.item_code).reported_stock = flt(stock.stock_on_hand)

	result = sorted(rows.values(), key=lambda r: (r.dealer, r.item_code))
	for row in result:
		row.estimated_stock = row.sell_in_qty - row.sell_through_qty
		row.sell_through_rate = 100 * row.sell_through_qty / row.sell_in_qty if row.sell_in_qty else None
	return result


def get_sell_in(customers: list[str], filters: frappe._dict) -> list[dict]:
	invoice = frappe.qb.DocType("Sales Invoice")
	item = frappe.qb.DocType("Sales Invoice Item")
	query = (
		frappe.qb.from_(invoice)
		.join(item)
		.on(item.parent == invoice.name)
		.select(
			invoice.customer,
			item.item_code,
			Sum(item.stock_qty).as_("qty"),
			Sum(item.base_net_amount).as_("amount"),
		)
		.where(
			(invoice.docstatus == 1)
			& invoice.customer.isin(customers)
			& (invoice.posting_date >= filters.from_date)
			& (invoice.posting_date <= filters.to_date)
		)
		.groupby(invoice.customer, item.item_code)
	)
	if filters.item_code:
		query = query.where(item.item_code == filters.item_code)
	query = of_company(query, invoice, filters.company)
	return user_permissions.apply_to(query, "Sales Invoice", invoice).run(as_dict=True)


def get_sell_through(dealers: list[str], filters: frappe._dict) -> list[dict]:
	report = frappe.qb.DocType("Sell Through Report")
	item = frappe.qb.DocType("Sell Through Report Item")
	query = (
		frappe.qb.from_(report)
		.join(item)
		.on(item.parent == report.name)
		.select(report.dealer, item.item_code, Sum(item.qty).as_("qty"), Sum(item.amount).as_("amount"))
		.where(
			(report.docstatus == 1)
			& report.dealer.isin(dealers)
			& (report.period >= filters.from_date)
			& (report.period <= filters.to_date)
		)
		.groupby(report.dealer, item.item_code)
	)
	if filters.item_code:
		query = query.where(item.item_code == filters.item_code)
	return user_permissions.apply_to(query, "Sell Through Report", report).run(as_dict=True)


def get_latest_stock(dealers: list[str], filters: frappe._dict) -> list[dict]:
	"""Stock on hand each dealer reported for each item in its latest report of the period."""
	report = frappe.qb.DocType("Sell Through Report")
	item = frappe.qb.DocType("Sell Through Report Item")
	query = (
		frappe.qb.from_(report)
		.join(item)
		.on(item.parent == report.name)
		.select(report.dealer, item.item_code, report.period, Sum(item.stock_on_hand).as_("stock_on_hand"))
		.where(
			(report.docstatus == 1)
			& report.dealer.isin(dealers)
			& (report.period >= filters.from_date)
			& (report.period <= filters.to_date)
			& item.stock_on_hand.isnotnull()
		)
		.groupby(report.dealer, item.item_code, report.period)
	)
	rows = user_permissions.apply_to(query, "Sell Through Report", report).run(as_dict=True)
	latest: dict[tuple, dict] = {}
	for row in rows:
		key = (row.dealer, row.item_code)
		if key not in latest or getdate(row.period) > getdate(latest[key].period):
			latest[key] = row
	return list(latest.values())


def get_summary(rows: list[dict]) -> list[dict]:
	return [
		{
			"label": _("Sell-In Qty"),
			"value": sum(r.sell_in_qty for r in rows),
			"datatype": "Float",
			"indicator": "Blue",
		},
		{
			"label": _("Sell-Through Qty"),
			"value": sum(r.sell_through_qty for r in rows),
			"datatype": "Float",
			"indicator": "Green",
		},
		{
			"label": _("Estimated Channel Stock"),
			"value": sum(r.estimated_stock for r in rows),
			"datatype": "Float",
			"indicator": "Orange",
		},
	]
