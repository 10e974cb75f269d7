# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt

from sales_reengineering.customer_intelligence.training import result_of
from sales_reengineering.exceptions import InvalidEnrolmentError, SessionFullError

SESSION = "Sales Training Session"


class SalesTrainingEnrolment(Document):
	"""A salesperson enrolled in a training session, with their attendance and score; open to changes
	until the session is completed."""

	def validate(self):
		session = self.get_open_session()
		self.validate_sales_person()
		self.validate_capacity(session)
		self.validate_score(session)

	def get_open_session(self):
		# the session row locked: two enrolments at once cannot both take its last place
		session = frappe.db.get_value(
			SESSION, self.session, ["docstatus", "capacity", "programme"], as_dict=True, for_update=True
		)
		if not session:
			frappe.throw(
				_("Training session {0} does not exist.").format(self.session), InvalidEnrolmentError
			)
		if session.docstatus != 0:
			frappe.throw(
				_("Training session {0} is completed or cancelled: its enrolments cannot change.").format(
					self.session
				),
				InvalidEnrolmentError,
			)
		return session

	def validate_sales_person(self):
		person = frappe.db.get_value("Sales Person", self.sales_person, ["enabled", "is_group"], as_dict=True)
		if not person:
			frappe.throw(
				_("Sales Person {0} does not exist.").format(self.sales_person), InvalidEnrolmentError
			)
		if not person.enabled:
			frappe.throw(
				_("Sales Person {0} is disabled and cannot be enrolled.").format(self.sales_person),
				InvalidEnrolmentError,
			)
		if person.is_group:
			frappe.throw(
				_("{0} is a sales team, not a salesperson: enrol its members.").format(self.sales_person),
				InvalidEnrolmentError,
			)
		if frappe.db.exists(
			self.doctype,
			{"session": self.session, "sales_person": self.sales_person, "name": ("!=", self.name or "")},
		):
			frappe.throw(
				_("{0} is already enrolled in training session {1}.").format(self.sales_person, self.session),
				InvalidEnrolmentError,
			)

	def validate_capacity(self, session):
		if not cint(session.capacity) or not (self.is_new() or self.has_value_changed("session")):
			return
		if frappe.db.count(self.doctype, {"session": self.session}) >= cint(session.capacity):
			frappe.throw(
				_("Training session {0} is full: all {1} places are taken.").format(
					self.session, session.capacity
				),
				SessionFullError,
			)

	def validate_score(self, session):
		pass_mark = frappe.db.get_value("Sales Training Programme", session.programme, "pass_mark")
		if flt(self.score):
			if self.attendance != "Attended":
				frappe.throw(
					_("{0} has a score but did not attend: record the attendance first.").format(
						self.sales_person
					),
					InvalidEnrolmentError,
				)
			if not flt(pass_mark):
				frappe.throw(
					_("Programme {0} has no exam (pass mark 0): its participants get no score.").format(
						session.programme
					),
					InvalidEnrolmentError,
				)
			if not 0 <= flt(self.score) <= 100:
				frappe.throw(
					_("Enter a score from 0 to 100, not {0}.").format(self.score), InvalidEnrolmentError
				)
		self.result = result_of(self.attendance, self.score, pass_mark)

	def on_update(self):
		self.update_session_count()

	def on_trash(self):
		self.get_open_session()

	def after_delete(self):
		self.update_session_count()

	def update_session_count(self):
		for session in {self.session, (self.get_doc_before_save() or self).session}:
			frappe.db.set_value(
				SESSION,
				session,
				"enrolled",
				frappe.db.count(self.doctype, {"session": session}),
				update_modified=False,
			)
