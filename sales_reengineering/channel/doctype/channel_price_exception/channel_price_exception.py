# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, now_datetime

from sales_reengineering.exceptions import PriceExceptionError

APPROVER_ROLES = ("Sales Manager", "System Manager")


class ChannelPriceException(Document):
	def validate(self):
		self.validate_reference()
		self.validate_rate()

	def before_submit(self):
		self.validate_approver()
		self.approved_by = frappe.session.user
		self.approved_on = now_datetime()

	def validate_reference(self):
		from sales_reengineering.channel.pricing import get_customer, get_price_violations

		# one answer for "no such document", "not yours", "cancelled" and "not on it": the message must
		# not tell a user anything about a document they may not read
		reference = None
		if frappe.db.exists(self.reference_doctype, self.reference_name) and frappe.has_permission(
			self.reference_doctype, "read", doc=self.reference_name
		):
			reference = frappe.get_doc(self.reference_doctype, self.reference_name)
		usable = (
			reference
			and reference.docstatus != 2
			and self.item_code in {row.item_code for row in reference.items}
		)
		if not usable:
			frappe.throw(
				_("A price exception needs an open {0} of yours that has item {1}; {2} is not one.").format(
					_(self.reference_doctype), self.item_code, self.reference_name
				),
				PriceExceptionError,
			)
		self.customer = get_customer(reference)
		floors = [
			v.floor
			for v in get_price_violations(reference, include_excepted=True)
			if v.item_code == self.item_code
		]
		self.floor_rate = min(floors) if floors else None

	def validate_rate(self):
		if flt(self.approved_rate) <= 0:
			frappe.throw(_("The lowest approved rate must be above zero."), PriceExceptionError)

	def validate_approver(self):
		if not set(APPROVER_ROLES) & set(frappe.get_roles()):
			frappe.throw(_("Only a Sales Manager can approve a price exception."), PriceExceptionError)
