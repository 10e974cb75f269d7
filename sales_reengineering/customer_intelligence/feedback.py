"""Info Feedback Reports for the KPIs and the territory purchasing-power index."""

import frappe
from frappe.query_builder import Case
from frappe.query_builder.functions import Avg, Count, Sum
from frappe.utils import add_days, date_diff, flt, getdate, today

FEEDBACK = "Info Feedback Report"
REVIEWED_STATES = ("Approved", "Rejected")
INDEX_WINDOW_DAYS = 365


def get_feedback_stats(from_date, to_date, sales_persons: list[str] | None = None) -> dict[str, dict]:
	"""Per salesperson, for reports dated from_date..to_date (inclusive), in one query:
	`submitted` (left Draft), `approved`, `weekly_frequency` (approved per week of the period),
	`average_rating` (of rated, reviewed reports) and `points` (reward minus penalty)."""
	from_date, to_date = getdate(from_date), getdate(to_date)
	weeks = max((date_diff(to_date, from_date) + 1) / 7, 1 / 7)
	report = frappe.qb.DocType(FEEDBACK)
	reviewed = report.workflow_state.isin(REVIEWED_STATES)
	rated = reviewed & (report.quality_rating > 0)
	query = (
		frappe.qb.from_(report)
		.select(
			report.sales_person,
			Count(Case().when(report.workflow_state != "Draft", 1)).as_("submitted"),
			Count(Case().when(report.workflow_state == "Approved", 1)).as_("approved"),
			Avg(Case().when(rated, report.quality_rating)).as_("average_rating"),
			Sum(Case().when(reviewed, report.reward_points).else_(0)).as_("points"),
		)
		.where(report.report_date[from_date:to_date] & report.workflow_state.isnotnull())
		.groupby(report.sales_person)
	)
	if sales_persons is not None:
		if not sales_persons:
			return {}
		query = query.where(report.sales_person.isin(sales_persons))
	return {
		row.sales_person: {
			"submitted": row.submitted,
			"approved": row.approved,
			"weekly_frequency": flt(row.approved / weeks, 2),
			"average_rating": flt(row.average_rating, 2) if row.average_rating is not None else None,
			"points": int(row.points or 0),
		}
		for row in query.run(as_dict=True)
	}


def update_purchasing_power_index(territories: list[str]) -> dict[str, float]:
	"""Territory.sr_purchasing_power_index := average of the approved estimates of the last year.
	Territories without a recent approved estimate keep their (possibly hand-maintained) value."""
	territories = sorted({name for name in territories if name})
	if not territories:
		return {}
	report = frappe.qb.DocType(FEEDBACK)
	rows = (
		frappe.qb.from_(report)
		.select(report.territory, Avg(report.purchasing_power_index).as_("index"), Count("*").as_("reports"))
		.where(
			(report.report_type == "Regional Purchasing Power")
			& (report.workflow_state == "Approved")
			& (report.purchasing_power_index > 0)
			& (report.report_date >= add_days(today(), -INDEX_WINDOW_DAYS))
			& report.territory.isin(territories)
		)
		.groupby(report.territory)
	).run(as_dict=True)
	result = {}
	for row in rows:
		result[row.territory] = flt(row.index, 2)
		frappe.db.set_value(
			"Territory",
			row.territory,
			{
				"sr_purchasing_power_index": result[row.territory],
				"sr_purchasing_power_reports": row.reports,
				"sr_purchasing_power_updated_on": today(),
			},
			update_modified=False,
		)
	return result


def get_purchasing_power_index(territory: str) -> float | None:
	"""The index of a territory, or of its nearest ancestor that has one (for the quota suggestion)."""
	lft, rgt = frappe.db.get_value("Territory", territory, ["lft", "rgt"]) or (None, None)
	if lft is None:
		return None
	row = frappe.get_all(
		"Territory",
		filters={"lft": ("<=", lft), "rgt": (">=", rgt), "sr_purchasing_power_index": (">", 0)},
		fields=["sr_purchasing_power_index"],
		order_by="lft desc",
		limit=1,
	)
	return flt(row[0].sr_purchasing_power_index) if row else None
