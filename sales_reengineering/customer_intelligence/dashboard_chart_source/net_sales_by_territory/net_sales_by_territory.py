# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Net sales (submitted invoices less returns, in the company currency) of the current quarter by
territory: the best territories, as far as the user may see the invoices. One company's: the chart's Company
filter, else the user's default company (two companies' amounts are in different currencies)."""

import frappe
from frappe import _

from sales_reengineering.charts import TOP_N, quarter_bounds, source_data, top_label, top_n
from sales_reengineering.companies import chart_company


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
	company = chart_company(filters, "Sales Invoice")
	first, last, _label = quarter_bounds()
	sales = frappe.get_list(
		"Sales Invoice",
		filters={"docstatus": 1, "company": company, "posting_date": ("between", [first, last])},
		fields=["territory", "sum(base_net_total) as amount"],
		group_by="territory",
		limit_page_length=0,
	)
	rows = top_n([(row.territory or _("No Territory"), row.amount) for row in sales], TOP_N)
	return source_data(rows, top_label(_("Net Sales"), len(rows), len(sales)))
