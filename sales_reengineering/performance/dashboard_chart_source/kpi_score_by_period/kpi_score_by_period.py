# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""The average individual KPI score of each of the last four quarters, from the saved KPI Scorecards:
a salesperson sees their own score, a manager their team's average."""

import frappe
from frappe import _

from sales_reengineering.charts import recent_quarters, source_data

QUARTERS = 4


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
	quarters = recent_quarters(QUARTERS)
	averages = frappe.get_list(
		"KPI Scorecard",
		filters={
			"period_type": "Quarter",
			"period_label": ("in", quarters),
			"is_group": 0,
			"assignee_type": "Sales Person",
		},
		fields=["period_label", "avg(total_score) as score"],
		group_by="period_label",
		order_by="period_label asc",
		limit_page_length=0,
	)
	by_quarter = {row.period_label: row.score for row in averages}
	# from the first quarter that has scorecards on: no leading empty quarters before the app was used
	shown = quarters[next((i for i, q in enumerate(quarters) if q in by_quarter), len(quarters)) :]
	return source_data([(quarter, by_quarter.get(quarter, 0)) for quarter in shown], _("Average Score"))
