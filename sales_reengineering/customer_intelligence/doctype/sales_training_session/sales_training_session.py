# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, get_time

from sales_reengineering.customer_intelligence import training
from sales_reengineering.customer_intelligence.doctype.sales_training_record.sales_training_record import (
	MAX_HOURS,
)
from sales_reengineering.exceptions import InvalidTrainingError


class SalesTrainingSession(Document):
	"""One session of a training programme. Salespeople are enrolled in it (Sales Training Enrolment);
	submitting it completes it and writes their Sales Training Records, cancelling it removes them."""

	def validate(self):
		programme = frappe.db.get_value(
			"Sales Training Programme",
			self.programme,
			["programme_name", "training_type", "hours", "active"],
			as_dict=True,
		)
		if not programme:
			frappe.throw(
				_("Training programme {0} does not exist.").format(self.programme), InvalidTrainingError
			)
		if not programme.active and (self.is_new() or self.has_value_changed("programme")):
			frappe.throw(
				_("Training programme {0} is not active: it takes no new sessions.").format(self.programme),
				InvalidTrainingError,
			)
		self.training_title = programme.programme_name
		self.training_type = programme.training_type
		if not flt(self.hours):
			self.hours = programme.hours
		if not 0 < flt(self.hours) <= MAX_HOURS:
			frappe.throw(
				_("Training hours must be more than 0 and at most {0}, not {1}.").format(
					MAX_HOURS, self.hours
				),
				InvalidTrainingError,
			)
		if self.from_time and self.to_time and get_time(self.to_time) <= get_time(self.from_time):
			frappe.throw(_("The session must end after it starts."), InvalidTrainingError)
		if cint(self.capacity) < 0:
			frappe.throw(_("The capacity cannot be negative."), InvalidTrainingError)
		self.enrolled = 0 if self.is_new() else frappe.db.count(training.ENROLMENT, {"session": self.name})
		if cint(self.capacity) and self.enrolled > cint(self.capacity):
			frappe.throw(
				_("{0} salespeople are enrolled: the capacity cannot be less.").format(self.enrolled),
				InvalidTrainingError,
			)
		self.status = "Scheduled"

	def after_insert(self):
		# an amendment keeps the enrolments (and their attendance) of the session it amends
		if self.amended_from:
			enrolment = frappe.qb.DocType(training.ENROLMENT)
			(
				frappe.qb.update(enrolment)
				.set(enrolment.session, self.name)
				.where(enrolment.session == self.amended_from)
			).run()
			self.db_set("enrolled", frappe.db.count(training.ENROLMENT, {"session": self.name}))

	def before_submit(self):
		self._enrolments = training.check_completion(self)

	def on_submit(self):
		self.db_set("status", "Completed")
		training.write_training_records(self, self._enrolments)

	def on_cancel(self):
		self.db_set("status", "Cancelled")
		training.remove_training_records(self.name)

	def on_trash(self):
		# a session that never took place goes with its enrolments
		frappe.db.delete(training.ENROLMENT, {"session": self.name})
