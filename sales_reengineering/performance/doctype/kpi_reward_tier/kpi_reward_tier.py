# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""A reward tier of the monthly and quarterly rankings: the top N percent, or everyone at or above a score."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from sales_reengineering.exceptions import KPIError


class KPIRewardTier(Document):
	def validate(self):
		self.validate_threshold()

	def validate_threshold(self):
		if self.basis == "Top Percent of Ranking" and not 0 < flt(self.threshold) <= 100:
			frappe.throw(
				_("A top-percent tier needs a threshold above 0 and at most 100, not {0}.").format(
					self.threshold
				),
				KPIError,
			)
		if flt(self.threshold) < 0:
			frappe.throw(_("The threshold must not be negative."), KPIError)
