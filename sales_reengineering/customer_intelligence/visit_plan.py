"""Visit plans against the visits actually made (the sales-activity module).

A salesperson's weekly Visit Plan lists the customers and dealers they mean to visit. A visit is an
activity (an Event logged against a Customer, an Opportunity or a Dealer, see `activity`) of category
Visit ("Event") or Meeting, created by the salesperson's user, that has started and is not cancelled;
a visit logged against an opportunity visits the opportunity's customer. Calls do not fulfil a visit
plan. `core.visit_plan.match` pairs the lines with the visits.

Set-based: the lines of any number of plans are read in one query, the visits of all their
salespeople and weeks in one more, and the results written back with one UPDATE per column
(`rematch`). A plan is matched when it is submitted, when one of its salesperson's Events is saved or
deleted (`on_event_change`), and every day for the plans of the last two weeks (`rematch_recent`, which
also turns the unvisited lines of a finished week to Missed). The "Plan vs Actual" report, the weekly
sales report and the "Visit Plan Completion" indicator read the same matching.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import frappe
from frappe.query_builder import Case
from frappe.utils import getdate, now_datetime

from sales_reengineering.core import visit_plan as core
from sales_reengineering.scope.people import get_user_sales_persons, get_users_of_sales_persons

PLAN, ITEM = "Visit Plan", "Visit Plan Item"
# Event.event_category of the activities that are visits (activity.ACTIVITY_TYPES: Visit, Meeting)
VISIT_CATEGORIES = ("Event", "Meeting")


def load_lines(plans: list[str] | None = None, people: list[str] | None = None, start=None, end=None):
	"""The lines of the submitted plans named, or of `people`'s plans for weeks starting from `start`
	to `end` (dates, both included): one query."""
	plan, item = frappe.qb.DocType(PLAN), frappe.qb.DocType(ITEM)
	query = (
		frappe.qb.from_(item)
		.join(plan)
		.on((plan.name == item.parent) & (item.parenttype == PLAN))
		.select(
			item.name,
			item.parent,
			plan.sales_person,
			plan.week_start,
			item.party_type,
			item.party,
			item.planned_date,
			item.matched_event,
			item.visit_status,
		)
		.where(plan.docstatus == 1)
	)
	if plans is not None:
		query = query.where(plan.name.isin(plans or [""]))
	if people is not None:
		query = query.where(plan.sales_person.isin(people or [""]))
	if start is not None:
		query = query.where(plan.week_start[getdate(start) : getdate(end)])
	return query.run(as_dict=True)


def load_visits(people: list[str], start: date, end: date) -> list[core.Visit]:
	"""The visits of `people` (through their users) starting from `start` to before `end`, one row
	per Customer or Dealer each names: one query (plus one for the users)."""
	users = {user: person for person, user in get_users_of_sales_persons(people).items()}
	if not users:
		return []
	event = frappe.qb.DocType("Event")
	participant = frappe.qb.DocType("Event Participants")
	opp = frappe.qb.DocType("Opportunity")
	party_type = (
		Case()
		.when(participant.reference_doctype == "Opportunity", "Customer")
		.else_(participant.reference_doctype)
	)
	party = (
		Case()
		.when(participant.reference_doctype == "Opportunity", opp.party_name)
		.else_(participant.reference_docname)
	)
	rows = (
		frappe.qb.from_(event)
		.join(participant)
		.on((participant.parent == event.name) & (participant.parenttype == "Event"))
		.left_join(opp)
		.on(
			(participant.reference_doctype == "Opportunity")
			& (opp.name == participant.reference_docname)
			& (opp.opportunity_from == "Customer")
		)
		.select(event.name, event.owner, event.starts_on, party_type.as_("party_type"), party.as_("party"))
		.distinct()
		.where(event.owner.isin(list(users)))
		.where(event.event_category.isin(VISIT_CATEGORIES))
		.where(event.status != "Cancelled")
		.where(event.starts_on >= datetime.combine(start, datetime.min.time()))
		.where(event.starts_on < min(datetime.combine(end, datetime.min.time()), now_datetime()))
		.where(participant.reference_doctype.isin(("Customer", "Dealer", "Opportunity")))
	).run(as_dict=True)
	return [
		core.Visit(row.name, users[row.owner], row.party_type, row.party, row.starts_on)
		for row in rows
		if row.party
	]


def _as_lines(rows) -> list[core.Line]:
	return [
		core.Line(
			row.name,
			row.sales_person,
			getdate(row.week_start),
			row.party_type,
			row.party,
			getdate(row.planned_date),
		)
		for row in rows
	]


def match_rows(rows, people: list[str] | None = None, start: date | None = None, end: date | None = None):
	"""(lines, visits, {line: Match}, unplanned events) for plan line `rows`; the visits are those of
	the weeks from `start` to before `end` of `people` (default: the rows' own people and weeks)."""
	lines = _as_lines(rows)
	if people is None:
		people = sorted({line.sales_person for line in lines})
	if start is None:
		weeks = [line.week_start for line in lines]
		start, end = (min(weeks), max(weeks) + timedelta(days=7)) if weeks else (None, None)
	visits = load_visits(people, start, end) if people and start else []
	matches, unplanned = core.match(lines, visits, getdate())
	return lines, visits, matches, unplanned


def rematch(plans: list[str]) -> None:
	"""Match the lines of the submitted `plans` and store each line's visit and status and each plan's
	totals; a constant number of queries, however many plans and lines."""
	rows = load_lines(plans=plans)
	if not rows:
		return
	_lines, _visits, matches, _unplanned = match_rows(rows)
	changed = {}
	for row in rows:
		found = matches[row.name]
		if (row.matched_event or None, row.visit_status) != (found.event, found.status):
			changed[row.name] = {
				"matched_event": found.event,
				"visited_on": found.visited_on,
				"visit_status": found.status,
			}
	bulk_update(ITEM, changed)

	totals = {}
	for row in rows:
		planned, visited = totals.get(row.parent, (0, 0))
		totals[row.parent] = (planned + 1, visited + (matches[row.name].status == core.VISITED))
	bulk_update(
		PLAN,
		{
			name: {
				"planned_visits": planned,
				"visited_as_planned": visited,
				"completion": round(100.0 * visited / planned, 1) if planned else 0,
			}
			for name, (planned, visited) in totals.items()
		},
	)


def bulk_update(doctype: str, values: dict[str, dict]) -> None:
	"""Set per-document values ({name: {column: value}}) in one UPDATE (a CASE on the name per column)."""
	if not values:
		return
	table = frappe.qb.DocType(doctype)
	fields = sorted({field for row in values.values() for field in row})
	names = list(values)
	query = frappe.qb.update(table).where(table.name.isin(names))
	for field in fields:
		case = Case()
		for name, row in values.items():
			if field in row:
				case = case.when(table.name == name, row[field])
		# a document that sets other columns only keeps this one
		query = query.set(table[field], case.else_(table[field]))
	query.run()


def on_event_change(doc, method=None) -> None:
	"""Event hook (on_update, after_delete): rematch the plans of the Event owner's week, and any plan
	a line of which this Event fulfilled (the Event moved to another week or was deleted)."""
	people = get_user_sales_persons(doc.owner) if doc.owner else []
	plan, item = frappe.qb.DocType(PLAN), frappe.qb.DocType(ITEM)
	criteria = item.matched_event == doc.name
	if people and doc.starts_on:
		week = core.week_start_of(getdate(doc.starts_on))
		criteria = criteria | (plan.sales_person.isin(people) & (plan.week_start == week))
	plans = (
		frappe.qb.from_(plan)
		.left_join(item)
		.on((item.parent == plan.name) & (item.parenttype == PLAN))
		.select(plan.name)
		.distinct()
		.where(plan.docstatus == 1)
		.where(criteria)
	).run(pluck=True)
	if plans:
		rematch(plans)


def rematch_recent() -> None:
	"""Daily: rematch the submitted plans of this week and the last (a finished week's unvisited lines
	become Missed; a visit planned ahead counts once it has started). Idempotent."""
	monday = core.week_start_of(getdate())
	plans = frappe.get_all(
		PLAN,
		filters={"docstatus": 1, "week_start": ("between", [monday - timedelta(days=7), monday])},
		pluck="name",
	)
	if plans:
		rematch(plans)


def plan_vs_actual(people: list[str], start: date, end: date) -> dict[str, core.Figures]:
	"""{salesperson: Figures} for the plans of `people` whose week starts from `start` to `end` (both
	included) and the visits of those weeks (from `start`'s Monday to the Sunday after `end`'s week):
	four queries, whatever the number of people. Live: it does not wait for the stored matches."""
	if not people:
		return {}
	first = core.week_start_of(getdate(start))
	last = core.week_start_of(getdate(end))
	rows = load_lines(people=people, start=first, end=last)
	lines, visits, matches, unplanned = match_rows(rows, people, first, last + timedelta(days=7))
	return core.figures(lines, visits, matches, unplanned)
