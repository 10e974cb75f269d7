"""Monthly and quarterly rankings of individuals and teams by KPI score, with reward tiers.

One `Sales Ranking` per period and level (Individuals / Teams), named RANK-<period>-<level>;
recomputing replaces its entries and never makes a second one. Ties follow
`sales_reengineering.core.ranking` ("competition": 1, 2, 2, 4), ranked on the rounded score and
ordered by name within a tie. A person with several approved tasks in the period is ranked on the
average of their scorecards. Reward tiers are the enabled `reward_tiers` rows of Sales Reengineering
Settings, tried in priority order. Winners and their managers (the parent node's user) are notified
when their tier is new.
"""

from __future__ import annotations

import math
from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import add_months, getdate, now_datetime, today

from sales_reengineering.core.ranking import rank
from sales_reengineering.core.scoring import round_half_up
from sales_reengineering.performance.doctype.sales_task.sales_task import period_bounds
from sales_reengineering.performance.scorecard import compute_scorecards
from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
	TOP_PERCENT,
	get_reward_tiers,
	get_settings,
)

LEVELS = ("Individuals", "Teams")


def _tier_for(position: int, score: float, population: int, tiers: list) -> str | None:
	"""The tier_name of the first of `tiers` that the person at `position` with `score` qualifies for."""
	for tier in tiers:
		if tier.basis == TOP_PERCENT:
			if position <= math.ceil(population * tier.threshold / 100):
				return tier.tier_name
		elif score >= tier.threshold:
			return tier.tier_name
	return None


def compute_ranking(period_type: str, year: int, number: int, level: str = "Individuals") -> str:
	"""(Re)build the ranking of one period and level; returns the Sales Ranking name."""
	if level not in LEVELS:
		frappe.throw(_("Rank Individuals or Teams, not {0}.").format(level))
	from_date, to_date, label = period_bounds(period_type, year, number)
	tasks = frappe.get_all(
		"Sales Task",
		filters={
			"docstatus": 1,
			"assignee_type": "Sales Person",
			"period_type": period_type,
			"period_label": label,
			"is_group": 1 if level == "Teams" else 0,
		},
		pluck="name",
	)
	compute_scorecards(tasks)
	scores = defaultdict(list)
	card_of = {}
	for card in frappe.get_all(
		"KPI Scorecard",
		filters={"sales_task": ("in", tasks or [""])},
		fields=["name", "assignee", "total_score"],
		order_by="name",
	):
		scores[card.assignee].append(card.total_score)
		card_of.setdefault(card.assignee, card.name)
	items = [
		{"name": person, "total_score": round_half_up(sum(values) / len(values), 2)}
		for person, values in scores.items()
	]
	tiers = get_reward_tiers()
	name = f"RANK-{label}-{level}"
	if frappe.db.exists("Sales Ranking", name):
		ranking = frappe.get_doc("Sales Ranking", name)
		previous = {row.sales_person: row.reward_tier for row in ranking.entries}
		ranking.set("entries", [])
	else:
		ranking = frappe.new_doc("Sales Ranking")
		previous = {}
	ranking.update(
		{
			"period_type": period_type,
			"period_label": label,
			"level": level,
			"from_date": from_date,
			"to_date": to_date,
			"computed_on": now_datetime(),
		}
	)
	for position, item in rank(items, key="total_score", name="name", method="competition"):
		ranking.append(
			"entries",
			{
				"rank": position,
				"sales_person": item["name"],
				"total_score": item["total_score"],
				"beat_target": int(item["total_score"] >= 100),
				"reward_tier": _tier_for(position, item["total_score"], len(items), tiers),
				"scorecard": card_of[item["name"]],
			},
		)
	ranking.flags.ignore_permissions = True
	ranking.save()
	winners = [
		row
		for row in ranking.entries
		if row.reward_tier and previous.get(row.sales_person) != row.reward_tier
	]
	notify_winners(ranking, winners)
	return ranking.name


def users_of(people: list[str]) -> dict[str, str]:
	"""{sales person: user} through Sales Person → Employee → User, in one query."""
	person = frappe.qb.DocType("Sales Person")
	employee = frappe.qb.DocType("Employee")
	rows = (
		frappe.qb.from_(person)
		.join(employee)
		.on(employee.name == person.employee)
		.select(person.name, employee.user_id)
		.where(person.name.isin(people or [""]))
		.where(employee.user_id.isnotnull())
	).run()
	return dict(rows)


def notify_winners(ranking, winners) -> None:
	if not winners:
		return
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	parents = dict(
		frappe.get_all(
			"Sales Person",
			filters={"name": ("in", [row.sales_person for row in winners])},
			fields=["name", "parent_sales_person"],
			as_list=True,
		)
	)
	users = users_of([row.sales_person for row in winners] + [p for p in parents.values() if p])
	for row in winners:
		recipients = {users.get(row.sales_person), users.get(parents.get(row.sales_person))} - {None}
		if not recipients:
			continue
		subject = _("{0} ranked #{1} for {2} with a score of {3}: reward tier {4}.").format(
			row.sales_person, row.rank, ranking.period_label, row.total_score, row.reward_tier
		)
		make_notification_logs(
			{
				"subject": subject,
				"type": "Alert",
				"document_type": "Sales Ranking",
				"document_name": ranking.name,
				"from_user": "Administrator",
			},
			sorted(recipients),
		)


@frappe.whitelist(methods=["POST"])
def recompute_ranking(period_type: str, year: int, period: int, level: str = "Individuals") -> str:
	frappe.has_permission("Sales Ranking", "write", throw=True)
	return compute_ranking(period_type, int(year), int(period), level)


def scheduled_rankings(on_date=None) -> list[str]:
	"""daily_long: on the settings' ranking day, rank last month, and last quarter when it just ended.

	A missed ranking day is caught up: on any later day of the month, a period whose ranking does not
	exist yet is ranked then. Before the ranking day nothing runs, so a month is never ranked early."""
	day = getdate(on_date or today())
	ranking_day = get_settings().ranking_day_of_month
	if day.day < ranking_day:
		return []
	last_month = getdate(add_months(day, -1))
	periods = [("Month", last_month.year, last_month.month)]
	if last_month.month % 3 == 0:
		periods.append(("Quarter", last_month.year, last_month.month // 3))
	names = []
	for period_type, year, number in periods:
		label = period_bounds(period_type, year, number)[2]
		for level in LEVELS:
			if day.day == ranking_day or not frappe.db.exists("Sales Ranking", f"RANK-{label}-{level}"):
				names.append(compute_ranking(period_type, year, number, level))
	return names


# --- ERPNext Leaderboard page -----------------------------------------------------------------------


def get_leaderboards() -> dict:
	return {
		"KPI Scorecard": {
			"fields": [{"fieldname": "total_score", "fieldtype": "Float"}],
			"method": "sales_reengineering.performance.ranking.get_scorecard_leaderboard",
			"icon": "customer",
		}
	}


@frappe.whitelist()
def get_scorecard_leaderboard(
	date_range: str | list | None = None,
	company: str | None = None,
	field: str | None = None,
	limit: int | None = 20,
) -> list[dict]:
	"""Scorecards of individuals whose period lies inside the date range, best first (permission-aware)."""
	filters = {"assignee_type": "Sales Person", "is_group": 0}
	if date_range:
		from_date, to_date = frappe.parse_json(date_range)
		filters.update({"from_date": (">=", from_date), "to_date": ("<=", to_date)})
	rows = frappe.get_list(
		"KPI Scorecard",
		filters=filters,
		fields=["name", "assignee", "period_label", "total_score as value"],
		order_by="total_score desc, name asc",
		limit=int(limit or 20),
	)
	for row in rows:
		row["formatted_name"] = frappe.utils.escape_html(f"{row.pop('assignee')} ({row.pop('period_label')})")
	return rows
