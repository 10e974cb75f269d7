"""KPI scorecards: compute the actuals of approved Sales Tasks and score them.

The population is computed set-based: tasks are grouped by period and assignee type, and each
indicator runs ONE aggregate query for every assignee (and every member of every team) of the group.
Group node actuals (a sales team, or a General Agent and the dealers below it) are rolled up in memory
from their members' values. Scores come from
`sales_reengineering.core.scoring.score_card`.
"""

from collections import defaultdict
from typing import Annotated

import frappe
from frappe import _
from frappe.utils import add_days, flt, getdate, now_datetime, today

from sales_reengineering.arguments import check_arguments, plain_text
from sales_reengineering.core.proration import prorate_target
from sales_reengineering.core.scoring import score_card
from sales_reengineering.exceptions import InvalidSalesTaskError
from sales_reengineering.performance.indicators import rollup
from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
	get_settings,
)

# above this many tasks, a refresh from the desk runs as a background job
ENQUEUE_THRESHOLD = 50
CHUNK_SIZE = 500
# tasks stay "live" for the scheduler this many days after their period ended (late invoices, returns)
GRACE_DAYS = 15


# the trees a group task's assignee can head (Sales Task.assignee_type); both are nested sets
GROUP_TREES = ("Sales Person", "Dealer")


def _members_by_group(groups: set[str], tree: str = "Sales Person") -> dict[str, list[str]]:
	"""{group: [the group itself and every node below it]} for group nodes of the `tree` doctype (a
	sales team, or a General Agent with its dealers), in ONE query over the nested set."""
	if not groups or tree not in GROUP_TREES:
		return {}
	group = frappe.qb.DocType(tree).as_("grp")
	member = frappe.qb.DocType(tree).as_("member")
	rows = (
		frappe.qb.from_(group)
		.join(member)
		.on((member.lft >= group.lft) & (member.rgt <= group.rgt))
		.select(group.name, member.name)
		.where(group.name.isin(list(groups)))
		.orderby(group.name)
		.orderby(member.lft)
	).run()
	members = defaultdict(list)
	for name, member_name in rows:
		members[name].append(member_name)
	return dict(members)


def _group_members(tasks) -> dict[tuple[str, str], list[str]]:
	"""{(assignee type, group): members} for the group tasks among `tasks`, one query per tree."""
	members = {}
	for tree in GROUP_TREES:
		groups = {t.assignee for t in tasks if t.is_group and t.assignee_type == tree}
		for name, names in _members_by_group(groups, tree).items():
			members[(tree, name)] = names
	return members


def evaluate_tasks(task_names: list[str], period: tuple | None = None) -> list[frappe._dict]:
	"""Live actuals and scores of approved tasks, without saving anything.

	With `period` = (from_date, to_date), a part of every task's own period (a month of a quarterly
	task), the actuals are those of `period` and each target is prorated to it by
	`sales_reengineering.core.proration` (summed quantities shrink, averages and rates do not).

	Returns one dict per task: task (its fields), targets (rows), actuals ({indicator: value}),
	indicators ({name: KPI Indicator}), template (KPI Template) and result (core ScoreResult)."""
	if not task_names:
		return []
	if period:
		period = (getdate(period[0]), getdate(period[1]))
	tasks = frappe.get_all(
		"Sales Task",
		filters={"name": ("in", list(task_names)), "docstatus": 1},
		fields=[
			"name",
			"assignee_type",
			"assignee",
			"is_group",
			"template",
			"period_type",
			"period_label",
			"from_date",
			"to_date",
		],
		order_by="name",
	)
	if not tasks:
		return []
	if period and any(not (t.from_date <= period[0] <= period[1] <= t.to_date) for t in tasks):
		frappe.throw(
			_("The period {0} to {1} must lie inside the period of every task.").format(*period),
			InvalidSalesTaskError,
		)
	targets = defaultdict(list)
	for row in frappe.get_all(
		"Sales Task Target",
		filters={"parenttype": "Sales Task", "parent": ("in", [task.name for task in tasks])},
		fields=["parent", "indicator", "target", "weight"],
		order_by="idx",
	):
		targets[row.parent].append(row)

	indicator_names = {row.indicator for rows in targets.values() for row in rows}
	indicators = {name: frappe.get_cached_doc("KPI Indicator", name) for name in indicator_names}
	members = _group_members(tasks)

	# one aggregate per indicator per (period, assignee type)
	batches = defaultdict(list)
	for task in tasks:
		from_date, to_date = period or (task.from_date, task.to_date)
		batches[(from_date, to_date, task.assignee_type)].append(task)
	actuals = defaultdict(dict)
	for (from_date, to_date, _type), batch in batches.items():
		parties = sorted(
			{p for task in batch for p in members.get((task.assignee_type, task.assignee), [task.assignee])}
		)
		needed = {row.indicator for task in batch for row in targets[task.name]}
		values = {name: indicators[name].compute(parties, from_date, to_date) for name in sorted(needed)}
		for task in batch:
			for row in targets[task.name]:
				actuals[task.name][row.indicator] = _actual(
					task,
					indicators[row.indicator],
					values[row.indicator],
					members.get((task.assignee_type, task.assignee)),
				)

	cap = flt(get_settings().kpi_score_cap) / 100
	templates = {name: frappe.get_cached_doc("KPI Template", name) for name in {t.template for t in tasks}}
	evaluated = []
	for task in tasks:
		template = templates[task.template]
		months = (_months(*period), _months(task.from_date, task.to_date)) if period else None
		rows = [
			{
				"indicator": row.indicator,
				"weight": flt(row.weight),
				"target": _target(row, indicators[row.indicator], months),
				# core scoring takes no negative actual (net sales after returns can be): it scores as 0
				"actual": None
				if actuals[task.name].get(row.indicator) is None
				else max(flt(actuals[task.name][row.indicator]), 0.0),
				"higher_is_better": bool(indicators[row.indicator].higher_is_better),
			}
			for row in targets[task.name]
		]
		result = score_card(
			rows,
			cap=cap,
			method=template.core_method(),
			steps=template.score_steps() if template.scoring_method == "Stepped" else None,
		)
		evaluated.append(
			frappe._dict(
				task=task,
				targets=targets[task.name],
				actuals=actuals[task.name],
				indicators=indicators,
				template=template,
				result=result,
			)
		)
	return evaluated


def _months(from_date, to_date) -> int:
	start, end = getdate(from_date), getdate(to_date)
	return (end.year - start.year) * 12 + end.month - start.month + 1


def _target(row, indicator, months: tuple[int, int] | None) -> float:
	"""The row's target, prorated to `months` = (months of the scored period, months of the task)."""
	if not months or months[0] == months[1]:
		return flt(row.target)
	return prorate_target(flt(row.target), indicator.unit, indicator.rollup_method, *months)


def compute_scorecards(task_names: list[str]) -> list[str]:
	"""(Re)compute and save the scorecards of the given approved tasks; returns the scorecard names."""
	return [_save_scorecard(item) for item in evaluate_tasks(task_names)]


def _actual(task, indicator, by_party: dict[str, float], members: list[str] | None) -> float | None:
	if members is None:
		value = by_party.get(task.assignee)
		if value is None and indicator.rollup_method == "Average":
			return None
		return flt(value)
	present = [by_party[m] for m in members if m in by_party]
	return rollup(present, indicator.rollup_method)


def _save_scorecard(item) -> str:
	task, targets, actuals, indicators, template, result = (
		item.task,
		item.targets,
		item.actuals,
		item.indicators,
		item.template,
		item.result,
	)
	# locking reads: a scorecard another job committed after this transaction began is seen and updated,
	# not inserted a second time (a duplicate name) or saved over (a "document has been modified" error)
	existing = frappe.db.get_value("KPI Scorecard", {"sales_task": task.name}, "name", for_update=True)
	if existing:
		card = frappe.get_doc("KPI Scorecard", existing, for_update=True)
		card.set("rows", [])
	else:
		card = frappe.new_doc("KPI Scorecard")
		card.sales_task = task.name
	card.update(
		{
			"assignee_type": task.assignee_type,
			"assignee": task.assignee,
			"is_group": task.is_group,
			"template": task.template,
			"period_type": task.period_type,
			"period_label": task.period_label,
			"from_date": task.from_date,
			"to_date": task.to_date,
			"scoring_method": template.scoring_method,
			"total_score": result.total,
			"beat_target": int(result.beat_target),
			"last_computed": now_datetime(),
		}
	)
	for row, scored in zip(targets, result.rows, strict=True):
		card.append(
			"rows",
			{
				"indicator": row.indicator,
				"unit": indicators[row.indicator].unit,
				"higher_is_better": indicators[row.indicator].higher_is_better,
				"weight": scored.weight,
				"target": scored.target,
				"actual": actuals.get(row.indicator),
				"attainment": None if scored.attainment is None else scored.attainment * 100,
				"score_ratio": scored.score_ratio * 100,
				"weighted_score": scored.weighted_score,
			},
		)
	card.flags.ignore_permissions = True
	card.save()
	return card.name


# ---------------------------------------------------------------------------------------------------
# entry points
# ---------------------------------------------------------------------------------------------------


def live_task_names(on_date=None) -> list[str]:
	"""Approved tasks whose period has started and did not end more than GRACE_DAYS ago."""
	day = getdate(on_date or today())
	return frappe.get_all(
		"Sales Task",
		filters={"docstatus": 1, "from_date": ("<=", day), "to_date": (">=", add_days(day, -GRACE_DAYS))},
		pluck="name",
		order_by="name",
	)


def compute_in_chunks(task_names: list[str]) -> None:
	for start in range(0, len(task_names), CHUNK_SIZE):
		compute_scorecards(task_names[start : start + CHUNK_SIZE])
		frappe.db.commit()  # nosemgrep: a long background job commits per chunk


def scheduled_refresh() -> None:
	"""daily_long: recompute every live scorecard."""
	compute_in_chunks(live_task_names())


@frappe.whitelist(methods=["POST"])
@check_arguments
def refresh_scorecard(sales_task: Annotated[str, plain_text("Sales Task")]) -> str | None:
	"""Live refresh of one task's scorecard for anyone who may read the task."""
	task = frappe.get_doc("Sales Task", sales_task)
	task.check_permission("read")
	if task.docstatus != 1:
		frappe.throw(_("Only an approved Sales Task has a scorecard."), frappe.ValidationError)
	names = compute_scorecards([task.name])
	return names[0] if names else None


@frappe.whitelist(methods=["POST"])
def refresh_all_scorecards() -> dict:
	"""Recompute every live scorecard; runs in the background above ENQUEUE_THRESHOLD tasks."""
	frappe.has_permission("KPI Scorecard", "write", throw=True)
	names = live_task_names()
	if len(names) <= ENQUEUE_THRESHOLD:
		compute_scorecards(names)
		return {"queued": False, "count": len(names)}
	frappe.enqueue(
		"sales_reengineering.performance.scorecard.compute_in_chunks",
		queue="long",
		timeout=3600,
		enqueue_after_commit=True,
		job_id="sales_reengineering::refresh_all_scorecards",
		deduplicate=True,
		task_names=names,
	)
	return {"queued": True, "count": len(names)}


# ---------------------------------------------------------------------------------------------------
# drill-down
# ---------------------------------------------------------------------------------------------------

DRILLDOWN_LIMIT = 500


def _drilldown_names(indicator, parties: list[str], from_date, to_date) -> tuple[str | None, list[str]]:
	"""(doctype, names) of the documents behind `indicator`'s value for `parties`, read from the same
	query as the value itself; (None, []) when the indicator has no source documents on this site."""
	doctype = indicator.drilldown_doctype()
	source = indicator.get_source(parties, from_date, to_date)
	if not doctype or source is None or not frappe.db.exists("DocType", doctype):
		return None, []
	return doctype, source.document_names(DRILLDOWN_LIMIT)


@frappe.whitelist()
@check_arguments
def get_drilldown(
	scorecard: Annotated[str, plain_text("KPI Scorecard")],
	indicator: Annotated[str, plain_text("KPI Indicator")],
) -> dict:
	"""The source documents behind one row of a scorecard, for the list view."""
	card = frappe.get_doc("KPI Scorecard", scorecard)
	card.check_permission("read")
	if indicator not in {row.indicator for row in card.rows}:
		frappe.throw(_("Indicator {0} is not on scorecard {1}.").format(indicator, scorecard))
	parties = [card.assignee]
	if card.is_group:
		parties = _members_by_group({card.assignee}, card.assignee_type).get(card.assignee, parties)
	doctype, names = _drilldown_names(
		frappe.get_cached_doc("KPI Indicator", indicator), parties, card.from_date, card.to_date
	)
	if doctype:
		frappe.has_permission(doctype, "read", throw=True)
	return {"doctype": doctype, "names": names, "truncated": len(names) >= DRILLDOWN_LIMIT}
