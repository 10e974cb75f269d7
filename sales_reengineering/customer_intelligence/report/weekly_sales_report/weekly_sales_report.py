# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""The written Monday meeting: for one ISO week, per salesperson, the activities they logged (ERPNext
Events: visits, meetings, calls), the opportunities they opened, moved up, won or lost, the info-feedback
reports they filed, the week's progress rate and their visit plan against the visits made (planned,
visited as planned, unplanned, completion: `visit_plan.plan_vs_actual`). Activities are the Events logged against a Customer, an
Opportunity or a Dealer (`activity.activity_events`, as the "Activities Logged" KPI counts them);
private calendar entries are left out. A salesperson sees their own row, a manager their
team's. Five grouped queries and the visit plan's three, whatever the team size.

"Show Details" lists instead what the meeting talked about: every activity of the week (with the
Customer, Opportunity or Dealer it names) and every stage move of the salespeople's opportunities (from
-> to, up or down, won or lost). Two queries, whatever the team size. `customer_intelligence.weekly_report`
mails both views every Monday.

Both views count only what the user's User Permissions allow: opportunities and stage moves by the
opportunity's Company, Territory and customer, feedback reports by Territory and Customer, and
activities by the Customer (and its Territory), Opportunity or Dealer they name (an activity counts
when one of the documents it names is allowed). The weekly progress rate is the salesperson's own
figure (Sales Progress Snapshot) and is shown as it is.

The Company filter (the user's default company; empty: every company) keeps the opportunities, stage
moves and won or lost deals of that company, and the activities that name a customer, a dealer or an
opportunity of that company (an activity about another company's opportunity only is left out).
Customers, dealers, feedback reports, visit plans and progress snapshots belong to no company and count
for every one. The Monday e-mail reports every company."""

from collections import defaultdict
from datetime import datetime

import frappe
from frappe import _
from frappe.query_builder import Case, Criterion
from frappe.query_builder.functions import Count
from frappe.utils import getdate

from sales_reengineering.arguments import report_filters
from sales_reengineering.charts import TOP_N
from sales_reengineering.companies import report_company
from sales_reengineering.core.progress import iso_week_bounds
from sales_reengineering.customer_intelligence.activity import (
	ACTIVITY_TYPES,
	REFERENCE_DOCTYPES,
	activity_events,
)
from sales_reengineering.customer_intelligence.opportunity import LOG
from sales_reengineering.customer_intelligence.visit_plan import plan_vs_actual
from sales_reengineering.exceptions import CustomerIntelligenceError
from sales_reengineering.scope import user_permissions
from sales_reengineering.scope.people import (
	get_subtree,
	get_users_of_sales_persons,
	get_visible_sales_persons,
)

ACTIVITY_COLUMNS = {"Event": "visits", "Meeting": "meetings", "Call": "calls"}


# a site with a read replica (read_from_replica) answers the report from it; the report only reads
@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, texts=("company", "sales_person"))
	week_start, week_end = validate_filters(filters)
	company = report_company(filters, "Opportunity")
	people = get_people(filters)
	message = week_label(week_start, week_end)
	if filters.show_details:
		details = get_details(people, week_start, week_end, company) if people else []
		return get_detail_columns(), details, message, None, get_detail_summary(details)
	data = get_data(people, week_start, week_end, company) if people else []
	return get_columns(), data, message, get_chart(data), get_summary(data)


def week_label(week_start, week_end) -> str:
	return _("Week of {0} to {1}").format(
		frappe.format(week_start, "Date"), frappe.format(frappe.utils.add_days(week_end, -1), "Date")
	)


def validate_filters(filters) -> tuple:
	if not filters.week:
		frappe.throw(_("Choose a day of the week to report on."), CustomerIntelligenceError)
	try:
		day = getdate(filters.week)
	except Exception:
		day = None
	if not day:
		frappe.throw(_("{0} is not a valid date.").format(filters.week), CustomerIntelligenceError)
	return iso_week_bounds(day)


def get_people(filters) -> list[str]:
	visible = get_visible_sales_persons()
	if filters.sales_person:
		people = get_subtree([filters.sales_person])
	else:
		people = frappe.get_all("Sales Person", filters={"enabled": 1, "is_group": 0}, pluck="name")
	if visible is not None:
		people = [name for name in people if name in set(visible)]
	return sorted(people)


def get_columns() -> list[dict]:
	def int_column(fieldname, label, width=90):
		return {"fieldname": fieldname, "label": label, "fieldtype": "Int", "width": width}

	return [
		{
			"fieldname": "sales_person",
			"label": _("Sales Person"),
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 180,
		},
		int_column("visits", _("Visits")),
		int_column("meetings", _("Meetings")),
		int_column("calls", _("Calls")),
		int_column("other_activities", _("Other Activities"), 120),
		int_column("new_opportunities", _("New Opportunities"), 130),
		int_column("stage_moves_up", _("Moved Up"), 100),
		int_column("won", _("Won"), 70),
		int_column("lost", _("Lost or Closed"), 110),
		int_column("feedback_reports", _("Feedback Reports"), 130),
		{"fieldname": "progress_rate", "label": _("Progress Rate (%)"), "fieldtype": "Percent", "width": 130},
		# the week's visit plan against the visits made (customer_intelligence.visit_plan)
		int_column("planned_visits", _("Planned Visits"), 110),
		int_column("visited_as_planned", _("Visited as Planned"), 130),
		int_column("unplanned_visits", _("Unplanned Visits"), 120),
		{"fieldname": "plan_completion", "label": _("Plan Completion (%)"), "fieldtype": "Percent", "width": 140},
	]


def _users_by_sales_person(people: list[str]) -> dict[str, str]:
	"""{user: sales person}, to attribute the Events a user logged."""
	return {user: name for name, user in get_users_of_sales_persons(people).items()}


def get_data(people: list[str], week_start, week_end, company: str | None = None) -> list[dict]:
	start_at = datetime.combine(week_start, datetime.min.time())
	end_at = datetime.combine(week_end, datetime.min.time())
	rows = {name: frappe._dict(sales_person=name) for name in people}
	for row in rows.values():
		for column in (*ACTIVITY_COLUMNS.values(), "other_activities", "new_opportunities", "stage_moves_up"):
			row[column] = 0
		row.update(won=0, lost=0, feedback_reports=0, progress_rate=None)

	by_user = _users_by_sales_person(people)
	if by_user:
		event = frappe.qb.DocType("Event")
		for owner, category, count in (
			frappe.qb.from_(event)
			.select(event.owner, event.event_category, Count("*"))
			.where(
				event.owner.isin(list(by_user))
				& (event.starts_on >= start_at)
				& (event.starts_on < end_at)
				& event.name.isin(visible_activity_events(company))
			)
			.groupby(event.owner, event.event_category)
		).run():
			rows[by_user[owner]][ACTIVITY_COLUMNS.get(category, "other_activities")] += count

	opp = frappe.qb.DocType("Opportunity")
	opened = (
		frappe.qb.from_(opp)
		.select(opp.sr_sales_person, Count("*"))
		.where(opp.sr_sales_person.isin(people) & (opp.creation >= start_at) & (opp.creation < end_at))
		.groupby(opp.sr_sales_person)
	)
	if company:
		opened = opened.where(opp.company == company)
	for sales_person, count in user_permissions.apply_to(opened, "Opportunity", opp).run():
		rows[sales_person].new_opportunities = count

	log = frappe.qb.DocType(LOG)
	moved_up = (log.stage_changed == 1) & log.from_stage.isnotnull() & (log.to_order > log.from_order)
	moves = (
		frappe.qb.from_(log)
		.select(
			log.sales_person,
			Count(Case().when(moved_up, 1)),
			Count(Case().when(log.outcome == "Won", 1)),
			Count(Case().when(log.outcome.isin(("Lost", "Closed")), 1)),
		)
		.where(log.sales_person.isin(people) & (log.changed_on >= start_at) & (log.changed_on < end_at))
		.groupby(log.sales_person)
	)
	allowed = user_permissions.table_criterion("Opportunity", opp)
	if allowed is not None or company:
		moves = moves.left_join(opp).on(opp.name == log.opportunity)
	if allowed is not None:
		moves = moves.where(allowed)
	if company:
		moves = moves.where(opp.company == company)
	for sales_person, up, won, lost in moves.run():
		rows[sales_person].update(stage_moves_up=up, won=won, lost=lost)

	report = frappe.qb.DocType("Info Feedback Report")
	for sales_person, count in user_permissions.apply_to(
		frappe.qb.from_(report)
		.select(report.sales_person, Count("*"))
		.where(
			report.sales_person.isin(people)
			& report.report_date[week_start : frappe.utils.add_days(week_end, -1)]
		)
		.groupby(report.sales_person),
		"Info Feedback Report",
		report,
	).run():
		rows[sales_person].feedback_reports = count

	for snapshot in frappe.get_all(
		"Sales Progress Snapshot",
		filters={"week_start": week_start, "sales_person": ("in", people)},
		fields=["sales_person", "progress_rate"],
	):
		rows[snapshot.sales_person].progress_rate = snapshot.progress_rate

	for row in rows.values():
		row.update(planned_visits=0, visited_as_planned=0, unplanned_visits=0, plan_completion=None)
	for sales_person, figures in plan_vs_actual(people, week_start, week_start).items():
		rows[sales_person].update(
			planned_visits=figures.planned,
			visited_as_planned=figures.visited,
			unplanned_visits=figures.unplanned,
			plan_completion=figures.completion,
		)

	return [row for row in rows.values() if _has_activity(row)]


def _participant_tables():
	return (
		frappe.qb.DocType("Event Participants"),
		frappe.qb.DocType("Customer"),
		frappe.qb.DocType("Opportunity"),
		frappe.qb.DocType("Dealer"),
	)


def _join_references(query, participant, customer, opp, dealer):
	"""`query` over Event Participants, left-joined to the Customer, Opportunity or Dealer each names."""
	for doctype, table in (("Customer", customer), ("Opportunity", opp), ("Dealer", dealer)):
		query = query.left_join(table).on(
			(participant.reference_doctype == doctype) & (table.name == participant.reference_docname)
		)
	return query


def visible_participants(participant, customer, opp, dealer, company: str | None = None):
	"""Criterion: the Event Participants rows naming a Customer (by name and Territory), an Opportunity
	(of `company`, if given) or a Dealer the user's User Permissions allow; None when they limit nothing.
	Needs `_join_references`."""
	allowed = {
		"Customer": user_permissions.criterion(
			{"Customer": participant.reference_docname, "Territory": customer.territory},
			reference_doctype="Customer",
		),
		"Opportunity": user_permissions.table_criterion("Opportunity", opp),
		"Dealer": user_permissions.table_criterion("Dealer", dealer),
	}
	if company:
		own = opp.company == company
		allowed["Opportunity"] = own if allowed["Opportunity"] is None else allowed["Opportunity"] & own
	if all(condition is None for condition in allowed.values()):
		return None
	return Criterion.any(
		[
			(participant.reference_doctype == doctype) & condition
			if condition is not None
			else participant.reference_doctype == doctype
			for doctype, condition in allowed.items()
		]
	)


def visible_activity_events(company: str | None = None):
	"""Sub-query: `activity_events()` that name at least one document the user's User Permissions
	allow (an opportunity: of `company`, if given)."""
	events = activity_events()
	participant, customer, opp, dealer = _participant_tables()
	allowed = visible_participants(participant, customer, opp, dealer, company)
	if allowed is None:
		return events
	return _join_references(events, participant, customer, opp, dealer).where(allowed)


# Event.event_category -> the activity type the salesperson picked (customer_intelligence.activity)
ACTIVITY_TYPE_OF = {category: activity for activity, category in ACTIVITY_TYPES.items()}


def get_detail_columns() -> list[dict]:
	def column(fieldname, label, fieldtype="Data", options=None, width=120):
		return {
			"fieldname": fieldname,
			"label": label,
			"fieldtype": fieldtype,
			"options": options,
			"width": width,
		}

	return [
		column("sales_person", _("Sales Person"), "Link", "Sales Person", 160),
		column("date", _("Date"), "Datetime", width=150),
		column("kind", _("Kind"), width=100),
		column("activity_type", _("Activity Type"), width=100),
		column("subject", _("Subject"), width=200),
		# Data, not Links to DocType and Sales Stage: Frappe's report runner refuses the whole report when a
		# row links a doctype the user may not read, and no sales role reads DocType (nor a Sales User
		# Sales Stage)
		column("reference_doctype", _("Reference Type"), width=110),
		column("reference_name", _("Reference"), "Dynamic Link", "reference_doctype", 160),
		column("customer", _("Customer"), "Link", "Customer", 160),
		column("from_stage", _("From Stage"), width=120),
		column("to_stage", _("To Stage"), width=120),
		column("direction", _("Direction"), width=80),
		column("outcome", _("Outcome"), width=90),
		column("event", _("Event"), "Link", "Event", 120),
	]


def get_details(people: list[str], week_start, week_end, company: str | None = None) -> list[dict]:
	"""The week's activities and stage moves of `people`, sorted by salesperson, kind and time."""
	start_at = datetime.combine(week_start, datetime.min.time())
	end_at = datetime.combine(week_end, datetime.min.time())
	return sorted(
		get_activity_details(people, start_at, end_at, company)
		+ get_stage_move_details(people, start_at, end_at, company),
		key=lambda row: (row.sales_person, row.kind != _("Activity"), row.date, row.reference_name or ""),
	)


def get_activity_details(people: list[str], start_at, end_at, company: str | None = None) -> list[dict]:
	"""One row per activity and document it names (Event Participants), with the customer behind an
	opportunity."""
	by_user = _users_by_sales_person(people)
	if not by_user:
		return []
	event = frappe.qb.DocType("Event")
	participant, customer_table, opp, dealer = _participant_tables()
	customer = (
		Case()
		.when(participant.reference_doctype == "Customer", participant.reference_docname)
		.when(opp.opportunity_from == "Customer", opp.party_name)
	)
	query = (
		frappe.qb.from_(event)
		.join(participant)
		.on(
			(participant.parent == event.name)
			& (participant.parenttype == "Event")
			& participant.reference_doctype.isin(REFERENCE_DOCTYPES)
			& participant.reference_docname.isnotnull()
			& (participant.reference_docname != "")
		)
	)
	query = _join_references(query, participant, customer_table, opp, dealer)
	if (allowed := visible_participants(participant, customer_table, opp, dealer, company)) is not None:
		query = query.where(allowed)
	rows = (
		query.select(
			event.owner,
			event.name,
			event.subject,
			event.event_category,
			event.starts_on,
			participant.reference_doctype,
			participant.reference_docname,
			customer.as_("customer"),
		)
		.where(event.owner.isin(list(by_user)))
		.where((event.starts_on >= start_at) & (event.starts_on < end_at))
		.run(as_dict=True)
	)
	return [
		frappe._dict(
			sales_person=by_user[row.owner],
			date=row.starts_on,
			kind=_("Activity"),
			activity_type=_(ACTIVITY_TYPE_OF.get(row.event_category, "Other")),
			subject=row.subject,
			reference_doctype=row.reference_doctype,
			reference_name=row.reference_docname,
			customer=row.customer,
			from_stage=None,
			to_stage=None,
			direction=None,
			outcome=None,
			event=row.name,
		)
		for row in rows
	]


def get_stage_move_details(people: list[str], start_at, end_at, company: str | None = None) -> list[dict]:
	"""The Opportunity Stage Log rows of the week: stage moves and won / lost / closed outcomes."""
	log = frappe.qb.DocType(LOG)
	opp = frappe.qb.DocType("Opportunity")
	query = (
		frappe.qb.from_(log)
		.left_join(opp)
		.on(opp.name == log.opportunity)
		.select(
			log.sales_person,
			log.opportunity,
			log.changed_on,
			log.from_stage,
			log.to_stage,
			log.from_order,
			log.to_order,
			log.stage_changed,
			log.outcome,
			Case().when(opp.opportunity_from == "Customer", opp.party_name).as_("customer"),
		)
		.where(log.sales_person.isin(people) & (log.changed_on >= start_at) & (log.changed_on < end_at))
	)
	if company:
		query = query.where(opp.company == company)
	rows = user_permissions.apply_to(query, "Opportunity", opp).run(as_dict=True)
	return [
		frappe._dict(
			sales_person=row.sales_person,
			date=row.changed_on,
			kind=_("Stage Move"),
			activity_type=None,
			subject=None,
			reference_doctype="Opportunity",
			reference_name=row.opportunity,
			customer=row.customer,
			from_stage=row.from_stage,
			to_stage=row.to_stage,
			direction=_direction(row),
			outcome=_(row.outcome) if row.outcome else None,
			event=None,
		)
		for row in rows
	]


def _direction(row) -> str | None:
	if not row.stage_changed or not row.from_stage or row.from_order is None:
		return None
	if (row.to_order or 0) > row.from_order:
		return _("Up")
	if (row.to_order or 0) < row.from_order:
		return _("Down")
	return None


def get_detail_summary(details: list[dict]) -> list[dict]:
	activities = sum(1 for row in details if row.kind == _("Activity"))
	return [
		{"value": activities, "label": _("Activities"), "datatype": "Int"},
		{"value": len(details) - activities, "label": _("Stage Moves"), "datatype": "Int"},
	]


def _has_activity(row) -> bool:
	return row.progress_rate is not None or any(
		row[column]
		for column in (
			*ACTIVITY_COLUMNS.values(),
			"other_activities",
			"new_opportunities",
			"stage_moves_up",
			"won",
			"lost",
			"feedback_reports",
			"planned_visits",
		)
	)


def _activity_count(row) -> int:
	return row.visits + row.meetings + row.calls + row.other_activities


def get_chart(data: list[dict]) -> dict | None:
	"""The `TOP_N` most active salespeople of the week, each name whole under its bars."""
	data = sorted(data, key=lambda row: -_activity_count(row))[:TOP_N]
	if not data:
		return None
	return {
		"data": {
			"labels": [row.sales_person for row in data],
			"datasets": [
				{
					"name": _("Activities"),
					"values": [_activity_count(row) for row in data],
				},
				{"name": _("Moved Up"), "values": [row.stage_moves_up for row in data]},
			],
		},
		"type": "bar",
		"fieldtype": "Int",
	}


def get_summary(data: list[dict]) -> list[dict]:
	total = defaultdict(int)
	for row in data:
		for column in (
			"visits",
			"meetings",
			"calls",
			"other_activities",
			"new_opportunities",
			"stage_moves_up",
			"won",
		):
			total[column] += row[column]
	activities = total["visits"] + total["meetings"] + total["calls"] + total["other_activities"]
	return [
		{"value": len(data), "label": _("Salespeople Reporting"), "datatype": "Int"},
		{"value": activities, "label": _("Activities"), "datatype": "Int"},
		{"value": total["new_opportunities"], "label": _("New Opportunities"), "datatype": "Int"},
		{"value": total["stage_moves_up"], "label": _("Moved Up"), "datatype": "Int", "indicator": "Green"},
		{"value": total["won"], "label": _("Won"), "datatype": "Int", "indicator": "Green"},
	]
