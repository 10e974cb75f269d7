# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

from typing import Annotated

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder import Criterion
from frappe.utils import cstr, escape_html, flt, getdate, now_datetime, today

from sales_reengineering.arguments import check_arguments, plain_text
from sales_reengineering.channel.doctype.dealer_tier.dealer_tier import get_protection_days
from sales_reengineering.core.channel_hierarchy import protection_end
from sales_reengineering.core.conflict import (
	find_conflicts,
	is_valid_credit_code,
	normalize_company_name,
	normalize_credit_code,
)
from sales_reengineering.scope.dealers import is_portal_dealer
from sales_reengineering.exceptions import (
	DealApprovalError,
	DealConflictError,
	DealerStatusError,
	DealRegistrationError,
)

DIRECT_OWNER_PREFIX = "direct:"
APPROVER_ROLES = ("Channel Manager", "System Manager")
# status before -> statuses a submitted registration may move to by saving
ALLOWED_MOVES = {"Pending Approval": ("Approved", "Rejected")}
OPEN_OPPORTUNITY_STATUSES = ("Open", "Replied", "Quotation")
REASON_LABELS = {"customer": "Customer", "credit_code": "Credit Code", "name": "Name"}
PROTECTION_KEYS = ("protection_customer", "protection_credit_code", "protection_name")
APPROVAL_SAVEPOINT = "deal_registration_approval"
# set only by approve, reject, extend_protection and expire_registrations, never by a save
GUARDED_FIELDS = (
	"protected_from",
	"protected_until",
	"assisting_sales_person",
	"approved_by",
	"approved_on",
	*PROTECTION_KEYS,
)


class DealRegistration(Document):
	def validate(self):
		self.validate_guarded_fields()
		self.validate_end_customer()
		self.validate_credit_code()
		self.validate_items()
		self.validate_dates()
		self.set_matching_keys()
		if self.docstatus == 0:
			self.status = "Draft"

	def before_submit(self):
		self.validate_dealer_active()
		self.status = "Pending Approval"
		self.record_conflicts()

	def before_update_after_submit(self):
		self.validate_guarded_fields()
		self.validate_status_change()
		if self.status == "Approved" and self.has_value_changed("status"):
			self.validate_no_dealer_conflict()
			# claim_protection can still meet a registration approved at the same moment; then
			# everything this save wrote is undone back to here
			frappe.db.savepoint(APPROVAL_SAVEPOINT)

	def on_update_after_submit(self):
		if not self.has_value_changed("status"):
			return
		if self.status == "Approved":
			self.approve()
		elif self.status == "Rejected":
			self.db_set({"approved_by": frappe.session.user, "approved_on": now_datetime()})

	def on_cancel(self):
		self.db_set({"status": "Cancelled", **dict.fromkeys(PROTECTION_KEYS)})

	# -- validation -------------------------------------------------------------------------------------

	def validate_guarded_fields(self):
		"""The protection and approval fields allow changes after submit only so that the approval
		actions can write them: a save (from the form or the REST API) may not touch them."""
		before = self.get_doc_before_save()
		changed = [
			fieldname
			for fieldname in GUARDED_FIELDS
			if cstr(before.get(fieldname) if before else None) != cstr(self.get(fieldname))
		]
		if changed:
			frappe.throw(
				_("{0} can only be changed by approving, rejecting, extending or expiring the registration.").format(
					", ".join(_(self.meta.get_label(fieldname)) for fieldname in changed)
				),
				DealApprovalError,
			)

	def validate_end_customer(self):
		if self.customer and is_portal_dealer():
			# a dealer would read the customer's name and tax ID back from the registration
			frappe.throw(
				_("Give the end customer's company name and credit code; a dealer cannot link a customer."),
				frappe.PermissionError,
			)
		if self.customer:
			customer = frappe.db.get_value(
				"Customer", self.customer, ["customer_name", "tax_id"], as_dict=True
			)
			if not customer:
				frappe.throw(_("Customer {0} does not exist.").format(self.customer), DealRegistrationError)
			self.company_name = customer.customer_name
			if not self.credit_code and customer.tax_id and is_valid_credit_code(customer.tax_id):
				self.credit_code = customer.tax_id
			return
		missing = [
			_(self.meta.get_label(fieldname))
			for fieldname in ("company_name", "city")
			if not self.get(fieldname)
		]
		if missing:
			frappe.throw(
				_("Choose an existing customer, or give the new prospect's {0}.").format(", ".join(missing)),
				DealRegistrationError,
			)
		if not normalize_company_name(self.company_name):
			frappe.throw(
				_("{0} is not a usable company name.").format(frappe.bold(self.company_name)),
				DealRegistrationError,
			)

	def validate_credit_code(self):
		if not self.credit_code:
			return
		if not is_valid_credit_code(self.credit_code):
			frappe.throw(
				_(
					"{0} is not a valid unified social credit code (18 characters with a correct check character)."
				).format(frappe.bold(self.credit_code)),
				DealRegistrationError,
			)
		self.credit_code = normalize_credit_code(self.credit_code)

	def validate_items(self):
		if not self.items:
			frappe.throw(_("Register at least one product."), DealRegistrationError)
		check_items_exist(self.items, DealRegistrationError)
		for row in self.items:
			if flt(row.qty) <= 0:
				frappe.throw(
					_("Row {0}: the quantity of {1} must be greater than zero.").format(
						row.idx, row.item_code
					),
					DealRegistrationError,
				)
			if flt(row.rate) < 0:
				frappe.throw(
					_("Row {0}: the rate of {1} cannot be negative.").format(row.idx, row.item_code),
					DealRegistrationError,
				)
			row.amount = flt(row.qty) * flt(row.rate)
		self.total_amount = sum(flt(row.amount) for row in self.items)

	def validate_dates(self):
		if getdate(self.expected_close_date) < getdate(self.registration_date):
			frappe.throw(
				_("The expected close date {0} is before the registration date {1}.").format(
					frappe.format(self.expected_close_date, "Date"),
					frappe.format(self.registration_date, "Date"),
				),
				DealRegistrationError,
			)

	def set_matching_keys(self):
		self.name_key = normalize_company_name(self.company_name) or None
		self.credit_code_key = normalize_credit_code(self.credit_code) or None

	def validate_dealer_active(self):
		status = frappe.db.get_value("Dealer", self.dealer, "status")
		if status != "Active":
			frappe.throw(
				_("Dealer {0} is {1}; only an active dealer can register deals.").format(
					self.dealer, _(status or "")
				),
				DealerStatusError,
			)

	def validate_status_change(self):
		before = self.get_doc_before_save()
		old, new = (before.status if before else None), self.status
		if old == new:
			return
		if new not in ALLOWED_MOVES.get(old, ()):
			frappe.throw(
				_("A deal registration cannot go from {0} to {1}.").format(_(old or ""), _(new)),
				DealApprovalError,
			)
		# with an active workflow, the workflow decides who may approve (admins edit it without code)
		if not self.meta.get_workflow() and not set(APPROVER_ROLES) & set(frappe.get_roles()):
			frappe.throw(
				_("Only a Channel Manager can approve or reject deal registrations."), DealApprovalError
			)

	# -- conflicts --------------------------------------------------------------------------------------

	def as_protection(self) -> dict:
		return {
			"customer": self.customer,
			"credit_code": self.credit_code,
			"company_name": self.company_name,
			"owner": self.dealer,
			"ref": self.name,
		}

	def find_dealer_conflicts(self) -> list:
		"""Still-protected approved registrations of other dealers for the same end customer."""
		keys = {"customer": self.customer, "credit_code_key": self.credit_code_key, "name_key": self.name_key}
		dr = frappe.qb.DocType("Deal Registration")
		matches = [dr[field] == value for field, value in keys.items() if value]
		if not matches:
			return []
		rows = (
			frappe.qb.from_(dr)
			.select(
				dr.name.as_("ref"),
				dr.dealer.as_("owner"),
				dr.customer,
				dr.credit_code,
				dr.company_name,
				dr.protected_until,
			)
			.where(
				(dr.docstatus == 1)
				& (dr.status == "Approved")
				& (dr.dealer != self.dealer)
				& (dr.name != (self.name or ""))
				& Criterion.any(matches)
			)
			.run(as_dict=True)
		)
		return find_conflicts(self.as_protection(), rows, as_of=getdate(today()))

	def find_direct_conflicts(self) -> list:
		"""Open opportunities of the direct sales force (a responsible sales person set) for the same
		end customer, matched on customer link or normalised name."""
		opp = frappe.qb.DocType("Opportunity")
		rows = (
			frappe.qb.from_(opp)
			.select(
				opp.name.as_("ref"),
				opp.opportunity_from,
				opp.party_name,
				opp.customer_name,
				opp.sr_sales_person,
			)
			.where(
				opp.status.isin(OPEN_OPPORTUNITY_STATUSES)
				& opp.sr_sales_person.isnotnull()
				& (opp.sr_sales_person != "")
			)
			.run(as_dict=True)
		)
		existing = [
			{
				"customer": row.party_name if row.opportunity_from == "Customer" else None,
				"company_name": row.customer_name,
				"owner": DIRECT_OWNER_PREFIX + row.sr_sales_person,
				"ref": row.ref,
				"sales_person": row.sr_sales_person,
			}
			for row in rows
		]
		return find_conflicts(self.as_protection(), existing, as_of=getdate(today()))

	def record_conflicts(self):
		self.set("conflicts", [])
		for conflict in self.find_dealer_conflicts():
			self.append(
				"conflicts",
				{
					"conflict_type": "Dealer Protection",
					"reason": REASON_LABELS[conflict.reason],
					"matched_value": conflict.matched,
					"reference_doctype": "Deal Registration",
					"reference_name": conflict.existing["ref"],
					"dealer": conflict.owner,
					"protected_until": conflict.protected_until,
				},
			)
		for conflict in self.find_direct_conflicts():
			self.append(
				"conflicts",
				{
					"conflict_type": "Direct Opportunity",
					"reason": REASON_LABELS[conflict.reason],
					"matched_value": conflict.matched,
					"reference_doctype": "Opportunity",
					"reference_name": conflict.existing["ref"],
					"sales_person": conflict.existing["sales_person"],
				},
			)
		self.has_conflict = int(bool(self.conflicts))

	# -- approval ---------------------------------------------------------------------------------------

	def validate_no_dealer_conflict(self):
		conflicts = self.find_dealer_conflicts()
		if conflicts:
			self.throw_conflict(conflicts[0].owner, conflicts[0].existing["ref"])

	def approve(self):
		start = getdate(today())
		tier = frappe.db.get_value("Dealer", self.dealer, "dealer_tier")
		values = {
			"protected_from": start,
			"protected_until": protection_end(start, get_protection_days(tier)),
			"assisting_sales_person": self.get_assisting_sales_person(),
			"approved_by": frappe.session.user,
			"approved_on": now_datetime(),
		}
		self.claim_protection()
		self.db_set(values)

	def claim_protection(self):
		"""Write the active-protection keys. Their UNIQUE indexes make the database refuse a second
		approved protection of the same end customer, even when two approvals run at the same moment."""
		keys = {
			"protection_customer": self.customer or None,
			"protection_credit_code": self.credit_code_key or None,
			"protection_name": self.name_key or None,
		}
		dr = frappe.qb.DocType("Deal Registration")
		query = frappe.qb.update(dr).where(dr.name == self.name)
		for field, value in keys.items():
			query = query.set(dr[field], value)
		try:
			query.run()
		except Exception as e:
			if not frappe.db.is_unique_key_violation(e):
				raise
			frappe.db.rollback(save_point=APPROVAL_SAVEPOINT)
			holder = self.find_protection_holder(keys)
			self.throw_conflict(holder.dealer if holder else None, holder.name if holder else None)
		self.update(keys)

	def find_protection_holder(self, keys: dict):
		"""The registration holding one of `keys`. A locking read: the holder was often approved by
		another process after this transaction began, which a plain read (its snapshot) cannot see."""
		dr = frappe.qb.DocType("Deal Registration")
		matches = [dr[field] == value for field, value in keys.items() if value]
		rows = (
			frappe.qb.from_(dr)
			.select(dr.name, dr.dealer)
			.where(Criterion.any(matches) & (dr.name != self.name))
			.limit(1)
			.for_update()
			.run(as_dict=True)
		)
		return rows[0] if rows else None

	def throw_conflict(self, dealer: str | None, registration: str | None):
		frappe.throw(
			_(
				"{0} is already protected for dealer {1} by deal registration {2}; it cannot be approved."
			).format(frappe.bold(self.company_name), dealer or "?", registration or "?"),
			DealConflictError,
			title=_("Deal Conflict"),
		)

	def get_assisting_sales_person(self) -> str | None:
		"""The direct salesperson who owns the key account: from a conflicting direct opportunity, else
		the customer's responsible salesperson."""
		for row in self.conflicts:
			if row.conflict_type == "Direct Opportunity" and row.sales_person:
				return row.sales_person
		if self.customer:
			return frappe.db.get_value("Customer", self.customer, "sr_sales_person")
		return None


def check_items_exist(rows, error) -> None:
	"""Every row's item is an Item. Frappe's link check lets a missing item through when the row fetches
	other fields from it (item_name), so a dealer could register any text as a product."""
	codes = {cstr(row.item_code) for row in rows if row.item_code}
	known = frappe.get_all("Item", filters={"name": ("in", list(codes) or [""])}, pluck="name")
	known_lower = {code.lower() for code in known}  # the database compares names case-insensitively
	for row in rows:
		if row.item_code and cstr(row.item_code).lower() not in known_lower:
			frappe.throw(
				_("Row {0}: item {1} does not exist.").format(
					row.idx, frappe.bold(escape_html(cstr(row.item_code)))
				),
				error,
			)


@frappe.whitelist(methods=["POST"])
@check_arguments
def extend_protection(
	registration: Annotated[str, plain_text("Deal Registration")],
	until: Annotated[str, plain_text("Protected Until")],
) -> str:
	"""A Channel Manager extends an approved registration's protection to `until` (a later date)."""
	if not set(APPROVER_ROLES) & set(frappe.get_roles()):
		frappe.throw(_("Only a Channel Manager can extend a deal protection."), frappe.PermissionError)
	doc = frappe.get_doc("Deal Registration", registration)
	doc.check_permission("write")
	try:
		new_end = getdate(until)
	except Exception:
		new_end = None
	if doc.docstatus != 1 or doc.status != "Approved":
		frappe.throw(_("Only an approved registration's protection can be extended."), DealApprovalError)
	if not new_end or new_end <= getdate(doc.protected_until):
		frappe.throw(
			_("The new end of the protection must be after {0}.").format(
				frappe.format(doc.protected_until, "Date")
			),
			DealApprovalError,
		)
	doc.db_set("protected_until", new_end)
	doc.add_comment("Info", _("Protection extended to {0}.").format(frappe.format(new_end, "Date")))
	return str(new_end)


def on_doctype_update():
	for fieldname in PROTECTION_KEYS:
		frappe.db.add_unique("Deal Registration", [fieldname], constraint_name=f"unique_{fieldname}")


def expire_registrations() -> None:
	"""Daily: end the protections whose last day has passed. Idempotent and set-based."""
	dr = frappe.qb.DocType("Deal Registration")
	query = (
		frappe.qb.update(dr)
		.set(dr.status, "Expired")
		.set(dr.modified, now_datetime())
		.where((dr.docstatus == 1) & (dr.status == "Approved") & (dr.protected_until < getdate(today())))
	)
	for fieldname in PROTECTION_KEYS:
		query = query.set(dr[fieldname], None)
	query.run()
