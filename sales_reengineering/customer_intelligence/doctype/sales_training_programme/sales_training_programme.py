# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from sales_reengineering.customer_intelligence.doctype.sales_training_record.sales_training_record import (
	MAX_HOURS,
)
from sales_reengineering.exceptions import InvalidTrainingError


class SalesTrainingProgramme(Document):
	"""A training programme (a course) held as Sales Training Sessions. A pass mark above 0 means the
	programme ends with an exam: its participants pass or fail on their score."""

	def validate(self):
		if not 0 < flt(self.hours) <= MAX_HOURS:
			frappe.throw(
				_("Training hours must be more than 0 and at most {0}, not {1}.").format(
					MAX_HOURS, self.hours
				),
				InvalidTrainingError,
			)
		if not 0 <= flt(self.pass_mark) <= 100:
			frappe.throw(
				_("The pass mark must be from 0 to 100, not {0}.").format(self.pass_mark),
				InvalidTrainingError,
			)
