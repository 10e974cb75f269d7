# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""The best individual KPI scores of the current quarter, read from the saved KPI Scorecards (the
daily refresh keeps them current), so opening a workspace evaluates nothing. Each user sees the
scorecards their scope allows: a salesperson their own, a manager their team."""

import frappe
from frappe import _

from sales_reengineering.charts import TOP_N, quarter_bounds, source_data, top_label, top_n


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
	_first, _last, label = quarter_bounds()
	scorecards = frappe.get_list(
		"KPI Scorecard",
		filters={
			"period_type": "Quarter",
			"period_label": label,
			"is_group": 0,
			"assignee_type": "Sales Person",
		},
		fields=["assignee", "total_score"],
		order_by="total_score desc",
		limit_page_length=0,
	)
	rows = top_n([(row.assignee, row.total_score) for row in scorecards], TOP_N)
	return source_data(rows, top_label(_("Score"), len(rows), len(scorecards)))
