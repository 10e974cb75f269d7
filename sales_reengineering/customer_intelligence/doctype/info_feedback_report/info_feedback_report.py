# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, now_datetime

from sales_reengineering.scope.people import can_see_sales_person, get_user_sales_persons
from sales_reengineering.customer_intelligence.feedback import REVIEWED_STATES, update_purchasing_power_index
from sales_reengineering.exceptions import InvalidFeedbackError
from sales_reengineering.scope.guards import enforce_workflow_edit

REVIEW_FIELDS = ("quality_rating", "reward_points", "review_comment")
REVIEWER_ROLES = ("Sales Manager", "System Manager")
MAX_POINTS = 100
MAX_INDEX = 1000


class InfoFeedbackReport(Document):
	"""Market information from the field, reviewed by a manager through the shipped
	"Info Feedback Review" workflow (Draft -> Submitted -> Approved / Rejected)."""

	def before_insert(self):
		if not self.sales_person:
			mine = get_user_sales_persons()
			if len(mine) == 1:
				self.sales_person = mine[0]

	def validate(self):
		enforce_workflow_edit(self)
		self.validate_sales_person()
		self.validate_competitor()
		self.validate_purchasing_power()
		self.validate_reviewer()
		self.validate_rating()
		self.validate_points()
		self.set_review_stamp()

	def on_update(self):
		if self.report_type == "Regional Purchasing Power" or self.has_value_changed("report_type"):
			before = self.get_doc_before_save()
			territories = [self.territory, before.territory if before else None]
			update_purchasing_power_index(territories)

	def validate_sales_person(self):
		if self.has_value_changed("sales_person") and not can_see_sales_person(self.sales_person):
			frappe.throw(
				_("You cannot file a report for {0}: choose your own Sales Person.").format(
					self.sales_person
				),
				InvalidFeedbackError,
			)

	def validate_competitor(self):
		if self.report_type == "Competitor Move" and not self.competitor:
			frappe.throw(_("Name the competitor whose move you report."), InvalidFeedbackError)

	def validate_purchasing_power(self):
		if self.report_type != "Regional Purchasing Power":
			self.purchasing_power_index = 0
			return
		if not (0 < flt(self.purchasing_power_index) <= MAX_INDEX):
			frappe.throw(
				_("The purchasing power index must be more than 0 and at most {0}, not {1}.").format(
					MAX_INDEX, self.purchasing_power_index
				),
				InvalidFeedbackError,
			)

	def validate_reviewer(self):
		before = self.get_doc_before_save()
		changed = any(
			(self.get(field) or None) != ((before.get(field) if before else None) or None)
			for field in REVIEW_FIELDS
		)
		if changed and not set(frappe.get_roles()) & set(REVIEWER_ROLES):
			frappe.throw(_("Only a Sales Manager can rate a report or award points."), InvalidFeedbackError)

	def validate_rating(self):
		rating = cint(self.quality_rating)
		if rating and not 1 <= rating <= 5:
			frappe.throw(
				_("The quality rating must be from 1 to 5, not {0}.").format(rating), InvalidFeedbackError
			)
		if self.workflow_state in REVIEWED_STATES and not rating:
			frappe.throw(
				_("Rate the report's quality (1 to 5) before approving or rejecting it."),
				InvalidFeedbackError,
			)

	def validate_points(self):
		if abs(cint(self.reward_points)) > MAX_POINTS:
			frappe.throw(
				_("Reward or penalty points must be between -{0} and {0}, not {1}.").format(
					MAX_POINTS, self.reward_points
				),
				InvalidFeedbackError,
			)

	def set_review_stamp(self):
		if self.workflow_state in REVIEWED_STATES and self.has_value_changed("workflow_state"):
			self.reviewed_by = frappe.session.user
			self.reviewed_on = now_datetime()
