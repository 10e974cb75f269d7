# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""The open pipeline (opportunities not yet won, lost or closed) by sales stage, in the stages' order:
their amount in the company currency. A salesperson sees their own pipeline, a manager their team's.

The amount is opportunity_amount x conversion_rate: ERPNext fills base_opportunity_amount only in the
form's script, so opportunities made through the API or an import keep 0 there."""

import frappe
from frappe import _

from sales_reengineering.charts import source_data
from sales_reengineering.customer_intelligence.number_cards import CLOSED, PIPELINE_AMOUNT


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
	amounts = frappe.get_list(
		"Opportunity",
		filters={"status": ("not in", CLOSED)},
		fields=["sales_stage", f"sum({PIPELINE_AMOUNT}) as amount"],
		group_by="sales_stage",
		limit_page_length=0,
	)
	order = stage_order()
	amounts.sort(key=lambda row: (order.get(row.sales_stage, len(order)), row.sales_stage or ""))
	return source_data(
		[(_(row.sales_stage) if row.sales_stage else _("No Stage"), row.amount) for row in amounts],
		_("Open Amount"),
	)


def stage_order() -> dict[str, int]:
	"""{stage: position}: the stage order the app adds to Sales Stage (sr_stage_order), then the name."""
	fields = ["name"]
	if frappe.get_meta("Sales Stage").has_field("sr_stage_order"):
		fields.append("sr_stage_order")
	stages = frappe.get_all("Sales Stage", fields=fields)
	stages.sort(key=lambda row: (row.get("sr_stage_order") or 0, row.name))
	return {row.name: position for position, row in enumerate(stages)}
