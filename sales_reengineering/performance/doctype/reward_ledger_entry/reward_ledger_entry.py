# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""One line of the rewards ledger: points (+ reward, - penalty) of a salesperson or team.

Entries from a source (an approved Info Feedback Report, a monthly Sales Ranking's reward tier) are
written by `performance.rewards`, approved as they are, one per source document and salesperson
(`source_key`, a unique column) and Reversed when the source is rejected or loses its points. A manual
adjustment is entered with a reason, stays Pending until a Sales Manager approves or rejects it
(`approve` / `reject`) and counts only once Approved. Nobody edits an entry once it is decided."""

from typing import Annotated

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, now_datetime

from sales_reengineering.arguments import check_arguments, plain_text
from sales_reengineering.exceptions import InvalidRewardEntryError
from sales_reengineering.scope.people import can_see_sales_person, get_user_sales_persons

MANUAL = "Manual Adjustment"
APPROVER_ROLES = ("Sales Manager", "System Manager")
MAX_POINTS = 10000
DECIDED = ("Approved", "Rejected", "Reversed")


class RewardLedgerEntry(Document):
	def validate(self):
		if self.flags.from_source or self.flags.deciding:
			return  # performance.rewards writes the source entries; decide() checked its own
		if self.source_type != MANUAL:
			frappe.throw(
				_("Only manual adjustments are entered by hand; the other entries come from their source."),
				InvalidRewardEntryError,
			)
		before = self.get_doc_before_save()
		if before and before.status in DECIDED:
			frappe.throw(
				_("{0} is {1} and can no longer be changed: enter a new adjustment instead.").format(
					self.name, _(before.status)
				),
				InvalidRewardEntryError,
			)
		# a manual adjustment waits for a Sales Manager, whatever the form sent
		self.status, self.approved_by, self.approved_on = "Pending", None, None
		self.source_doctype = self.source_document = self.source_key = None
		if not can_see_sales_person(self.sales_person):
			frappe.throw(
				_("You cannot adjust the points of {0}: choose someone of your team.").format(self.sales_person),
				InvalidRewardEntryError,
			)
		if self.sales_person in get_user_sales_persons():
			frappe.throw(_("You cannot adjust your own points."), InvalidRewardEntryError)
		if not cint(self.points) or abs(cint(self.points)) > MAX_POINTS:
			frappe.throw(
				_("Points must be a whole number other than 0, between -{0} and {0}.").format(MAX_POINTS),
				InvalidRewardEntryError,
			)
		if not (self.reason or "").strip():
			frappe.throw(_("Give the reason for the adjustment."), InvalidRewardEntryError)

	def decide(self, status: str):
		if not set(frappe.get_roles()) & set(APPROVER_ROLES):
			frappe.throw(_("Only a Sales Manager approves or rejects an adjustment."), frappe.PermissionError)
		if self.source_type != MANUAL or self.status != "Pending":
			frappe.throw(
				_("{0} is not a pending manual adjustment.").format(self.name), InvalidRewardEntryError
			)
		if self.owner == frappe.session.user and frappe.session.user != "Administrator":
			frappe.throw(
				_("Someone other than the author of an adjustment approves or rejects it."),
				InvalidRewardEntryError,
			)
		self.check_permission("read")
		self.status = status
		self.approved_by, self.approved_on = frappe.session.user, now_datetime()
		self.flags.deciding = True
		self.save(ignore_permissions=True)


@frappe.whitelist(methods=["POST"])
@check_arguments
def approve(name: Annotated[str, plain_text("Reward Ledger Entry")]) -> str:
	frappe.get_doc("Reward Ledger Entry", name).decide("Approved")
	return "Approved"


@frappe.whitelist(methods=["POST"])
@check_arguments
def reject(name: Annotated[str, plain_text("Reward Ledger Entry")]) -> str:
	frappe.get_doc("Reward Ledger Entry", name).decide("Rejected")
	return "Rejected"
