# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""How many reminders each rule sent in the last 30 days: which rules fire most (to tune their days
in Sales Reengineering Settings)."""

import frappe
from frappe import _
from frappe.utils import add_days, today

from sales_reengineering.charts import source_data

DAYS = 30


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
	counts = frappe.get_list(
		"Sales Reminder Log",
		filters={"creation": (">=", add_days(today(), -DAYS))},
		fields=["rule", "count(*) as count"],
		group_by="rule",
		order_by="count desc",
		limit_page_length=0,
	)
	return source_data([(_(row.rule), row.count) for row in counts], _("Reminders"), precision=0)
