# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""What the dealers sold to end customers in each of the last six months, from the submitted Sell
Through Reports (each user sees the dealers they may see); from the first month with a report on."""

import frappe
from frappe import _
from frappe.utils import add_months, get_first_day, getdate, today

from sales_reengineering.charts import source_data

MONTHS = 6


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
	first = getdate(add_months(get_first_day(today()), -(MONTHS - 1)))
	totals = frappe.get_list(
		"Sell Through Report",
		filters={"docstatus": 1, "period": (">=", first)},
		fields=["period", "sum(total_amount) as amount"],
		group_by="period",
		limit_page_length=0,
	)
	by_month = {}
	for row in totals:
		month = getdate(row.period).strftime("%Y-%m")
		by_month[month] = by_month.get(month, 0) + (row.amount or 0)
	months = [getdate(add_months(first, step)).strftime("%Y-%m") for step in range(MONTHS)]
	shown = months[next((i for i, month in enumerate(months) if month in by_month), len(months)) :]
	return source_data([(month, by_month.get(month, 0)) for month in shown], _("Sell-Through"))
