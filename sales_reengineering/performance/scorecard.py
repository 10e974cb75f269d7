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
from pypika.terms import Values

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
# scorecards written per statement batch: the memory of a save is one batch's documents and SQL, not the
# whole company's (12.6 MB for the 518 scorecards of a quarter at once on the benchmark's large data, about
# 4 MB per batch)
SAVE_BATCH = 200
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
			"company",
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

	# one aggregate per indicator per (period, assignee type, company): a task counts the documents of
	# its own company only
	batches = defaultdict(list)
	for task in tasks:
		from_date, to_date = period or (task.from_date, task.to_date)
		batches[(from_date, to_date, task.assignee_type, task.company)].append(task)
	actuals = defaultdict(dict)
	for (from_date, to_date, _type, company), batch in batches.items():
		parties = sorted(
			{p for task in batch for p in members.get((task.assignee_type, task.assignee), [task.assignee])}
		)
		needed = {row.indicator for task in batch for row in targets[task.name]}
		values = {
			name: indicators[name].compute(parties, from_date, to_date, company) for name in sorted(needed)
		}
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


def compute_scorecards(task_names: list[str], from_replica: bool = False) -> list[str]:
	"""(Re)compute and save the scorecards of the given approved tasks; returns the scorecard names.

	The save is one batch of statements (see `save_scorecards`). With `from_replica` (background jobs,
	whose tasks and invoices are committed) the evaluation, which only reads, goes to the site's read
	replica when it has one; never inside a transaction that has just written what it must see (a Sales
	Task being submitted), since the replica does not see uncommitted rows."""
	return save_scorecards(_evaluate_on_replica(task_names) if from_replica else evaluate_tasks(task_names))


@frappe.read_only()
def _evaluate_on_replica(task_names: list[str]) -> list[frappe._dict]:
	return evaluate_tasks(task_names)


def _actual(task, indicator, by_party: dict[str, float], members: list[str] | None) -> float | None:
	if members is None:
		value = by_party.get(task.assignee)
		if value is None and indicator.rollup_method == "Average":
			return None
		return flt(value)
	present = [by_party[m] for m in members if m in by_party]
	return rollup(present, indicator.rollup_method)


# what a recompute rewrites on a scorecard that exists: everything computed, never its name, owner,
# creation, docstatus or the desk's own columns (_assign, _comments, _liked_by, _user_tags)
CARD_FIELDS = (
	"sales_task",
	"assignee_type",
	"assignee",
	"is_group",
	"template",
	"company",
	"period_type",
	"period_label",
	"from_date",
	"to_date",
	"scoring_method",
	"total_score",
	"beat_target",
	"last_computed",
	"modified",
	"modified_by",
)
ROW_DOCTYPE = "KPI Scorecard Row"


def save_scorecards(items: list[frappe._dict]) -> list[str]:
	"""Save the evaluated tasks' scorecards in bulk: a constant number of statements per batch of
	SAVE_BATCH tasks (a locking read, one INSERT ... ON DUPLICATE KEY UPDATE of the scorecards, one
	DELETE and one INSERT of their rows), so the memory of a save does not grow with the company.

	A scorecard is named after its task (autoname field:sales_task). One that exists keeps its name,
	owner and creation, like a `save()` of the document; its rows are replaced. The values go through
	Frappe's own column conversion (`get_valid_dict`), so they are stored as a document save would
	store them. Nothing hooks into a scorecard's save (the doctype has no controller methods; it is
	written only here).

	The locking read waits for another job saving the same scorecards to commit and the upsert never
	fails on a name that job inserted meanwhile; rows of one scorecard are replaced under the
	scorecard's row lock, so two jobs never leave two sets of rows."""
	names = []
	for start in range(0, len(items), SAVE_BATCH):
		names.extend(_save_batch(items[start : start + SAVE_BATCH]))
	return names


def _save_batch(items: list[frappe._dict]) -> list[str]:
	card = frappe.qb.DocType("KPI Scorecard")
	task_names = [item.task.name for item in items]
	existing = {
		row.sales_task: row
		for row in (
			frappe.qb.from_(card)
			.select(card.name, card.sales_task, card.owner, card.creation)
			.where(card.sales_task.isin(task_names))
			.for_update()
		).run(as_dict=True)
	}
	now, user = now_datetime(), frappe.session.user
	cards, rows = [], []
	for item in items:
		doc, children = _scorecard_doc(item, existing.get(item.task.name), now, user)
		cards.append(doc.get_valid_dict(convert_dates_to_str=True))
		rows.extend(child.get_valid_dict(convert_dates_to_str=True) for child in children)

	card_columns = list(cards[0])
	query = frappe.qb.into(card).columns(*card_columns).insert(*[tuple(c.values()) for c in cards])
	for field in CARD_FIELDS:
		query = query.on_duplicate_key_update(card[field], Values(card[field]))
	query.run()

	names = [doc["name"] for doc in cards]
	frappe.db.delete(ROW_DOCTYPE, {"parenttype": "KPI Scorecard", "parent": ("in", names)})
	if rows:
		frappe.db.bulk_insert(ROW_DOCTYPE, list(rows[0]), [tuple(row.values()) for row in rows])
	frappe.clear_document_cache("KPI Scorecard")
	return names


def _scorecard_doc(item, existing, now, user) -> tuple:
	"""The scorecard of one evaluated task as an unsaved document and its rows, with the name, owner
	and timestamps a save would give them."""
	task, targets, actuals, indicators, template, result = (
		item.task,
		item.targets,
		item.actuals,
		item.indicators,
		item.template,
		item.result,
	)
	name = existing.name if existing else task.name.strip()
	creation = existing.creation if existing else now
	owner = existing.owner if existing else user
	doc = frappe.get_doc(
		{
			"doctype": "KPI Scorecard",
			"name": name,
			"owner": owner,
			"creation": creation,
			"modified": now,
			"modified_by": user,
			"docstatus": 0,
			"idx": 0,
			"sales_task": task.name,
			"assignee_type": task.assignee_type,
			"assignee": task.assignee,
			"is_group": task.is_group,
			"template": task.template,
			"company": task.company,
			"period_type": task.period_type,
			"period_label": task.period_label,
			"from_date": task.from_date,
			"to_date": task.to_date,
			"scoring_method": template.scoring_method,
			"total_score": result.total,
			"beat_target": int(result.beat_target),
			"last_computed": now,
		}
	)
	children = [
		frappe.get_doc(
			{
				"doctype": ROW_DOCTYPE,
				"name": frappe.generate_hash(length=10),
				"owner": owner,
				"creation": creation,
				"modified": now,
				"modified_by": user,
				"docstatus": 0,
				"idx": idx,
				"parent": name,
				"parenttype": "KPI Scorecard",
				"parentfield": "rows",
				"indicator": row.indicator,
				"unit": indicators[row.indicator].unit,
				"higher_is_better": indicators[row.indicator].higher_is_better,
				"weight": scored.weight,
				"target": scored.target,
				"actual": actuals.get(row.indicator),
				"attainment": None if scored.attainment is None else scored.attainment * 100,
				"score_ratio": scored.score_ratio * 100,
				"weighted_score": scored.weighted_score,
			}
		)
		for idx, (row, scored) in enumerate(zip(targets, result.rows, strict=True), start=1)
	]
	return doc, children


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
		compute_scorecards(task_names[start : start + CHUNK_SIZE], from_replica=True)
		if not frappe.flags.in_test:
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


def _drilldown_names(
	indicator, parties: list[str], from_date, to_date, company: str | None = None
) -> tuple[str | None, list[str]]:
	"""(doctype, names) of the documents behind `indicator`'s value for `parties` (in `company`), read
	from the same query as the value itself; (None, []) when the indicator has no source documents on
	this site."""
	doctype = indicator.drilldown_doctype()
	source = indicator.get_source(parties, from_date, to_date, company)
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
		frappe.get_cached_doc("KPI Indicator", indicator), parties, card.from_date, card.to_date, card.company
	)
	if doctype:
		frappe.has_permission(doctype, "read", throw=True)
	return {"doctype": doctype, "names": names, "truncated": len(names) >= DRILLDOWN_LIMIT}
