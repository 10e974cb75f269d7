# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate

from sales_reengineering.exceptions import InvalidDevelopmentRecordError

MAX_HOURS = 1000


class SalesTrainingRecord(Document):
	"""One training a salesperson attended, with its result."""

	def validate(self):
		self.validate_dates()
		self.validate_hours()
		self.validate_score()

	def validate_dates(self):
		if self.end_date and getdate(self.end_date) < getdate(self.start_date):
			frappe.throw(_("The end date cannot be before the start date."), InvalidDevelopmentRecordError)

	def validate_hours(self):
		if not 0 < flt(self.hours) <= MAX_HOURS:
			frappe.throw(
				_("Training hours must be more than 0 and at most {0}, not {1}.").format(
					MAX_HOURS, self.hours
				),
				InvalidDevelopmentRecordError,
			)

	def validate_score(self):
		if self.result in ("Passed", "Failed"):
			if self.score is None or not 0 <= flt(self.score) <= 100:
				frappe.throw(
					_("Enter a score from 0 to 100 for a passed or failed training."),
					InvalidDevelopmentRecordError,
				)
		else:
			self.score = None

	def on_update(self):
		# the career plans of the salesperson count the hours of their trainings
		from sales_reengineering.customer_intelligence.training import on_record_change

		on_record_change(self, "on_update")

	def after_delete(self):
		from sales_reengineering.customer_intelligence.training import on_record_change

		on_record_change(self, "after_delete")
