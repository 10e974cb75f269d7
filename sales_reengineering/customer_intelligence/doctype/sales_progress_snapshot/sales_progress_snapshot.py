# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from sales_reengineering.core.progress import iso_week_bounds
from sales_reengineering.exceptions import DuplicateSnapshotError, InvalidWeekError


class SalesProgressSnapshot(Document):
	"""A salesperson's stage progress in one ISO week; built by
	`sales_reengineering.customer_intelligence.progress.make_snapshots`."""

	def validate(self):
		self.validate_week()
		self.validate_unique_week()

	def validate_week(self):
		week_start, week_end = iso_week_bounds(getdate(self.week_start))
		if getdate(self.week_start) != week_start:
			frappe.throw(
				_("The week must start on a Monday, not {0}.").format(self.week_start), InvalidWeekError
			)
		self.week_end = week_end

	def validate_unique_week(self):
		other = frappe.db.exists(
			"Sales Progress Snapshot",
			{"sales_person": self.sales_person, "week_start": self.week_start, "name": ("!=", self.name)},
		)
		if other:
			frappe.throw(
				_("{0} already has a progress snapshot for the week of {1}: {2}.").format(
					self.sales_person, self.week_start, other
				),
				DuplicateSnapshotError,
			)
