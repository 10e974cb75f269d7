# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model import no_value_fields
from frappe.model.document import Document
from frappe.utils import flt

from sales_reengineering.customer_intelligence.completeness import FIELD_TARGET, on_rule_change
from sales_reengineering.exceptions import InvalidCompletenessRuleError


class CustomerCompletenessRule(Document):
	"""One weighted check of a customer record; editing a rule rescores every customer in the background."""

	def validate(self):
		self.validate_weight()
		self.validate_fieldname()
		self.validate_designation()
		self.validate_min_count()

	def on_update(self):
		if not self.flags.skip_rescore:  # set when several rules are created at once, then rescored once
			on_rule_change()

	def on_trash(self):
		on_rule_change()

	def validate_weight(self):
		if flt(self.weight) <= 0:
			frappe.throw(
				_("The weight must be more than 0, not {0}.").format(self.weight),
				InvalidCompletenessRuleError,
			)

	def validate_fieldname(self):
		if self.rule_type not in FIELD_TARGET:
			self.fieldname = None
			return
		doctype = FIELD_TARGET[self.rule_type][0]
		self.fieldname = (self.fieldname or "").strip()
		df = frappe.get_meta(doctype).get_field(self.fieldname) if self.fieldname else None
		if not df or df.fieldtype in no_value_fields:
			frappe.throw(
				_("{0} is not a field of {1} that holds a value.").format(
					frappe.bold(self.fieldname or _("(empty)")), _(doctype)
				),
				InvalidCompletenessRuleError,
			)

	def validate_designation(self):
		if self.rule_type != "Contacts with Designation":
			self.designation = None
			return
		self.designation = (self.designation or "").strip()
		if not self.designation:
			frappe.throw(_("Enter the contact designation this rule counts."), InvalidCompletenessRuleError)

	def validate_min_count(self):
		if self.rule_type in FIELD_TARGET:
			self.min_count = 1
		elif (self.min_count or 0) < 1:
			frappe.throw(
				_("The minimum count must be at least 1, not {0}.").format(self.min_count),
				InvalidCompletenessRuleError,
			)
