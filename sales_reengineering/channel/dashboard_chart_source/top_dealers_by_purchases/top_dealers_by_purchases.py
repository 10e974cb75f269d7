# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""The dealers that bought the most this quarter: net invoiced amount (returns deducted, company currency) of
each dealer's customer, to the chart's company (its Company filter, else the user's default company; two
companies' amounts are in different currencies). Dealer names are long company names, so the chart shows
the best `DEALERS`, each name whole under its bar; the Dealer Performance report lists them all."""

import frappe
from frappe import _

from sales_reengineering.charts import quarter_bounds, source_data, top_label, top_n
from sales_reengineering.companies import chart_company

DEALERS = 6


@frappe.whitelist()
def get(
	chart_name: str | None = None,
	chart: str | None = None,
	no_cache: int | None = None,
	filters: str | dict | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | None = None,
	refresh: int | None = None,
) -> dict:
	dealers = frappe.get_list(
		"Dealer", filters={"customer": ("is", "set")}, fields=["name", "customer"], limit_page_length=0
	)
	if not dealers:
		return {}
	company = chart_company(filters, "Sales Invoice")
	first, last, _label = quarter_bounds()
	purchases = frappe.get_list(
		"Sales Invoice",
		filters={
			"docstatus": 1,
			"company": company,
			"posting_date": ("between", [first, last]),
			"customer": ("in", [dealer.customer for dealer in dealers]),
		},
		fields=["customer", "sum(base_net_total) as amount"],
		group_by="customer",
		limit_page_length=0,
	)
	by_customer = {row.customer: row.amount for row in purchases}
	bought = [(dealer.name, by_customer[dealer.customer]) for dealer in dealers if by_customer.get(dealer.customer)]
	rows = top_n(bought, DEALERS)
	return source_data(rows, top_label(_("Purchases"), len(rows), len(bought)))
