# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""How many deal registrations are in each status, in the workflow's order (cancelled ones left out)."""

import frappe
from frappe import _

from sales_reengineering.charts import source_data

STATUSES = ("Draft", "Pending Approval", "Approved", "Rejected", "Expired")


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
		"Deal Registration",
		filters={"status": ("in", STATUSES)},
		fields=["status", "count(*) as count"],
		group_by="status",
		limit_page_length=0,
	)
	by_status = {row.status: row.count for row in counts}
	rows = [(_(status), by_status[status]) for status in STATUSES if by_status.get(status)]
	return source_data(rows, _("Deal Registrations"), precision=0)
