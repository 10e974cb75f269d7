"""Number cards of the performance desks, read from the saved KPI Scorecards of the current quarter (the
daily refresh keeps them current): opening a workspace evaluates no indicator.

Each is a Custom Number Card method (`{"value": ..., "fieldtype": ...}`, so Frappe formats the number)
and reads through `frappe.get_list`, so every user counts only the scorecards their scope allows."""

import frappe

from sales_reengineering.charts import quarter_bounds
from sales_reengineering.scope.people import get_user_sales_persons


def _quarter_scorecards(**filters) -> dict:
	_first, _last, label = quarter_bounds()
	return {"period_type": "Quarter", "period_label": label, "assignee_type": "Sales Person", **filters}


@frappe.whitelist()
def my_kpi_score(filters: str | dict | None = None) -> dict:
	"""The session user's own score this quarter: their individual task's scorecard, else their team's."""
	mine = get_user_sales_persons()
	scorecards = (
		frappe.get_list(
			"KPI Scorecard",
			filters=_quarter_scorecards(assignee=("in", mine)),
			fields=["total_score", "is_group"],
			order_by="is_group asc, total_score desc",
			limit_page_length=1,
		)
		if mine
		else []
	)
	return {"value": scorecards[0].total_score if scorecards else 0, "fieldtype": "Percent"}


@frappe.whitelist()
def average_kpi_score(filters: str | dict | None = None) -> dict:
	"""The average individual score this quarter, over the scorecards the user may see."""
	rows = frappe.get_list(
		"KPI Scorecard",
		filters=_quarter_scorecards(is_group=0),
		fields=["avg(total_score) as score"],
		limit_page_length=0,
	)
	return {"value": (rows[0].score if rows else 0) or 0, "fieldtype": "Percent"}


@frappe.whitelist()
def beat_target_count(filters: str | dict | None = None) -> dict:
	"""How many individual scorecards of this quarter beat the target (a score of 100 % or more)."""
	rows = frappe.get_list(
		"KPI Scorecard",
		filters=_quarter_scorecards(is_group=0, beat_target=1),
		fields=["count(*) as count"],
		limit_page_length=0,
	)
	return {"value": rows[0].count if rows else 0, "fieldtype": "Int"}
