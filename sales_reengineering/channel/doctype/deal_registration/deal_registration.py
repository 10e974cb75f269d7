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
from sales_reengineering.locks import hold_until_transaction_ends

DIRECT_OWNER_PREFIX = "direct:"
APPROVER_ROLES = ("Channel Manager", "System Manager")
# status before -> statuses a submitted registration may move to by saving
ALLOWED_MOVES = {"Pending Approval": ("Approved", "Rejected")}
OPEN_OPPORTUNITY_STATUSES = ("Open", "Replied", "Quotation")
# the registrations that claim an end customer: an approved one protects it, a pending one asks to
PENDING, APPROVED = "Pending Approval", "Approved"
CLAIMING_STATUSES = (PENDING, APPROVED)
# conflict_type of a row, by the other registration's status
CONFLICT_TYPES = {APPROVED: "Dealer Protection", PENDING: "Pending Registration"}
DIRECT_OPPORTUNITY = "Direct Opportunity"
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

	def check_if_latest(self):
		# submit, approve, reject, extend and cancel rewrite conflict tables on both sides of a clash:
		# take the lock before Frappe's locking read of this row, so no save waits for it holding a row
		if self.docstatus in (1, 2):
			hold_conflict_lock()
		super().check_if_latest()

	def before_submit(self):
		self.validate_dealer_active()
		self.status = PENDING
		self.record_conflicts()

	def on_submit(self):
		# the registrations this one clashes with now clash with it too
		refresh_conflicts(self.get_counterparts())

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
		self.refresh_both_sides()

	def on_cancel(self):
		self.db_set({"status": "Cancelled", **dict.fromkeys(PROTECTION_KEYS)})
		refresh_conflicts(self.get_counterparts())

	def refresh_both_sides(self):
		"""Recompute the conflicts of this registration (while it still claims the customer) and of every
		registration it clashes with, and show this one's fresh table on the form that was saved."""
		names = self.get_counterparts()
		if self.status in CLAIMING_STATUSES:
			names.append(self.name)
		refresh_conflicts(names)
		if self.status in CLAIMING_STATUSES:
			self.set("conflicts", get_conflict_rows(self.name))
			self.has_conflict = int(bool(self.conflicts))

	def get_counterparts(self) -> list[str]:
		"""The registrations on either side of a clash with this one: those in its conflict table, and
		those whose table names it (one query)."""
		conflict = frappe.qb.DocType("Deal Registration Conflict")
		named_by = (
			frappe.qb.from_(conflict)
			.select(conflict.parent)
			.distinct()
			.where(
				(conflict.parenttype == "Deal Registration")
				& (conflict.reference_doctype == "Deal Registration")
				& (conflict.reference_name == self.name)
			)
			.run(pluck=True)
		)
		names = {
			row.reference_name
			for row in self.get("conflicts") or []
			if row.reference_doctype == "Deal Registration"
		}
		return sorted((names | set(named_by)) - {self.name})

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
		return as_protection(self)

	def find_dealer_conflicts(self, statuses: tuple = (APPROVED,)) -> list:
		"""Registrations of other dealers for the same end customer in `statuses`: by default the
		still-protected approved ones (what blocks an approval); with PENDING too, every claim."""
		rows = load_claims([self], statuses)
		return find_conflicts(self.as_protection(), rows, as_of=getdate(today()))

	def find_direct_conflicts(self) -> list:
		"""Open opportunities of the direct sales force (a responsible sales person set) for the same
		end customer, matched on customer link or normalised name."""
		return find_conflicts(self.as_protection(), load_direct_opportunities(), as_of=getdate(today()))

	def record_conflicts(self):
		"""This registration's conflict table: every other dealer's pending or approved claim on the same
		end customer, and the direct sales force's open opportunities."""
		claims = load_claims([self], CLAIMING_STATUSES)
		self.set("conflicts", conflict_rows(self, claims, load_direct_opportunities()))
		self.has_conflict = int(bool(self.conflicts))

	# -- approval ---------------------------------------------------------------------------------------

	def validate_no_dealer_conflict(self):
		# only a protection blocks: of two pending registrations, the channel manager approves one
		conflicts = self.find_dealer_conflicts((APPROVED,))
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
			if row.conflict_type == DIRECT_OPPORTUNITY and row.sales_person:
				return row.sales_person
		if self.customer:
			return frappe.db.get_value("Customer", self.customer, "sr_sales_person")
		return None


# -- conflicts of many registrations at once (set-based) -----------------------------------------------------


def as_protection(registration) -> dict:
	return {
		"customer": registration.customer,
		"credit_code": registration.credit_code,
		"company_name": registration.company_name,
		"owner": registration.dealer,
		"ref": registration.name,
	}


def load_claims(registrations: list, statuses: tuple) -> list[dict]:
	"""The submitted registrations in `statuses` that share a customer, a credit code or a name key with
	any of `registrations` (one query for all of them)."""
	dr = frappe.qb.DocType("Deal Registration")
	matches = []
	for field in ("customer", "credit_code_key", "name_key"):
		values = sorted({reg.get(field) for reg in registrations if reg.get(field)})
		if values:
			matches.append(dr[field].isin(values))
	if not matches:
		return []
	return (
		frappe.qb.from_(dr)
		.select(
			dr.name.as_("ref"),
			dr.dealer.as_("owner"),
			dr.status,
			dr.customer,
			dr.credit_code,
			dr.company_name,
			dr.protected_until,
		)
		.where((dr.docstatus == 1) & dr.status.isin(list(statuses)) & Criterion.any(matches))
		.run(as_dict=True)
	)


def load_direct_opportunities() -> list[dict]:
	"""The direct sales force's open opportunities (a responsible sales person set), as protections."""
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
	return [
		{
			"customer": row.party_name if row.opportunity_from == "Customer" else None,
			"company_name": row.customer_name,
			"owner": DIRECT_OWNER_PREFIX + row.sr_sales_person,
			"ref": row.ref,
			"sales_person": row.sr_sales_person,
		}
		for row in rows
	]


def conflict_rows(registration, claims: list[dict], opportunities: list[dict]) -> list[dict]:
	"""The conflict table of `registration` against other dealers' `claims` and the `opportunities`."""
	as_of = getdate(today())
	candidate = as_protection(registration)
	others = [claim for claim in claims if claim["owner"] != registration.dealer]
	rows = []
	for conflict in find_conflicts(candidate, others, as_of=as_of):
		status = conflict.existing["status"]
		rows.append(
			{
				"conflict_type": CONFLICT_TYPES[status],
				"reason": REASON_LABELS[conflict.reason],
				"matched_value": conflict.matched,
				"reference_doctype": "Deal Registration",
				"reference_name": conflict.existing["ref"],
				"dealer": conflict.owner,
				"protected_until": conflict.protected_until if status == APPROVED else None,
			}
		)
	for conflict in find_conflicts(candidate, opportunities, as_of=as_of):
		rows.append(
			{
				"conflict_type": DIRECT_OPPORTUNITY,
				"reason": REASON_LABELS[conflict.reason],
				"matched_value": conflict.matched,
				"reference_doctype": "Opportunity",
				"reference_name": conflict.existing["ref"],
				"sales_person": conflict.existing["sales_person"],
			}
		)
	return rows


def get_conflict_rows(registration: str) -> list[dict]:
	return frappe.get_all(
		"Deal Registration Conflict",
		filters={"parenttype": "Deal Registration", "parentfield": "conflicts", "parent": registration},
		fields=["*"],
		order_by="idx",
	)


def refresh_conflicts(names: list[str]) -> None:
	"""Recompute the conflict tables (and Has Conflict) of the registrations `names` that still claim
	their end customer (pending or approved): a fixed number of queries whatever their number. The tables
	of decided registrations (rejected, expired, cancelled) stay as they were when decided."""
	if not names:
		return
	dr = frappe.qb.DocType("Deal Registration")
	targets = (
		frappe.qb.from_(dr)
		.select(
			dr.name, dr.dealer, dr.customer, dr.credit_code, dr.company_name, dr.credit_code_key, dr.name_key
		)
		.where(dr.name.isin(list(names)) & (dr.docstatus == 1) & dr.status.isin(list(CLAIMING_STATUSES)))
		.run(as_dict=True)
	)
	if not targets:
		return
	claims = load_claims(targets, CLAIMING_STATUSES)
	opportunities = load_direct_opportunities()
	now = now_datetime()
	records, flagged = [], set()
	for target in targets:
		for idx, row in enumerate(conflict_rows(target, claims, opportunities), 1):
			flagged.add(target.name)
			records.append(
				(
					frappe.generate_hash(length=10),
					target.name,
					"Deal Registration",
					"conflicts",
					idx,
					1,
					now,
					now,
					frappe.session.user,
					frappe.session.user,
					*(row.get(field) for field in CONFLICT_FIELDS),
				)
			)
	conflict = frappe.qb.DocType("Deal Registration Conflict")
	target_names = [target.name for target in targets]
	frappe.qb.from_(conflict).delete().where(
		(conflict.parenttype == "Deal Registration") & conflict.parent.isin(target_names)
	).run()
	if records:
		frappe.db.bulk_insert(
			"Deal Registration Conflict",
			fields=[
				"name",
				"parent",
				"parenttype",
				"parentfield",
				"idx",
				"docstatus",
				"creation",
				"modified",
				"owner",
				"modified_by",
				*CONFLICT_FIELDS,
			],
			values=records,
		)
	for has_conflict, group in ((1, flagged), (0, set(target_names) - flagged)):
		if group:
			frappe.qb.update(dr).set(dr.has_conflict, has_conflict).where(dr.name.isin(list(group))).run()


CONFLICT_FIELDS = (
	"conflict_type",
	"reason",
	"matched_value",
	"reference_doctype",
	"reference_name",
	"dealer",
	"sales_person",
	"protected_until",
)


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
	"""Daily: end the protections whose last day has passed, and recompute the conflicts of the
	registrations that clashed with them. Idempotent and set-based."""
	dr = frappe.qb.DocType("Deal Registration")
	expiring = (
		frappe.qb.from_(dr)
		.select(dr.name)
		.where((dr.docstatus == 1) & (dr.status == "Approved") & (dr.protected_until < getdate(today())))
		.run(pluck=True)
	)
	if not expiring:
		return
	query = (
		frappe.qb.update(dr)
		.set(dr.status, "Expired")
		.set(dr.modified, now_datetime())
		.where((dr.docstatus == 1) & (dr.status == "Approved") & (dr.protected_until < getdate(today())))
	)
	for fieldname in PROTECTION_KEYS:
		query = query.set(dr[fieldname], None)
	query.run()
	conflict = frappe.qb.DocType("Deal Registration Conflict")
	refresh_conflicts(
		frappe.qb.from_(conflict)
		.select(conflict.parent)
		.distinct()
		.where(
			(conflict.parenttype == "Deal Registration")
			& (conflict.reference_doctype == "Deal Registration")
			& conflict.reference_name.isin(expiring)
		)
		.run(pluck=True)
	)


def hold_conflict_lock():
	"""Serialize the saves of submitted registrations (submit, approve, reject, extend, cancel), which
	rewrite conflict tables on both sides of a clash, until their transaction ends. Two approvals at the
	same moment otherwise lock each other's rows in opposite orders (a deadlock, seen in the concurrency
	tests once conflicts were recomputed on both sides); serialized, the second meets the first's
	protection and is refused with DealConflictError. These saves are clicks, so waits are short."""
	hold_until_transaction_ends("Deal Registration")
