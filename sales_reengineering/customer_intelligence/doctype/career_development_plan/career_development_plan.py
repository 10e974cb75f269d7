# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder import Case
from frappe.query_builder.functions import Sum
from frappe.utils import cint, flt, getdate, today

from sales_reengineering.exceptions import InvalidDevelopmentRecordError

OPEN_STATUSES = ("Draft", "Active")


class CareerDevelopmentPlan(Document):
	"""A salesperson's career plan: goals with milestones and target dates, and periodic reviews that
	refer to their KPI scorecards. One open (draft or active) plan per salesperson."""

	def validate(self):
		self.validate_period()
		self.validate_single_open_plan()
		self.validate_goals()
		self.validate_reviews()
		self.set_goal_progress()
		self.set_training_hours()

	def validate_period(self):
		if getdate(self.to_date) < getdate(self.from_date):
			frappe.throw(_("The plan cannot end before it starts."), InvalidDevelopmentRecordError)

	def validate_single_open_plan(self):
		if self.status not in OPEN_STATUSES:
			return
		other = frappe.db.exists(
			"Career Development Plan",
			{"sales_person": self.sales_person, "status": ("in", OPEN_STATUSES), "name": ("!=", self.name)},
		)
		if other:
			frappe.throw(
				_("{0} already has an open career development plan: {1}.").format(self.sales_person, other),
				InvalidDevelopmentRecordError,
			)

	def validate_goals(self):
		if self.status == "Active" and not self.goals:
			frappe.throw(
				_("Add at least one goal before activating the plan."), InvalidDevelopmentRecordError
			)
		for goal in self.goals:
			if goal.status == "Achieved":
				goal.achieved_on = goal.achieved_on or today()
			else:
				goal.achieved_on = None

	def validate_reviews(self):
		cards = [review.kpi_scorecard for review in self.reviews if review.kpi_scorecard]
		assignees = (
			dict(
				frappe.get_all(
					"KPI Scorecard",
					filters={"name": ("in", cards)},
					fields=["name", "assignee"],
					as_list=True,
				)
			)
			if cards
			else {}
		)
		for review in self.reviews:
			if review.kpi_scorecard and assignees.get(review.kpi_scorecard) != self.sales_person:
				frappe.throw(
					_("Row {0}: KPI Scorecard {1} is not a scorecard of {2}.").format(
						review.idx, review.kpi_scorecard, self.sales_person
					),
					InvalidDevelopmentRecordError,
				)
			if review.rating and not 1 <= cint(review.rating) <= 5:
				frappe.throw(
					_("Row {0}: the review rating must be from 1 to 5, not {1}.").format(
						review.idx, review.rating
					),
					InvalidDevelopmentRecordError,
				)

	def set_goal_progress(self):
		counted = [goal for goal in self.goals if goal.status != "Dropped"]
		achieved = [goal for goal in counted if goal.status == "Achieved"]
		self.goal_progress = flt(len(achieved) / len(counted) * 100, 2) if counted else 0

	def set_training_hours(self):
		"""Hours (not absent) and pass rate (passed among passed and failed) of the salesperson's trainings
		in the plan's period, in one query."""
		training = frappe.qb.DocType("Sales Training Record")
		examined = training.result.isin(["Passed", "Failed"])
		row = (
			frappe.qb.from_(training)
			.select(
				Sum(Case().when(training.result != "Absent", training.hours).else_(0)),
				Sum(Case().when(examined, 1).else_(0)),
				Sum(Case().when(training.result == "Passed", 1).else_(0)),
			)
			.where(
				(training.sales_person == self.sales_person)
				& training.start_date[getdate(self.from_date) : getdate(self.to_date)]
			)
		).run()
		hours, examined_count, passed = row[0] if row else (0, 0, 0)
		self.training_hours = flt(hours)
		self.training_pass_rate = (
			flt(flt(passed) * 100 / flt(examined_count), 2) if flt(examined_count) else 0
		)
