"""Monthly and quarterly rankings of individuals and teams by KPI score, with reward tiers.

One `Sales Ranking` per period and level (Individuals / Teams), named RANK-<period>-<level>;
recomputing replaces its entries and never makes a second one. Ties follow
`sales_reengineering.core.ranking` ("competition": 1, 2, 2, 4), ranked on the rounded score and
ordered by name within a tie. Reward tiers are the enabled `reward_tiers` rows of Sales Reengineering
Settings, tried in priority order. Winners and their managers (the parent node's user) are notified
when their tier is new.

Scores of a period
    * An approved Sales Task of the period itself (a monthly task in a monthly ranking) is scored by
      its saved KPI Scorecard, which the ranking recomputes. A person with several such tasks is ranked
      on the average of their scorecards.
    * Monthly fallback: a salesperson (or team) without a monthly task in a monthly ranking is scored
      on the approved quarterly tasks covering the month: the month's actuals against the quarterly
      targets prorated to the month by `sales_reengineering.core.proration` (summed Count / Currency /
      Number indicators: target / 3; Average-rollup, Percent and Rating indicators: target unchanged).
      These scores are evaluated set-based (`scorecard.evaluate_tasks` with the month as period) and
      kept only in the ranking entries, which then have no scorecard link. Monthly tasks always win.

Teams
    Every Sales Person group node except the tree's root is ranked when it has a task of its own in
    the period (scored as above) or, failing that, when some of its members (the leaf Sales Persons
    anywhere below it) are scored: it is then ranked on the average of its members' scores.

Rankings are snapshots published to the whole sales force: every role that may read Sales Ranking
sees every entry (the KPI Ranking report narrows rows to the user's subtree).

`recompute_ranking` (the desk button) runs inline up to RANKING_ENQUEUE_THRESHOLD tasks and as a
background job on the long queue above it. Rankings of one period and level are computed one at a time
(a named database lock, `sales_reengineering.locks`), whichever job or request asks.
"""

import math
from collections import defaultdict
from typing import Annotated

import frappe
from frappe import _
from frappe.utils import add_months, getdate, now_datetime, today

from sales_reengineering.arguments import (
	check_arguments,
	json_of,
	parse_date,
	plain_text,
	whole_number,
)
from sales_reengineering.core.ranking import rank
from sales_reengineering.core.scoring import round_half_up
from sales_reengineering.scope.people import get_users_of_sales_persons
from sales_reengineering.exceptions import InvalidRankingError
from sales_reengineering.locks import hold_until_transaction_ends
from sales_reengineering.notify import enabled_for_notifications, insert_notifications
from sales_reengineering.performance.doctype.sales_task.sales_task import period_bounds
from sales_reengineering.performance.scorecard import ENQUEUE_THRESHOLD, compute_scorecards, evaluate_tasks
from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
	TOP_PERCENT,
	get_reward_tiers,
	get_settings,
)

LEVELS = ("Individuals", "Teams")
# above this many tasks to score, the desk button ranks in a background job
RANKING_ENQUEUE_THRESHOLD = ENQUEUE_THRESHOLD


def _tier_for(position: int, score: float, population: int, tiers: list) -> str | None:
	"""The tier_name of the first of `tiers` that the person at `position` with `score` qualifies for."""
	for tier in tiers:
		if tier.basis == TOP_PERCENT:
			if position <= math.ceil(population * tier.threshold / 100):
				return tier.tier_name
		elif score >= tier.threshold:
			return tier.tier_name
	return None


def _check_level(level: str) -> None:
	if level not in LEVELS:
		frappe.throw(
			_("Rank Individuals or Teams, not {0}.").format(level),
			InvalidRankingError,
			title=_("Invalid Ranking"),
		)


def ranking_name(label: str, level: str) -> str:
	return f"RANK-{label}-{level}"


def period_tasks(period_type: str, year: int, number: int, level: str = "Individuals") -> frappe._dict:
	"""The approved Sales Person tasks a ranking scores (two queries).

	own: tasks of the period itself; covering: for a month, the quarterly tasks covering it of the
	assignees without a task of the month. Individuals score only leaf tasks, Teams every task (the
	members' scores make the average of a team without a task of its own)."""
	from_date, to_date, label = period_bounds(period_type, year, number)
	filters = {"docstatus": 1, "assignee_type": "Sales Person"}
	if level == "Individuals":
		filters["is_group"] = 0
	own = frappe.get_all(
		"Sales Task",
		filters={**filters, "period_type": period_type, "period_label": label},
		fields=["name", "assignee", "is_group"],
		order_by="name",
	)
	covering = []
	if period_type == "Month":
		planned = {task.assignee for task in own}
		covering = [
			task
			for task in frappe.get_all(
				"Sales Task",
				filters={
					**filters,
					"period_type": "Quarter",
					"from_date": ("<=", from_date),
					"to_date": (">=", to_date),
				},
				fields=["name", "assignee", "is_group"],
				order_by="name",
			)
			if task.assignee not in planned
		]
	return frappe._dict(own=own, covering=covering, from_date=from_date, to_date=to_date, label=label)


def stale_tasks(task_names: list[str], fresh_since) -> list[str]:
	"""The tasks among `task_names` without a scorecard computed at or after `fresh_since` (one query)."""
	if not task_names:
		return []
	fresh = set(
		frappe.get_all(
			"KPI Scorecard",
			filters={"sales_task": ("in", task_names), "last_computed": (">=", fresh_since)},
			pluck="sales_task",
		)
	)
	return [name for name in task_names if name not in fresh]


def _scores(tasks: frappe._dict, fresh_since=None) -> tuple[dict[str, float], dict[str, str], set[str]]:
	"""({assignee: average score, rounded}, {assignee: first scorecard}, {group assignees}).

	The period's own tasks are scored by their saved scorecards: all recomputed first, or, with
	`fresh_since` (the daily job, right after it saved every live scorecard), only those not computed
	since then (a task outside the daily job's window, or a batch that failed)."""
	own = [task.name for task in tasks.own]
	compute_scorecards(own if fresh_since is None else stale_tasks(own, fresh_since))
	values = defaultdict(list)
	card_of = {}
	for card in frappe.get_all(
		"KPI Scorecard",
		filters={"sales_task": ("in", own or [""])},
		fields=["name", "assignee", "total_score"],
		order_by="name",
	):
		values[card.assignee].append(card.total_score)
		card_of.setdefault(card.assignee, card.name)
	if tasks.covering:
		evaluated = evaluate_tasks(
			[task.name for task in tasks.covering], period=(tasks.from_date, tasks.to_date)
		)
		for item in evaluated:
			values[item.task.assignee].append(item.result.total)
	groups = {task.assignee for task in tasks.own + tasks.covering if task.is_group}
	scores = {person: round_half_up(sum(v) / len(v), 2) for person, v in values.items()}
	return scores, card_of, groups


def _team_scores(scores: dict[str, float], groups: set[str]) -> dict[str, float]:
	"""Every non-root group node with a task of its own or scored leaf members: {team: score}."""
	tree = frappe.get_all(
		"Sales Person", fields=["name", "lft", "rgt", "is_group", "parent_sales_person"], order_by="lft"
	)
	leaves = [(node.lft, scores[node.name]) for node in tree if not node.is_group and node.name in scores]
	teams = {}
	for node in tree:
		if not node.is_group or (not node.parent_sales_person and node.name not in groups):
			continue
		if node.name in groups:
			teams[node.name] = scores[node.name]
			continue
		present = [score for lft, score in leaves if node.lft < lft < node.rgt]
		if present:
			teams[node.name] = round_half_up(sum(present) / len(present), 2)
	return teams


def compute_ranking(
	period_type: str, year: int, number: int, level: str = "Individuals", fresh_since=None
) -> str:
	"""(Re)build the ranking of one period and level; returns the Sales Ranking name.

	`fresh_since`: reuse the scorecards saved since then instead of recomputing them (see `_scores`).

	Two jobs ranking the same period at once (the daily job and the desk button) take turns: the
	second waits for the first to commit, then rebuilds the same ranking and its scorecards on top of
	it. Without the lock the second failed half-way on a duplicate name or a "document has been
	modified" error."""
	_check_level(level)
	label = period_bounds(period_type, year, number)[2]
	hold_until_transaction_ends(f"Sales Ranking {ranking_name(label, level)}")
	tasks = period_tasks(period_type, year, number, level)
	scores, card_of, groups = _scores(tasks, fresh_since)
	if level == "Teams":
		ranked = _team_scores(scores, groups)
	else:
		ranked = {person: score for person, score in scores.items() if person not in groups}
	items = [{"name": person, "total_score": score} for person, score in ranked.items()]
	tiers = get_reward_tiers()
	name = ranking_name(tasks.label, level)
	values = {
		"period_type": period_type,
		"period_label": tasks.label,
		"level": level,
		"from_date": tasks.from_date,
		"to_date": tasks.to_date,
		"computed_on": now_datetime(),
	}
	# locking reads: they see a ranking another job committed while this one waited for the lock
	if frappe.db.get_value("Sales Ranking", name, "name", for_update=True):
		ranking = frappe.get_doc("Sales Ranking", name, for_update=True)
		previous = {row.sales_person: row.reward_tier for row in ranking.entries}
		ranking.set("entries", [])
	else:
		# the parent alone first: `insert` writes child rows one by one, `save` in bulk (the controller)
		ranking = frappe.get_doc({"doctype": "Sales Ranking", **values}).insert(ignore_permissions=True)
		previous = {}
	ranking.update(values)
	for position, item in rank(items, key="total_score", name="name", method="competition"):
		ranking.append(
			"entries",
			{
				"rank": position,
				"sales_person": item["name"],
				"total_score": item["total_score"],
				"beat_target": int(item["total_score"] >= 100),
				"reward_tier": _tier_for(position, item["total_score"], len(items), tiers),
				# a team average or a month scored on a quarterly task has no scorecard of its own
				"scorecard": card_of.get(item["name"]) if item["name"] in scores else None,
			},
		)
	ranking.flags.ignore_permissions = True
	# every link of an entry is a name this job has just read from its table: no query per row to check it
	ranking.flags.ignore_links = True
	ranking.save()
	winners = [
		row
		for row in ranking.entries
		if row.reward_tier and previous.get(row.sales_person) != row.reward_tier
	]
	notify_winners(ranking, winners)
	return ranking.name


def notify_winners(ranking, winners) -> None:
	"""A bell notification to each winner with a new tier and to their manager (the parent node's user),
	written in bulk (`sales_reengineering.notify`): a constant number of queries however many win."""
	if not winners:
		return
	parents = dict(
		frappe.get_all(
			"Sales Person",
			filters={"name": ("in", [row.sales_person for row in winners])},
			fields=["name", "parent_sales_person"],
			as_list=True,
		)
	)
	users = get_users_of_sales_persons(
		[row.sales_person for row in winners] + [p for p in parents.values() if p]
	)
	notified = set(enabled_for_notifications(users.values()))
	records = []
	for row in winners:
		recipients = {users.get(row.sales_person), users.get(parents.get(row.sales_person))} & notified
		subject = _("{0} ranked #{1} for {2} with a score of {3}: reward tier {4}.").format(
			row.sales_person, row.rank, ranking.period_label, row.total_score, row.reward_tier
		)
		records.extend(
			{
				"subject": subject,
				"document_type": "Sales Ranking",
				"document_name": ranking.name,
				"from_user": "Administrator",
				"for_user": user,
			}
			for user in sorted(recipients)
		)
	insert_notifications(records)


@frappe.whitelist(methods=["POST"])
@check_arguments
def recompute_ranking(
	period_type: Annotated[str, plain_text("Period Type")],
	year: Annotated[int, whole_number("Year")],
	period: Annotated[int, whole_number("Period")],
	level: Annotated[str, plain_text("Level")] = "Individuals",
) -> dict:
	"""Rank one period now, or on the long queue when it has more than RANKING_ENQUEUE_THRESHOLD tasks."""
	frappe.has_permission("Sales Ranking", "write", throw=True)
	_check_level(level)
	tasks = period_tasks(period_type, year, period, level)
	name = ranking_name(tasks.label, level)
	count = len(tasks.own) + len(tasks.covering)
	if count <= RANKING_ENQUEUE_THRESHOLD:
		return {"name": compute_ranking(period_type, year, period, level), "queued": False, "count": count}
	frappe.enqueue(
		"sales_reengineering.performance.ranking.compute_ranking",
		queue="long",
		timeout=3600,
		enqueue_after_commit=True,
		job_id=f"sales_reengineering::ranking::{name}",
		deduplicate=True,
		period_type=period_type,
		year=year,
		number=period,
		level=level,
	)
	frappe.msgprint(
		_("Ranking {0} scores {1} tasks: it is being computed in the background.").format(name, count),
		title=_("Ranking Queued"),
		indicator="blue",
	)
	return {"name": name if frappe.db.exists("Sales Ranking", name) else None, "queued": True, "count": count}


def scheduled_rankings(on_date=None, fresh_since=None) -> list[str]:
	"""Daily (after the scorecard batches of `performance.jobs`): on the settings' ranking day, rank last
	month, and last quarter when it just ended; scorecards saved since `fresh_since` are reused.

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
			if day.day == ranking_day or not frappe.db.exists("Sales Ranking", ranking_name(label, level)):
				names.append(compute_ranking(period_type, year, number, level, fresh_since))
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
@check_arguments
def get_scorecard_leaderboard(
	date_range: Annotated[list, json_of("Date Range", list)] | None = None,
	company: Annotated[str, plain_text("Company")] | None = None,
	field: Annotated[str, plain_text("Field")] | None = None,
	limit: Annotated[int, whole_number("Limit", 1, 500)] | None = 20,
) -> list[dict]:
	"""Scorecards of individuals whose period lies inside the date range, best first (permission-aware).

	The Leaderboard page sends `date_range` as [from, to] and `limit` as its page size."""
	filters = {"assignee_type": "Sales Person", "is_group": 0}
	if company:
		filters["company"] = company
	if date_range:
		if len(date_range) != 2:
			frappe.throw(_("The date range must be two dates, from and to."), InvalidRankingError)
		from_date, to_date = (
			parse_date(value, label)
			for value, label in zip(date_range, ("From Date", "To Date"), strict=True)
		)
		filters.update({"from_date": (">=", from_date), "to_date": ("<=", to_date)})
	rows = frappe.get_list(
		"KPI Scorecard",
		filters=filters,
		fields=["name", "assignee", "period_label", "total_score as value"],
		order_by="total_score desc, name asc",
		limit=limit or 20,
	)
	for row in rows:
		row["formatted_name"] = frappe.utils.escape_html(f"{row.pop('assignee')} ({row.pop('period_label')})")
	return rows
