# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""A dealer's application for market development funds (MDF) against a plan of activities.

Draft -> Pending Approval (submitted, by the dealer or the channel manager) -> Approved or Rejected (by
the channel manager, through the shipped workflow "Market Development Fund Approval", which an
administrator may change without code). The channel manager may approve less than was requested
(`approved_amount`, empty approves the request); the approved funds of one dealer in one fiscal year
never exceed the yearly MDF budget of its tier (Dealer Tier, 0: no limit). Claims (MDF Claim) are made
against the approved amount.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Sum
from frappe.utils import flt, fmt_money, now_datetime

from sales_reengineering.exceptions import MarketDevelopmentFundError
from sales_reengineering.locks import hold_until_transaction_ends
from sales_reengineering.scope import for_user

DRAFT, PENDING, APPROVED, REJECTED, CANCELLED = (
	"Draft",
	"Pending Approval",
	"Approved",
	"Rejected",
	"Cancelled",
)
APPROVER_ROLES = ("Channel Manager", "System Manager")
# status before -> statuses a submitted document may move to by saving
ALLOWED_MOVES = {PENDING: (APPROVED, REJECTED)}
GUARDED_FIELDS = ("claimed_amount", "approved_by", "approved_on")


def check_own_dealer(dealer: str | None, error, message: str) -> None:
	"""A dealer user acts for its own dealer only (not for the dealers below it: each has its budget)."""
	scope = for_user()
	if scope.is_dealer and dealer != scope.dealer:
		frappe.throw(message, error)


def validate_guarded_fields(doc, error) -> None:
	"""Who decided and when, and what was claimed, are written by the approval and the claims only, never
	by a save of the submitted document (read-only on the form, but the REST API would take them)."""
	before = doc.get_doc_before_save()
	for fieldname in GUARDED_FIELDS:
		if doc.meta.has_field(fieldname) and before and doc.get(fieldname) != before.get(fieldname):
			frappe.throw(
				_("{0} is set by the approval and the claims, not by hand.").format(
					_(doc.meta.get_label(fieldname))
				),
				error,
			)


def validate_status_change(doc, error, noun: str) -> None:
	"""Only Pending Approval -> Approved / Rejected by saving a submitted document; without an active
	workflow only a channel manager moves it (with one, the workflow decides who)."""
	before = doc.get_doc_before_save()
	old, new = (before.status if before else None), doc.status
	if old == new:
		return
	if new not in ALLOWED_MOVES.get(old, ()):
		frappe.throw(_("A {0} cannot go from {1} to {2}.").format(_(noun), _(old or ""), _(new or "")), error)
	if not doc.meta.get_workflow() and not set(APPROVER_ROLES) & set(frappe.get_roles()):
		frappe.throw(_("Only a Channel Manager can approve or reject a {0}.").format(_(noun)), error)
	if for_user().is_dealer:
		frappe.throw(_("A dealer cannot approve or reject a {0}.").format(_(noun)), error)


class MarketDevelopmentFund(Document):
	def validate(self):
		check_own_dealer(
			self.dealer,
			MarketDevelopmentFundError,
			_("You can apply for market development funds for your own dealer only."),
		)
		self.validate_activities()
		if self.docstatus == 0:
			self.status = DRAFT
			self.approved_amount = None

	def check_if_latest(self):
		# an approval reads the dealer's other funds with a locking read: take the budget lock before
		# Frappe's locking read of this row, so two approvals for one dealer run one after the other
		# instead of each waiting for a row the other holds
		if self.docstatus in (1, 2):
			hold_until_transaction_ends(self.budget_lock_key())
		super().check_if_latest()

	def budget_lock_key(self) -> str:
		return f"MDF budget {self.company} {self.dealer} {self.fiscal_year}"

	def before_submit(self):
		self.validate_dealer_active()
		self.status = PENDING

	def before_update_after_submit(self):
		validate_guarded_fields(self, MarketDevelopmentFundError)
		validate_status_change(self, MarketDevelopmentFundError, "market development fund")
		before = self.get_doc_before_save()
		if before and before.status != PENDING and flt(self.approved_amount) != flt(before.approved_amount):
			frappe.throw(
				_("The approved amount can only be changed while the fund is pending approval."),
				MarketDevelopmentFundError,
			)
		if self.status == APPROVED and self.has_value_changed("status"):
			if not flt(self.approved_amount):
				self.approved_amount = self.requested_amount
			self.validate_approved_amount()
			self.validate_budget()
			self.approved_by, self.approved_on = frappe.session.user, now_datetime()
		elif self.status == REJECTED and self.has_value_changed("status"):
			self.approved_amount = 0
			self.approved_by, self.approved_on = frappe.session.user, now_datetime()

	def on_cancel(self):
		self.db_set("status", CANCELLED)

	def validate_activities(self):
		if not self.activities:
			frappe.throw(_("Add the plan's activities with their planned cost."), MarketDevelopmentFundError)
		self.requested_amount = sum(flt(row.planned_cost) for row in self.activities)
		if self.requested_amount <= 0:
			frappe.throw(
				_("The planned cost of the activities must be above zero."), MarketDevelopmentFundError
			)

	def validate_dealer_active(self):
		status = frappe.db.get_value("Dealer", self.dealer, "status")
		if status != "Active":
			frappe.throw(
				_("Dealer {0} is {1}: only active dealers can apply for market development funds.").format(
					self.dealer, _(status or "")
				),
				MarketDevelopmentFundError,
			)

	def validate_approved_amount(self):
		if flt(self.approved_amount) < 0 or flt(self.approved_amount) > flt(self.requested_amount):
			frappe.throw(
				_("The approved amount must be between 0 and the requested amount ({0}).").format(
					fmt_money(self.requested_amount, currency=self.currency())
				),
				MarketDevelopmentFundError,
			)

	def validate_budget(self):
		"""The dealer's approved funds in this fiscal year and company within its tier's yearly budget.
		Two approvals for one dealer at once: the second waits for the first to commit."""
		tier = frappe.db.get_value("Dealer", self.dealer, "dealer_tier")
		budget = flt(frappe.db.get_value("Dealer Tier", tier, "mdf_annual_budget")) if tier else 0
		if not budget:
			return
		hold_until_transaction_ends(self.budget_lock_key())
		fund = frappe.qb.DocType("Market Development Fund")
		approved = (
			frappe.qb.from_(fund)
			.select(Sum(fund.approved_amount))
			.where(
				(fund.dealer == self.dealer)
				& (fund.company == self.company)
				& (fund.fiscal_year == self.fiscal_year)
				& (fund.docstatus == 1)
				& (fund.status == APPROVED)
				& (fund.name != self.name)
			)
			.for_update()
			.run()
		)[0][0]
		if flt(approved) + flt(self.approved_amount) > budget:
			frappe.throw(
				_(
					"Dealer {0} has {1} approved in fiscal year {2}; approving {3} more would exceed its "
					"tier's yearly budget of {4}."
				).format(
					self.dealer,
					fmt_money(flt(approved), currency=self.currency()),
					self.fiscal_year,
					fmt_money(self.approved_amount, currency=self.currency()),
					fmt_money(budget, currency=self.currency()),
				),
				MarketDevelopmentFundError,
			)

	def currency(self) -> str | None:
		return frappe.get_cached_value("Company", self.company, "default_currency") if self.company else None


def update_claimed_amount(fund: str) -> None:
	"""The fund's `claimed_amount`: the sum of its approved claims (one aggregate)."""
	claim = frappe.qb.DocType("MDF Claim")
	claimed = (
		frappe.qb.from_(claim)
		.select(Sum(claim.claimed_amount))
		.where((claim.fund == fund) & (claim.docstatus == 1) & (claim.status == APPROVED))
		.run()
	)[0][0]
	frappe.db.set_value("Market Development Fund", fund, "claimed_amount", flt(claimed))
