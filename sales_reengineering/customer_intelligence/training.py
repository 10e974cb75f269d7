"""Training that counts (issue 14, item 7): programmes held as sessions, salespeople enrolled in them,
and what a completed session leaves behind.

Submitting a Sales Training Session completes it: every enrolment becomes one Sales Training Record of
its salesperson (one bulk insert for the whole session), which is what the career plan, the KPI
indicators Training Hours and Training Pass Rate and the salesperson's own history read. Cancelling the
session removes those records again; submitting its amendment writes them anew, so a session's records
exist once, for its last completion.

A career plan's "Training Hours in Period" follows the records: one UPDATE recomputes it for the open
plans of the salespeople whose records changed (a record saved or deleted, a session completed or
cancelled). The reminder rule "Career Goal Due" (see `career_goals_due`) reminds the salesperson, their
mentor and (as the settings say) their manager of goals nearing their target date.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Annotated

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Avg, Coalesce, Sum
from frappe.utils import add_days, cint, flt, getdate

from sales_reengineering.arguments import check_arguments, json_of, plain_text
from sales_reengineering.bulk import insert_records
from sales_reengineering.exceptions import InvalidTrainingError

RECORD = "Sales Training Record"
ENROLMENT = "Sales Training Enrolment"
PLAN = "Career Development Plan"
OPEN_PLANS = ("Draft", "Active")
# goals that still need doing
CLOSED_GOALS = ("Achieved", "Dropped")


def result_of(attendance: str | None, score: float, pass_mark: float) -> str | None:
	"""A participant's result: Absent; Passed or Failed against the pass mark of a programme with an
	exam (pass mark above 0); Attended without one; nothing while the attendance is not recorded."""
	if attendance == "Absent":
		return "Absent"
	if attendance != "Attended":
		return None
	if flt(pass_mark) > 0:
		return "Passed" if flt(score) >= flt(pass_mark) else "Failed"
	return "Attended"


def session_enrolments(session: str) -> list[frappe._dict]:
	return frappe.get_all(
		ENROLMENT,
		filters={"session": session},
		fields=["name", "sales_person", "attendance", "score", "result"],
		order_by="sales_person",
	)


def check_completion(session) -> list[frappe._dict]:
	"""The enrolments of a session about to be completed; refused with nobody enrolled or an attendance
	not recorded."""
	enrolments = session_enrolments(session.name)
	if not enrolments:
		frappe.throw(
			_("Enrol at least one salesperson before completing training session {0}.").format(session.name),
			InvalidTrainingError,
		)
	missing = [row.sales_person for row in enrolments if not row.attendance]
	if missing:
		frappe.throw(
			_("Record the attendance of {0} before completing training session {1}.").format(
				", ".join(missing), session.name
			),
			InvalidTrainingError,
		)
	return enrolments


def write_training_records(session, enrolments: list[frappe._dict]) -> list[str]:
	"""One Sales Training Record per enrolment, in one insert; the session's earlier ones (if any) go."""
	remove_training_records(session.name, refresh=False)
	records = [
		{
			"sales_person": row.sales_person,
			"training_title": session.training_title,
			"training_type": session.training_type,
			"trainer": session.trainer,
			"programme": session.programme,
			"training_session": session.name,
			"start_date": session.session_date,
			"end_date": session.session_date,
			"hours": flt(session.hours),
			"result": row.result,
			"score": flt(row.score) if row.result in ("Passed", "Failed") else None,
		}
		for row in enrolments
	]
	names = insert_records(RECORD, records)
	refresh_plan_training_hours([row.sales_person for row in enrolments])
	return names


def remove_training_records(session: str, refresh: bool = True) -> None:
	record = frappe.qb.DocType(RECORD)
	people = (
		frappe.qb.from_(record)
		.select(record.sales_person)
		.distinct()
		.where(record.training_session == session)
	).run(pluck=True)
	if not people:
		return
	frappe.qb.from_(record).delete().where(record.training_session == session).run()
	if refresh:
		refresh_plan_training_hours(people)


def training_hours_of_plans(plan_table):
	"""The sub-query of the hours of a plan's salesperson's trainings in the plan's period (not absent)."""
	record = frappe.qb.DocType(RECORD)
	return (
		frappe.qb.from_(record)
		.select(Sum(record.hours))
		.where(record.sales_person == plan_table.sales_person)
		.where(record.start_date >= plan_table.from_date)
		.where(record.start_date <= plan_table.to_date)
		.where(record.result != "Absent")
	)


def training_pass_rate_of_plans(plan_table):
	"""The sub-query of the share (%) of passed among the passed and failed trainings of a plan's
	salesperson in the plan's period (NULL when none was examined)."""
	record = frappe.qb.DocType(RECORD)
	return (
		frappe.qb.from_(record)
		.select(Avg(Case().when(record.result == "Passed", 100).else_(0)))
		.where(record.sales_person == plan_table.sales_person)
		.where(record.start_date >= plan_table.from_date)
		.where(record.start_date <= plan_table.to_date)
		.where(record.result.isin(["Passed", "Failed"]))
	)


def refresh_plan_training_hours(sales_persons: list[str] | None = None) -> None:
	"""Recompute "Training Hours in Period" and "Training Pass Rate" of the open career plans of
	`sales_persons` (None: of everyone) in ONE UPDATE with correlated sub-queries (no document is
	loaded, no query per plan)."""
	if sales_persons is not None:
		sales_persons = sorted({person for person in sales_persons if person})
		if not sales_persons:
			return
	plan = frappe.qb.DocType(PLAN)
	query = (
		frappe.qb.update(plan)
		.set(plan.training_hours, Coalesce(training_hours_of_plans(plan), 0))
		.set(plan.training_pass_rate, Coalesce(training_pass_rate_of_plans(plan), 0))
		.where(plan.status.isin(OPEN_PLANS))
	)
	if sales_persons is not None:
		query = query.where(plan.sales_person.isin(sales_persons))
	query.run()


def on_record_change(doc, method=None) -> None:
	"""doc_event of Sales Training Record (on_update, after_delete): the plans of its salesperson, and of
	the one it had before when that changed."""
	people = [doc.sales_person]
	before = doc.get_doc_before_save() if method == "on_update" else None
	if before and before.sales_person != doc.sales_person:
		people.append(before.sales_person)
	refresh_plan_training_hours(people)


@frappe.whitelist(methods=["POST"])
@check_arguments
def enrol(
	session: Annotated[str, plain_text("Session")],
	sales_persons: Annotated[list, json_of("Sales Persons", list)],
) -> list[str]:
	"""The "Enrol Salespeople" button of a session: one enrolment per salesperson, each checked as if
	made alone (all or none). Needs the right to create enrolments (Sales Manager)."""
	frappe.has_permission(ENROLMENT, "create", throw=True)
	names = []
	for sales_person in dict.fromkeys(str(person) for person in sales_persons if person):
		names.append(
			frappe.get_doc({"doctype": ENROLMENT, "session": session, "sales_person": sales_person})
			.insert()
			.name
		)
	return names


# ---------------------------------------------------------------------------------------------------
# the reminder rule "Career Goal Due" (reminders.engine)
# ---------------------------------------------------------------------------------------------------


def career_goals_due(rule, today: date) -> list:
	"""Goals of active career plans, neither achieved nor dropped, whose target date is at most `days`
	days away (or passed): one reminder per plan and target date, to the salesperson and the mentor.
	ONE query for everyone."""
	from sales_reengineering.reminders.engine import candidate

	plan = frappe.qb.DocType(PLAN)
	goal = frappe.qb.DocType("Career Development Goal")
	rows = (
		frappe.qb.from_(goal)
		.join(plan)
		.on((plan.name == goal.parent) & (goal.parenttype == PLAN))
		.select(plan.name, plan.sales_person, plan.mentor, goal.goal, goal.target_date)
		.where(plan.status == "Active")
		.where(goal.status.notin(CLOSED_GOALS))
		.where(goal.target_date.isnotnull())
		.where(goal.target_date <= add_days(today, cint(rule.days)))
		.orderby(plan.name)
		.orderby(goal.idx)
	).run(as_dict=True)
	grouped = defaultdict(list)
	for row in rows:
		grouped[row.name, getdate(row.target_date)].append(row)
	found = []
	for (name, target_date), goals in grouped.items():
		first = goals[0]
		found.append(
			candidate(
				PLAN,
				name,
				add_days(target_date, -cint(rule.days)),
				_("Career goal {0} of {1} is due on {2} (plan {3}).").format(
					", ".join(row.goal for row in goals),
					first.sales_person,
					frappe.format(target_date, "Date"),
					name,
				),
				sales_persons=[first.sales_person],
				users=[first.mentor] if first.mentor else [],
			)
		)
	return found
