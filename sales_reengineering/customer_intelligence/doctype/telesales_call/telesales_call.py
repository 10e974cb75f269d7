# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from sales_reengineering.customer_intelligence.telesales import AGENT_ROLE
from sales_reengineering.exceptions import InvalidTelesalesCallError
from sales_reengineering.scope.guards import validate_telesales_call_scope

FOLLOW_UP_OUTCOMES = ("Call Back Later", "Interested")
CONVERSION_PARTY = {"Opportunity": "party_name", "Quotation": "party_name", "Sales Order": "customer"}


class TelesalesCall(Document):
	"""One call to a dormant customer: who calls, what came of it, and what it turned into."""

	def validate(self):
		validate_telesales_call_scope(self)
		self.validate_agent()
		self.validate_outcome()
		self.validate_follow_up()
		self.validate_conversion()

	def validate_agent(self):
		if self.agent and AGENT_ROLE not in frappe.get_roles(self.agent):
			frappe.throw(_("{0} is not a Telesales Agent.").format(self.agent), InvalidTelesalesCallError)

	def validate_outcome(self):
		if self.outcome and not self.call_date:
			self.call_date = today()
		if self.status == "Completed" and not self.outcome:
			frappe.throw(_("Record the outcome of the call before completing it."), InvalidTelesalesCallError)
		if self.outcome in ("Not Interested", "Converted"):
			self.status = "Completed"

	def validate_follow_up(self):
		if self.outcome not in FOLLOW_UP_OUTCOMES:
			return
		if not self.follow_up_date:
			frappe.throw(
				_("Set a follow-up date for outcome {0}.").format(_(self.outcome)), InvalidTelesalesCallError
			)
		if getdate(self.follow_up_date) < getdate(self.call_date):
			frappe.throw(_("The follow-up date cannot be before the call date."), InvalidTelesalesCallError)

	def validate_conversion(self):
		if self.outcome != "Converted":
			self.conversion_doctype = self.conversion_name = self.converted_on = None
			return
		field = CONVERSION_PARTY.get(self.conversion_doctype)
		if not field or not self.conversion_name:
			frappe.throw(
				_("Name the opportunity, quotation or sales order this call turned into."),
				InvalidTelesalesCallError,
			)
		party = frappe.db.get_value(self.conversion_doctype, self.conversion_name, field)
		if party != self.customer:
			frappe.throw(
				_("{0} {1} is not for customer {2}.").format(
					_(self.conversion_doctype), self.conversion_name, self.customer
				),
				InvalidTelesalesCallError,
			)
		self.converted_on = self.converted_on or today()
