"""The app's hot paths, as callables over a generated population: what the CI guard counts queries of.

Every report of the app (as a manager and as a team manager), the quarter's scorecards (evaluated, and
computed and saved), the rankings, the reminder run, the telesales call list, the completeness
rescore and the dealer portal pages (as a dealer's portal user)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time as clock, timedelta

import frappe

REPORTS = (
	"Task Attainment",
	"KPI Ranking",
	"Scorecard Trend",
	"Dealer Performance",
	"Deal Registration Conflicts",
	"Price Exceptions",
	"Sell Through Reconciliation",
	"Contract Renewals",
	"Customer Transaction History",
	"Info Feedback Summary",
	"Stuck Opportunities",
	"Telesales Conversion",
	"Weekly Sales Report",
)
PORTAL_PAGES = ("index", "registrations", "sell_through", "register")


def report_filters(quarter: tuple, customer: str, company: str | None = None) -> dict[str, dict]:
	"""Filters of every report for the quarter (first day, last day, label, year, number), for
	`company` (reports of a site with several companies need one; the others ignore it)."""
	start, end, _label, year, number = quarter
	span = {"from_date": str(start), "to_date": str(end)}
	filters = {
		"Task Attainment": {"period_type": "Quarter", "year": year, "period": number, "group_by": "Sales Person"},
		"KPI Ranking": {"period_type": "Quarter", "year": year, "period": number, "level": "Individuals"},
		"Scorecard Trend": {"period_type": "Quarter", **span},
		"Dealer Performance": span,
		"Deal Registration Conflicts": span,
		"Price Exceptions": span,
		"Sell Through Reconciliation": span,
		"Contract Renewals": {"days_ahead": 60, "include_overdue": 1},
		"Customer Transaction History": {"customer": customer, **span},
		"Info Feedback Summary": {**span, "group_by": "Type"},
		"Stuck Opportunities": {},
		"Telesales Conversion": span,
		"Weekly Sales Report": {"week": str(end - timedelta(days=end.weekday()))},
	}
	if company:
		filters = {report: {**values, "company": company} for report, values in filters.items()}
	return filters


def run_report(report: str, filters: dict, user: str):
	from frappe.desk.query_report import run

	frappe.set_user(user)
	try:
		return run(report, filters=filters, ignore_prepared_report=True)
	finally:
		frappe.local.message_log = []
		frappe.set_user("Administrator")


def portal_page(page: str, user: str):
	module = frappe.get_module(f"sales_reengineering.www.dealer.{page}")
	frappe.set_user(user)
	try:
		return module.get_context(frappe._dict())
	finally:
		frappe.set_user("Administrator")


def hot_paths(tasks: list[str], quarter: tuple, customer: str, manager: str, restricted: str,
		dealer_user: str, company: str | None = None) -> dict[str, Callable]:
	from sales_reengineering.customer_intelligence import completeness, telesales
	from sales_reengineering.performance.ranking import compute_ranking
	from sales_reengineering.performance.scorecard import compute_scorecards, evaluate_tasks
	from sales_reengineering.reminders import engine

	year, number = quarter[3], quarter[4]
	now = datetime.combine(frappe.utils.getdate(), clock(10, 0))
	paths = {
		"scorecards: evaluate": lambda: evaluate_tasks(tasks),
		"scorecards: compute and save": lambda: compute_scorecards(tasks),
		"ranking: Individuals": lambda: compute_ranking("Quarter", year, number, "Individuals"),
		"ranking: Teams": lambda: compute_ranking("Quarter", year, number, "Teams"),
		"reminders: run": lambda: engine.run(now),
		"telesales: call list": lambda: telesales.generate_call_list("load"),
		"completeness: rescore": completeness.recompute_all,
	}
	filters = report_filters(quarter, customer, company)
	for report in REPORTS:
		for label, user in (("manager", manager), ("team manager", restricted)):
			paths[f"report: {report} as {label}"] = (
				lambda report=report, user=user: run_report(report, filters[report], user)
			)
	for page in PORTAL_PAGES:
		paths[f"portal: /dealer/{page}"] = lambda page=page: portal_page(page, dealer_user)
	return paths
