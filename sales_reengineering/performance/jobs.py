"""The daily scorecards and rankings, split into batches on Frappe's background workers (RQ).

    enqueue_scorecard_batches(quarter=None, company=None) -> [job ids]

puts one job per team on the "long" queue: the approved Sales Tasks of the salespeople of one team (the
group node right above them in the Sales Person tree) and the team's own task, or of the dealers below
one dealer; small teams are packed together and a large one is cut, so that a batch has at most
BATCH_SIZE tasks. Each job computes and saves its scorecards
(`scorecard.compute_in_chunks`, bulk writes, committed per chunk), so two workers finish about twice
as soon as one.

The ranking runs once, after every batch is saved, whatever the order the batches ran in and on
whichever workers: the run keeps the set of its batches still to do in Redis, each batch takes itself
out when it ends (an atomic MULTI/EXEC), and the one that empties the set enqueues the ranking step.
The ranking step reuses the scorecards saved since the run started and recomputes only those that are
not (`ranking.compute_ranking(fresh_since=...)`): a task outside the run, or a batch that failed (it
logs its error and still takes itself out), so the ranking is right even then.

Job ids are fixed per run and batch ("sales_reengineering::scorecards::<run>::<batch>") and enqueued
with `deduplicate`, so a second call while a batch is queued or running does not run it twice; a
batch run again later only saves the same scorecards again (idempotent).

    wait_for_jobs(job_ids, timeout=3600) -> {job id: status}

waits until the batches and the ranking step of their run have finished (for the benchmark and tests).
"""

import time

import frappe
from frappe.utils import get_datetime, getdate, now_datetime, today
from frappe.utils.background_jobs import get_job_status

from sales_reengineering.exceptions import InvalidRankingError
from sales_reengineering.performance.ranking import LEVELS, compute_ranking, scheduled_rankings
from sales_reengineering.performance.scorecard import compute_in_chunks, live_task_names

QUEUE = "long"
JOB_TIMEOUT = 3600
BATCH_SIZE = 200
# Redis keys of a run live this long at most (a run that never finished is forgotten by then)
RUN_TTL = 24 * 3600
JOB_PREFIX = "sales_reengineering::scorecards"
DONE = ("finished", "failed", "stopped", "canceled")


def _pending_key(run: str) -> str:
	return frappe.cache.make_key(f"sr_scorecard_run::{run}::pending")


def _since_key(run: str) -> str:
	return frappe.cache.make_key(f"sr_scorecard_run::{run}::since")


def batch_job_id(run: str, batch: str) -> str:
	return f"{JOB_PREFIX}::{run}::{batch}"


def rank_job_id(run: str) -> str:
	return f"{JOB_PREFIX}::{run}::rank"


# ---------------------------------------------------------------------------------------------------
# which tasks, in which batch
# ---------------------------------------------------------------------------------------------------


def quarter_task_names(quarter: str) -> list[str]:
	"""Approved tasks whose period lies inside `quarter` ("2026-Q3"): its quarterly and monthly tasks."""
	from sales_reengineering.performance.doctype.sales_task.sales_task import period_bounds

	year, number = _parse_quarter(quarter)
	from_date, to_date, _label = period_bounds("Quarter", year, number)
	return frappe.get_all(
		"Sales Task",
		filters={"docstatus": 1, "from_date": (">=", from_date), "to_date": ("<=", to_date)},
		pluck="name",
		order_by="name",
	)


def _parse_quarter(quarter: str) -> tuple[int, int]:
	try:
		year, number = str(quarter).upper().split("-Q")
		year, number = int(year), int(number)
	except ValueError:
		year = number = 0
	if not (1 <= number <= 4 and 1900 < year < 3000):
		frappe.throw(
			frappe._("A quarter is written like 2026-Q3, not {0}.").format(quarter), InvalidRankingError
		)
	return year, number


def _parents(doctype: str, parent_field: str, names: set[str]) -> dict[str, str]:
	"""{node: its parent node} for `names` of a tree, in ONE query."""
	if not names:
		return {}
	return dict(
		frappe.get_all(
			doctype, filters={"name": ("in", sorted(names))}, fields=["name", parent_field], as_list=True
		)
	)


PARENT_FIELDS = {"Sales Person": "parent_sales_person", "Dealer": "parent_dealer"}


def task_batches(
	task_names: list[str], company: str | None = None, batch_size: int = BATCH_SIZE
) -> dict[str, list[str]]:
	"""{batch: task names}: tasks grouped by team (the manager node above a salesperson, or the dealer
	above a dealer), whole teams packed into batches of at most `batch_size` tasks. With `company`, only the tasks of that company (Sales
	Task.company: the company whose documents the task counts)."""
	if not task_names:
		return {}
	filters = {"name": ("in", task_names), "docstatus": 1}
	if company:
		filters["company"] = company
	tasks = frappe.get_all(
		"Sales Task",
		filters=filters,
		fields=["name", "assignee_type", "assignee", "is_group"],
		order_by="name",
	)
	# a team: a salesperson's manager node (the group node right above), or a group task's own node
	parents = {
		tree: _parents(tree, field, {t.assignee for t in tasks if t.assignee_type == tree and not t.is_group})
		for tree, field in PARENT_FIELDS.items()
	}
	groups = {}
	for task in tasks:
		team = task.assignee if task.is_group else parents[task.assignee_type].get(task.assignee)
		groups.setdefault(f"{task.assignee_type}:{team or task.assignee}", []).append(task.name)
	# whole teams are packed together up to batch_size tasks; a larger team is cut into chunks
	batches, current, first = {}, [], None
	for group, names in sorted(groups.items()):
		if current and len(current) + len(names) > batch_size:
			batches[first] = current
			current, first = [], None
		for index, start in enumerate(range(0, len(names), batch_size)):
			chunk = names[start : start + batch_size]
			if len(chunk) == batch_size:
				batches[f"{group}:{index}"] = chunk
				continue
			first = first or f"{group}:{index}"
			current.extend(chunk)
	if current:
		batches[first] = current
	return batches


# ---------------------------------------------------------------------------------------------------
# enqueue, batch, rank
# ---------------------------------------------------------------------------------------------------


def enqueue_scorecard_batches(
	quarter: str | None = None,
	company: str | None = None,
	on_date=None,
	now: bool = False,
	batch_size: int = BATCH_SIZE,
) -> list[str]:
	"""Enqueue one scorecard job per team (see the module doc); returns their job ids.

	quarter: "2026-Q3" scores the tasks of that quarter and then ranks the quarter; None scores the live
	tasks (`scorecard.live_task_names`) and then runs the day's scheduled rankings (the daily job).
	now: run every job in this process instead (tests, a site without workers)."""
	day = getdate(on_date or today())
	if quarter:
		_parse_quarter(quarter)
		run, names = f"{str(quarter).upper()}-{company or 'all'}", quarter_task_names(quarter)
	else:
		run, names = f"daily-{day}", live_task_names(day)
	run = frappe.scrub(run)
	batches = task_batches(names, company, max(int(batch_size), 1))
	cache = frappe.cache
	# the run's start; a call while the run is still in progress keeps it (its early batches stay fresh)
	cache.set(_since_key(run), str(now_datetime()), ex=RUN_TTL, nx=bool(cache.scard(_pending_key(run))))
	if not batches:
		_enqueue_rank(run, quarter, str(day), now)
		return []
	# every batch is registered before the first is enqueued: a fast one must not find the set empty
	# raw Redis commands on the site's own keys (made by _pending_key), in one MULTI/EXEC; the set is
	# started afresh, so a batch of a run that died long ago cannot hold the ranking back
	pipe = cache.pipeline()
	pipe.delete(_pending_key(run))
	pipe.sadd(_pending_key(run), *batches)
	pipe.expire(_pending_key(run), RUN_TTL)
	pipe.execute()
	job_ids = []
	for batch, task_names in batches.items():
		job_id = batch_job_id(run, batch)
		frappe.enqueue(
			"sales_reengineering.performance.jobs.run_scorecard_batch",
			queue=QUEUE,
			timeout=JOB_TIMEOUT,
			job_id=job_id,
			deduplicate=True,
			now=now,
			run=run,
			batch=batch,
			task_names=task_names,
			quarter=quarter,
			on_date=str(day),
			rank_now=now,
		)
		job_ids.append(job_id)
	return job_ids


def run_scorecard_batch(
	run: str,
	batch: str,
	task_names: list[str],
	quarter: str | None = None,
	on_date=None,
	rank_now: bool = False,
) -> None:
	"""One batch: save its scorecards; the last batch of the run to end enqueues the ranking."""
	try:
		compute_in_chunks(task_names)
		if not frappe.flags.in_test:
			frappe.db.commit()  # nosemgrep: a background job commits its batch before it reports done
	except Exception:
		if frappe.flags.in_test:
			raise
		# the ranking step recomputes what this batch did not save: the run still ends
		frappe.db.rollback()
		frappe.log_error(
			title=f"Scorecard batch {batch} of run {run} failed", reference_doctype="KPI Scorecard"
		)
	if finish_batch(run, batch):
		_enqueue_rank(run, quarter, on_date, rank_now)


def finish_batch(run: str, batch: str) -> bool:
	"""Take `batch` out of its run; True for exactly one caller: the one that left the run empty."""
	pipe = frappe.cache.pipeline()  # MULTI/EXEC: no other batch runs between the two commands
	pipe.srem(_pending_key(run), batch)
	pipe.scard(_pending_key(run))
	removed, left = pipe.execute()
	return bool(removed) and not left


def _enqueue_rank(run: str, quarter: str | None, on_date, now: bool = False) -> None:
	frappe.enqueue(
		"sales_reengineering.performance.jobs.rank_run",
		queue=QUEUE,
		timeout=JOB_TIMEOUT,
		job_id=rank_job_id(run),
		deduplicate=True,
		now=bool(now),
		run=run,
		quarter=quarter,
		on_date=on_date,
	)


def rank_run(run: str, quarter: str | None = None, on_date=None) -> list[str]:
	"""The run's final step: rank on the scorecards the batches saved (recomputing any they did not)."""
	since = frappe.cache.get(_since_key(run))
	fresh_since = get_datetime(since.decode() if isinstance(since, bytes) else since) if since else None
	if quarter:
		year, number = _parse_quarter(quarter)
		names = [compute_ranking("Quarter", year, number, level, fresh_since) for level in LEVELS]
	else:
		names = scheduled_rankings(on_date, fresh_since)
	if not frappe.flags.in_test:
		frappe.db.commit()  # nosemgrep: the background job's result is kept before the run is forgotten
	frappe.cache.delete(_since_key(run), _pending_key(run))
	return names


def daily() -> list[str]:
	"""daily_long: the day's scorecards in batches per team on the workers, then the day's rankings."""
	return enqueue_scorecard_batches()


def wait_for_jobs(job_ids: list[str], timeout: float = 3600, poll: float = 0.5) -> dict[str, str | None]:
	"""Wait until every job of `job_ids` and the ranking step of their run(s) have ended (or the
	timeout); returns {job id: its last RQ status} ("finished", "failed", None: gone)."""
	runs = {job_id.split("::")[2] for job_id in job_ids if job_id.startswith(JOB_PREFIX + "::")}
	deadline = time.monotonic() + timeout
	statuses = _wait(list(job_ids), deadline, poll)
	statuses.update(_wait([rank_job_id(run) for run in sorted(runs)], deadline, poll))
	return statuses


def _wait(job_ids: list[str], deadline: float, poll: float) -> dict:
	while True:
		statuses = {job_id: _status(job_id) for job_id in job_ids}
		if all(status in DONE or status is None for status in statuses.values()):
			return statuses
		if time.monotonic() > deadline:
			return statuses
		time.sleep(poll)


def _status(job_id: str) -> str | None:
	status = get_job_status(job_id)
	return getattr(status, "value", status)
