"""Demo sections on top of the ERPNext records: the two-level dealer network as `Dealer` records, and a
quarterly KPI plan (template, approved Sales Tasks with quota-suggested sales targets, scorecards and
the monthly ranking), so that the channel and performance screens show something on a fresh demo.

Both sections are idempotent like the rest of the loader: they create only what is missing."""

from __future__ import annotations

from datetime import date, datetime, time

import frappe
from frappe.model.workflow import apply_workflow

from sales_reengineering.demo.context import Context, guard, quiet
from sales_reengineering.demo.generator import dealer_tier

# (tier, rank, discount from, discount to, protection days, minimum purchase a quarter)
DEALER_TIERS = (
	("Platinum", 1, 20, 30, 180, 5_000_000),
	("Gold", 2, 12, 20, 120, 1_000_000),
	("Silver", 3, 5, 12, 90, 200_000),
)

# (built-in indicator label, weight, default target): weights total 100
KPI_ROWS = (
	("Net Sales", 50, 1_000_000),
	("New Customers", 15, 3),
	("Opportunities Won", 15, 2),
	("Repeat Customers", 10, 5),
	("Customer Data Completeness", 10, 80),
)


def kpi_template_name(ctx: Context) -> str:
	return f"Quarterly Sales KPI ({ctx.info.abbr})"


# --- Dealer network ------------------------------------------------------------------------------------


def load_dealer_network(ctx: Context) -> int:
	"""Dealer tiers, then one Dealer per Sales Partner of the plan: the general agents at the top, each
	provincial dealer under the agent that supplies it, looked after by the manager of its territory."""
	added = 0
	for name, rank, low, high, days, minimum in DEALER_TIERS:
		if frappe.db.exists("Dealer Tier", name):
			continue
		quiet(
			frappe.get_doc(
				{
					"doctype": "Dealer Tier",
					"tier_name": name,
					"tier_rank": rank,
					"discount_min": low,
					"discount_max": high,
					"deal_protection_days": days,
					"min_quarterly_purchase": minimum,
				}
			)
		).insert()
		added += 1
	managers = {territory.name: territory.manager for territory in ctx.plan.territories}
	since_of = {customer.name: customer.since for customer in ctx.plan.customers}
	# agents first, so that the provincial dealers find their parent
	for dealer in sorted(ctx.plan.dealers, key=lambda dealer: dealer.agent is not None):
		status = frappe.db.get_value("Dealer", dealer.name, "status")
		if status == "Prospect":  # an interrupted run inserted it but did not activate it
			_activate(dealer.name)
		if status:
			continue
		doc = frappe.get_doc(
			{
				"doctype": "Dealer",
				"dealer_name": dealer.name,
				"dealer_level": "Provincial Dealer" if dealer.agent else "General Agent",
				"parent_dealer": dealer.agent,
				"status": "Prospect",
				"dealer_tier": dealer_tier(dealer),
				"account_manager": managers.get(dealer.territory),
				"customer": ctx.customer(dealer.customer),
				"company": ctx.company,
				"sales_partner": dealer.name,
				"territory": dealer.territory,
			}
		)
		guard("Dealer", dealer.name, lambda doc=doc: quiet(doc).insert())
		guard("Dealer", dealer.name, lambda name=dealer.name: _activate(name))
		# a dealer of long standing: on the books since its customer record (reminders about missing
		# monthly reports only concern dealers that existed before the month)
		since = datetime.combine(since_of[dealer.customer], time(9, 0))
		frappe.db.set_value(
			"Dealer", dealer.name, {"creation": since, "modified": since}, update_modified=False
		)
		added += 1
	return added


def _activate(name: str) -> None:
	"""Through the Dealer Lifecycle workflow, as a channel manager would."""
	apply_workflow(frappe.get_doc("Dealer", name), "Activate")


# --- KPI plan ------------------------------------------------------------------------------------------


def quarters(as_of: date) -> list[tuple[int, int]]:
	"""The quarter of `as_of` and the one before it."""
	current = (as_of.year, (as_of.month - 1) // 3 + 1)
	previous = (current[0] - 1, 4) if current[1] == 1 else (current[0], current[1] - 1)
	return [previous, current]


def _target(label: str, default: float, suggested: float | None) -> float:
	if label == "Net Sales" and suggested:
		return max(round(suggested, -3), 1000)
	return default


def load_kpi_plan(ctx: Context) -> int:
	"""A weighted template, an approved Sales Task per rep for the last two quarters (the net-sales target
	is the quota suggestion for that quarter), their scorecards and the individuals' ranking of each
	quarter."""
	from sales_reengineering.performance.quota import suggest_for_sales_persons
	from sales_reengineering.performance.scorecard import compute_scorecards

	if not ctx.kpi_plan:
		return 0
	added = 0
	template = kpi_template_name(ctx)
	if not frappe.db.exists("KPI Template", template):
		quiet(
			frappe.get_doc(
				{
					"doctype": "KPI Template",
					"template_name": template,
					"applies_to": "Salesperson",
					"scoring_method": "Capped",
					"indicators": [
						{"indicator": label, "weight": weight, "default_target": target}
						for label, weight, target in KPI_ROWS
					],
				}
			)
		).insert()
		added += 1
	reps = [person.name for person in ctx.plan.sales_persons if not person.is_group]
	tasks = []
	for year, quarter in quarters(ctx.plan.as_of):
		planned = set(
			frappe.get_all(
				"Sales Task",
				filters={
					"template": template,
					"company": ctx.company,
					"period_type": "Quarter",
					"year": year,
					"quarter": str(quarter),
					"docstatus": ("<", 2),
				},
				pluck="assignee",
			)
		)
		missing = [rep for rep in reps if rep not in planned]
		if not missing:
			continue
		suggested = {row["party"]: row["amount"] for row in suggest_for_sales_persons(missing, year, quarter)}
		for rep in missing:
			task = frappe.get_doc(
				{
					"doctype": "Sales Task",
					"assignee_type": "Sales Person",
					"assignee": rep,
					"template": template,
					"company": ctx.company,
					"period_type": "Quarter",
					"year": year,
					"quarter": str(quarter),
					"targets": [
						{"indicator": label, "target": _target(label, default, suggested.get(rep))}
						for label, _weight, default in KPI_ROWS
					],
				}
			)
			guard("Sales Task", rep, lambda task=task: quiet(task).insert())
			task = apply_workflow(task, "Propose")
			apply_workflow(task, "Approve")
			tasks.append(task.name)
			added += 1
	if tasks:
		compute_scorecards(tasks)
	added += load_rankings(ctx, rebuild=bool(tasks))
	return added


RANKING_LEVELS = ("Individuals", "Teams")


def ranking_periods(as_of: date) -> list[tuple[str, int, int]]:
	"""(period type, year, quarter or month): the last two quarters and the last two months."""
	previous_month = (as_of.year - 1, 12) if as_of.month == 1 else (as_of.year, as_of.month - 1)
	return [
		*(("Quarter", year, quarter) for year, quarter in quarters(as_of)),
		("Month", *previous_month),
		("Month", as_of.year, as_of.month),
	]


def load_rankings(ctx: Context, rebuild: bool = False) -> int:
	"""The rankings of individuals and teams for the KPI plan's quarters and the last two months (a month
	scores the quarterly targets prorated); made when missing, rebuilt when new tasks came in. Returns
	how many were made."""
	from sales_reengineering.performance.doctype.sales_task.sales_task import period_bounds
	from sales_reengineering.performance.ranking import compute_ranking, ranking_name

	added = 0
	for period_type, year, number in ranking_periods(ctx.plan.as_of):
		label = period_bounds(period_type, year, number)[2]
		for level in RANKING_LEVELS:
			exists = frappe.db.exists("Sales Ranking", ranking_name(label, level))
			if rebuild or not exists:
				compute_ranking(period_type, year, number, level)
				added += not exists
	return added
