"""Weekly `Sales Progress Snapshot` per salesperson, computed from the Opportunity Stage Log with
`sales_reengineering.core.progress` (see that module for the definition of progress).

Set-based: one query for the opportunities, one for their logs, one for the stage orders, one for the
existing snapshots of the week. Idempotent: one snapshot per salesperson and week; a recompute
replaces it.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Annotated

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from sales_reengineering.arguments import check_arguments, plain_text
from sales_reengineering.core.progress import (
	ProgressResult,
	StageEvent,
	iso_week_bounds,
	stage_progress_from_events,
)
from sales_reengineering.customer_intelligence.opportunity import (
	LOG,
	OPEN_STATUSES,
	STATUS_OUTCOME,
	get_stage_orders,
)
from sales_reengineering.exceptions import InvalidWeekError

SNAPSHOT = "Sales Progress Snapshot"


def weekly_progress(day: date | str) -> tuple[date, date, dict[str, tuple[ProgressResult, dict]]]:
	"""Progress of the ISO week containing `day` for every salesperson with opportunities open at its
	start: `(week_start, week_end, {sales_person: (result, {opportunity: (start_order, end_order)})})`."""
	week_start, week_end = iso_week_bounds(getdate(day))
	start_at = datetime.combine(week_start, datetime.min.time())
	end_at = datetime.combine(week_end, datetime.min.time())

	opp = frappe.qb.DocType("Opportunity")
	opportunities = (
		frappe.qb.from_(opp)
		.select(opp.name, opp.sr_sales_person, opp.sales_stage, opp.status, opp.modified)
		.where(
			opp.sr_sales_person.isnotnull()
			& (opp.sr_sales_person != "")
			& (opp.creation < start_at)
			& (opp.status.isin(OPEN_STATUSES) | (opp.modified >= start_at))
		)
	).run(as_dict=True)
	if not opportunities:
		return week_start, week_end, {}

	log = frappe.qb.DocType(LOG)
	logs = (
		frappe.qb.from_(log)
		.join(opp)
		.on(opp.name == log.opportunity)
		.select(log.opportunity, log.changed_on, log.from_order, log.to_order, log.stage_changed, log.outcome)
		.where(
			opp.sr_sales_person.isnotnull()
			& (opp.creation < start_at)
			& (opp.status.isin(OPEN_STATUSES) | (opp.modified >= start_at))
			& (log.changed_on < end_at)
		)
		.orderby(log.changed_on)
		.orderby(log.creation)
	).run(as_dict=True)
	logs_by_opp = defaultdict(list)
	for row in logs:
		logs_by_opp[row.opportunity].append(row)
	orders = get_stage_orders()

	start_stages: dict[str, dict[str, float]] = defaultdict(dict)
	events: dict[str, list[StageEvent]] = defaultdict(list)
	for row in opportunities:
		before = [entry for entry in logs_by_opp[row.name] if entry.changed_on < start_at]
		during = [entry for entry in logs_by_opp[row.name] if entry.changed_on >= start_at]
		outcomes_before = [entry.outcome for entry in before if entry.outcome]
		if outcomes_before and outcomes_before[-1] != "Open":
			continue  # already won, lost or closed when the week began
		staged_before = [entry for entry in before if entry.stage_changed]
		if staged_before:
			stage_at_start = staged_before[-1].to_order or 0
		elif during and during[0].stage_changed and during[0].from_order is not None:
			stage_at_start = during[0].from_order
		else:
			stage_at_start = orders.get(row.sales_stage, 0)
		start_stages[row.sr_sales_person][row.name] = stage_at_start
		for entry in during:
			events[row.sr_sales_person].append(
				StageEvent(
					opportunity=row.name,
					at=entry.changed_on,
					stage_order=(entry.to_order or 0) if entry.stage_changed else None,
					outcome=entry.outcome.lower() if entry.outcome else None,
				)
			)
		closed_now = STATUS_OUTCOME.get(row.status) not in (None, "Open")
		if closed_now and not any(entry.outcome for entry in logs_by_opp[row.name]) and row.modified < end_at:
			# closed before stage logging existed: the last modification is the best date we have
			outcome = STATUS_OUTCOME[row.status].lower()
			events[row.sr_sales_person].append(StageEvent(row.name, row.modified, outcome=outcome))

	results = {}
	for sales_person, stages in start_stages.items():
		result = stage_progress_from_events(stages, events[sales_person], week_start, week_end)
		end_orders = {name: stages[name] for name in stages}
		for event in sorted(events[sales_person], key=lambda event: event.at):
			if event.stage_order is not None and start_at <= event.at < end_at:
				end_orders[event.opportunity] = event.stage_order
		results[sales_person] = (result, {name: (stages[name], end_orders[name]) for name in stages})
	return week_start, week_end, results


def make_snapshots(day: date | str) -> list[str]:
	"""Create or replace the snapshots of the ISO week containing `day`; returns their names."""
	week_start, week_end, results = weekly_progress(day)
	existing = dict(
		frappe.get_all(
			SNAPSHOT, filters={"week_start": week_start}, fields=["sales_person", "name"], as_list=True
		)
	)
	names = []
	for sales_person, (result, orders) in sorted(results.items()):
		doc = frappe.get_doc(SNAPSHOT, existing.pop(sales_person)) if sales_person in existing else None
		doc = doc or frappe.new_doc(SNAPSHOT)
		doc.update(
			{
				"sales_person": sales_person,
				"week_start": week_start,
				"week_end": week_end,
				"total_opportunities": result.total,
				"progressed_count": len(result.progressed),
				"stuck_count": len(result.stuck),
				"lost_count": len(result.lost),
				"progress_rate": result.percent or 0,
				"computed_on": now_datetime(),
			}
		)
		doc.set("opportunities", [])
		for group, label in (
			(result.progressed, "Progressed"),
			(result.stuck, "Stuck"),
			(result.lost, "Lost"),
		):
			for name in group:
				doc.append(
					"opportunities",
					{
						"opportunity": name,
						"result": label,
						"stage_order_start": orders[name][0],
						"stage_order_end": orders[name][1],
					},
				)
		doc.save(ignore_permissions=True)
		names.append(doc.name)
	for stale in existing.values():  # nobody left to measure for that person this week
		frappe.delete_doc(SNAPSHOT, stale, ignore_permissions=True)
	return names


def make_last_week_snapshots() -> None:
	"""Scheduler (weekly_long): the last complete ISO week."""
	monday, _next = iso_week_bounds(getdate())
	make_snapshots(monday - timedelta(days=7))


@frappe.whitelist(methods=["POST"])
@check_arguments
def recompute_snapshots(week_start: Annotated[str, plain_text("Week")]) -> int:
	"""Recompute one week's snapshots now (Sales Manager)."""
	frappe.has_permission(SNAPSHOT, "delete", throw=True)
	try:
		day = getdate(week_start)
	except Exception:
		day = None
	if not day:
		frappe.throw(_("{0} is not a valid date.").format(week_start), InvalidWeekError)
	return len(make_snapshots(day))
