# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""A dealer's claim against an approved market development fund, with its proof (an attached file).

Draft -> Pending Approval (submitted) -> Approved or Rejected by the channel manager (workflow "MDF
Claim Approval"). The pending and approved claims of a fund never add up to more than its approved
amount: the check holds a lock per fund, so two claims submitted at the same moment cannot both pass.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Sum
from frappe.utils import flt, fmt_money, getdate, now_datetime, today

from sales_reengineering.channel.doctype.market_development_fund.market_development_fund import (
	APPROVED,
	CANCELLED,
	DRAFT,
	PENDING,
	REJECTED,
	check_own_dealer,
	update_claimed_amount,
	validate_guarded_fields,
	validate_status_change,
)
from sales_reengineering.exceptions import MDFClaimError
from sales_reengineering.locks import hold_until_transaction_ends

# the claims that take from a fund's approved amount
OPEN_STATUSES = (PENDING, APPROVED)


class MDFClaim(Document):
	def validate(self):
		fund = self.get_fund()
		self.dealer, self.company = fund.dealer, fund.company
		check_own_dealer(self.dealer, MDFClaimError, _("You can claim against your own dealer's funds only."))
		if flt(self.claimed_amount) <= 0:
			frappe.throw(_("The claimed amount must be above zero."), MDFClaimError)
		if self.claim_date and getdate(self.claim_date) > getdate(today()):
			frappe.throw(_("The claim date cannot be in the future."), MDFClaimError)
		self.validate_proof()
		self.validate_within_fund(fund)
		if self.docstatus == 0:
			self.status = DRAFT

	def before_submit(self):
		self.status = PENDING

	def before_update_after_submit(self):
		validate_guarded_fields(self, MDFClaimError)
		validate_status_change(self, MDFClaimError, "market development fund claim")
		if self.has_value_changed("status") and self.status in (APPROVED, REJECTED):
			self.approved_by, self.approved_on = frappe.session.user, now_datetime()

	def on_update_after_submit(self):
		if self.has_value_changed("status"):
			update_claimed_amount(self.fund)

	def on_cancel(self):
		self.db_set("status", CANCELLED)
		update_claimed_amount(self.fund)

	def get_fund(self):
		if not self.fund:
			frappe.throw(_("Choose the market development fund to claim against."), MDFClaimError)
		fund = frappe.db.get_value(
			"Market Development Fund",
			self.fund,
			["name", "dealer", "company", "docstatus", "status", "approved_amount"],
			as_dict=True,
		)
		if not fund:
			frappe.throw(_("Market development fund {0} does not exist.").format(self.fund), MDFClaimError)
		if fund.docstatus != 1 or fund.status != APPROVED:
			frappe.throw(
				_("Fund {0} is {1}: claims can be made against approved funds only.").format(
					fund.name, _(fund.status or DRAFT)
				),
				MDFClaimError,
			)
		return fund

	def validate_proof(self):
		if not self.proof:
			frappe.throw(
				_("Attach the proof of the activity (invoices, photos or a report) to the claim."),
				MDFClaimError,
			)
		if not frappe.db.exists("File", {"file_url": self.proof}):
			frappe.throw(_("The proof must be a file uploaded to the system."), MDFClaimError)

	def validate_within_fund(self, fund):
		"""This claim and the fund's other pending and approved claims within its approved amount.

		A lock per fund, held until the transaction ends, makes a second claim wait for the first to
		commit and then count it (a locking read sees the latest commit). It is taken before this claim
		writes anything, so the two never wait for each other's rows."""
		hold_until_transaction_ends(f"MDF claims {fund.name}")
		claim = frappe.qb.DocType("MDF Claim")
		others = (
			frappe.qb.from_(claim)
			.select(Sum(claim.claimed_amount))
			.where(
				(claim.fund == fund.name)
				& (claim.docstatus == 1)
				& claim.status.isin(OPEN_STATUSES)
				& (claim.name != (self.name or ""))
			)
			.for_update()
			.run()
		)[0][0]
		others = flt(others)
		if others + flt(self.claimed_amount) > flt(fund.approved_amount):
			currency = frappe.get_cached_value("Company", fund.company, "default_currency")
			frappe.throw(
				_(
					"Fund {0} has {1} approved and {2} already claimed or pending: at most {3} can be "
					"claimed now."
				).format(
					fund.name,
					fmt_money(fund.approved_amount, currency=currency),
					fmt_money(others, currency=currency),
					fmt_money(max(flt(fund.approved_amount) - others, 0), currency=currency),
				),
				MDFClaimError,
			)
