# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Dealer Performance: sell-in, sell-through, growth, target attainment and registrations won and lost,
per dealer and rolled up the dealer tree (a parent's figures include every dealer below it).

Every table is cut to the user's User Permissions: the dealers (Territory, Customer), their invoices
(Company, Territory, Customer), their sell-through reports (Territory) and registrations (Territory,
Customer), so no figure adds up documents the user may not see."""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, date_diff, flt, get_first_day, getdate

from sales_reengineering.arguments import report_filters
from sales_reengineering.charts import BLUE, GREEN
from sales_reengineering.companies import of_company, report_company
from sales_reengineering.exceptions import SalesReengineeringError
from sales_reengineering.scope import user_permissions
from sales_reengineering.scope.dealers import get_report_dealers

DAYS_PER_QUARTER = 365.25 / 4
WON = ("Approved", "Expired")
LOST = ("Rejected",)
ROLLED = ("sell_in", "previous_sell_in", "sell_through", "target", "won", "lost")


# a site with a read replica (read_from_replica) answers the report from it; the report only reads
@frappe.read_only()
def execute(filters: dict | None = None):
	filters = validate_filters(filters)
	frappe.has_permission("Dealer", "report", throw=True)
	rows = get_data(filters)
	return get_columns(), rows, None, get_chart(rows), get_summary(rows)


def validate_filters(filters: dict | None) -> frappe._dict:
	filters = report_filters(filters, dates=("from_date", "to_date"), texts=("company", "dealer"))
	report_company(filters, "Sales Invoice", required=True)
	if not filters.from_date or not filters.to_date:
		frappe.throw(_("Choose a From Date and a To Date."), SalesReengineeringError)
	filters.from_date, filters.to_date = getdate(filters.from_date), getdate(filters.to_date)
	if filters.to_date < filters.from_date:
		frappe.throw(_("To Date cannot be before From Date."), SalesReengineeringError)
	return filters


def get_columns() -> list[dict]:
	return [
		{"label": _("Dealer"), "fieldname": "dealer", "fieldtype": "Link", "options": "Dealer", "width": 220},
		{"label": _("Level"), "fieldname": "dealer_level", "fieldtype": "Data", "width": 120},
		{
			"label": _("Tier"),
			"fieldname": "dealer_tier",
			"fieldtype": "Link",
			"options": "Dealer Tier",
			"width": 90,
		},
		{"label": _("Sell-In"), "fieldname": "sell_in", "fieldtype": "Currency", "width": 130},
		{
			"label": _("Previous Period Sell-In"),
			"fieldname": "previous_sell_in",
			"fieldtype": "Currency",
			"width": 130,
		},
		{"label": _("Growth (%)"), "fieldname": "growth", "fieldtype": "Percent", "width": 100},
		{"label": _("Sell-Through"), "fieldname": "sell_through", "fieldtype": "Currency", "width": 130},
		{"label": _("Target"), "fieldname": "target", "fieldtype": "Currency", "width": 130},
		{"label": _("Attainment (%)"), "fieldname": "attainment", "fieldtype": "Percent", "width": 110},
		{"label": _("Registrations Won"), "fieldname": "won", "fieldtype": "Int", "width": 100},
		{"label": _("Registrations Lost"), "fieldname": "lost", "fieldtype": "Int", "width": 100},
	]


def get_data(filters: frappe._dict) -> list[dict]:
	scope = get_report_dealers(filters.dealer)
	if scope == []:
		return []
	dealer = frappe.qb.DocType("Dealer")
	query = (
		frappe.qb.from_(dealer)
		.select(
			dealer.name,
			dealer.dealer_level,
			dealer.dealer_tier,
			dealer.parent_dealer,
			dealer.customer,
			dealer.lft,
			dealer.rgt,
		)
		.orderby(dealer.lft)
	)
	if scope is not None:
		query = query.where(dealer.name.isin(scope))
	dealers = user_permissions.apply_to(query, "Dealer", dealer).run(as_dict=True)
	if not dealers:
		return []
	names = [d.name for d in dealers]
	days = date_diff(filters.to_date, filters.from_date) + 1
	previous_from = add_days(filters.from_date, -days)

	sell_in = get_sell_in({d.customer for d in dealers if d.customer}, previous_from, filters)
	sell_through = get_sell_through(names, filters)
	registrations = get_registrations(names, filters)
	targets = dict(frappe.get_all("Dealer Tier", fields=["name", "min_quarterly_purchase"], as_list=True))

	in_scope = set(names)
	depth: dict[str, int] = {}
	rows = []
	for d in dealers:
		depth[d.name] = depth[d.parent_dealer] + 1 if d.parent_dealer in depth else 0
		own = sell_in.get(d.customer, {})
		won_lost = registrations.get(d.name, {})
		rows.append(
			frappe._dict(
				dealer=d.name,
				dealer_level=_(d.dealer_level),
				dealer_tier=d.dealer_tier,
				parent_dealer=d.parent_dealer if d.parent_dealer in in_scope else None,
				indent=depth[d.name],
				lft=d.lft,
				rgt=d.rgt,
				sell_in=flt(own.get("current")),
				previous_sell_in=flt(own.get("previous")),
				sell_through=flt(sell_through.get(d.name)),
				target=flt(targets.get(d.dealer_tier)) * days / DAYS_PER_QUARTER,
				won=won_lost.get("won", 0),
				lost=won_lost.get("lost", 0),
			)
		)
	roll_up(rows)
	for row in rows:
		row.growth = (
			100 * (row.sell_in - row.previous_sell_in) / row.previous_sell_in
			if row.previous_sell_in
			else None
		)
		row.attainment = 100 * row.sell_in / row.target if row.target else None
		del row["lft"], row["rgt"]
	return rows


def roll_up(rows: list[dict]) -> None:
	"""Add each dealer's descendants' figures to its own (rows sorted by lft)."""
	own = [{field: row[field] for field in ROLLED} for row in rows]
	for index, row in enumerate(rows):
		for other_index in range(index + 1, len(rows)):
			other = rows[other_index]
			if other.lft > row.rgt:
				break
			for field in ROLLED:
				row[field] += own[other_index][field]


def get_sell_in(customers: set[str], previous_from, filters: frappe._dict) -> dict[str, dict]:
	if not customers:
		return {}
	invoice = frappe.qb.DocType("Sales Invoice")
	current = invoice.posting_date >= filters.from_date
	query = (
		frappe.qb.from_(invoice)
		.select(
			invoice.customer,
			Sum(Case().when(current, invoice.base_net_total).else_(0)).as_("current"),
			Sum(Case().when(current, 0).else_(invoice.base_net_total)).as_("previous"),
		)
		.where(
			(invoice.docstatus == 1)
			& invoice.customer.isin(list(customers))
			& (invoice.posting_date >= previous_from)
			& (invoice.posting_date <= filters.to_date)
		)
		.groupby(invoice.customer)
	)
	query = of_company(query, invoice, filters.company)
	query = user_permissions.apply_to(query, "Sales Invoice", invoice)
	return {row.customer: row for row in query.run(as_dict=True)}


def get_sell_through(dealers: list[str], filters: frappe._dict) -> dict[str, float]:
	report = frappe.qb.DocType("Sell Through Report")
	query = (
		frappe.qb.from_(report)
		.select(report.dealer, Sum(report.total_amount))
		.where(
			(report.docstatus == 1)
			& report.dealer.isin(dealers)
			& (report.period >= get_first_day(filters.from_date))
			& (report.period <= filters.to_date)
		)
		.groupby(report.dealer)
	)
	return dict(user_permissions.apply_to(query, "Sell Through Report", report).run())


def get_registrations(dealers: list[str], filters: frappe._dict) -> dict[str, dict]:
	dr = frappe.qb.DocType("Deal Registration")
	query = (
		frappe.qb.from_(dr)
		.select(
			dr.dealer,
			Sum(Case().when(dr.status.isin(WON), 1).else_(0)).as_("won"),
			Sum(Case().when(dr.status.isin(LOST), 1).else_(0)).as_("lost"),
		)
		.where(
			(dr.docstatus == 1)
			& dr.dealer.isin(dealers)
			& (dr.registration_date >= filters.from_date)
			& (dr.registration_date <= filters.to_date)
		)
		.groupby(dr.dealer)
	)
	rows = user_permissions.apply_to(query, "Deal Registration", dr).run(as_dict=True)
	return {row.dealer: {"won": int(row.won or 0), "lost": int(row.lost or 0)} for row in rows}


# dealer names are long company names: this many bars leave each name whole
CHART_DEALERS = 6


def get_chart(rows: list[dict]) -> dict | None:
	"""Sell-in against sell-through of the top-level dealers that bought the most."""
	top = sorted((row for row in rows if row.indent == 0), key=lambda row: -flt(row.sell_in))
	top = top[:CHART_DEALERS]
	if not top:
		return None
	return {
		"data": {
			"labels": [row.dealer for row in top],
			"datasets": [
				{"name": _("Sell-In"), "values": [row.sell_in for row in top]},
				{"name": _("Sell-Through"), "values": [row.sell_through for row in top]},
			],
		},
		"type": "bar",
		"fieldtype": "Currency",
		"colors": [GREEN, BLUE],
	}


def get_summary(rows: list[dict]) -> list[dict]:
	top = [row for row in rows if row.indent == 0]
	return [
		{
			"label": _("Sell-In"),
			"value": sum(r.sell_in for r in top),
			"datatype": "Currency",
			"indicator": "Blue",
		},
		{
			"label": _("Sell-Through"),
			"value": sum(r.sell_through for r in top),
			"datatype": "Currency",
			"indicator": "Green",
		},
		{
			"label": _("Registrations Won"),
			"value": sum(r.won for r in top),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"label": _("Registrations Lost"),
			"value": sum(r.lost for r in top),
			"datatype": "Int",
			"indicator": "Red",
		},
	]
