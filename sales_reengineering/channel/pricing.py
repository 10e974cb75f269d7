"""Price discipline: every selling document that sets a price, below the channel floor.

Checked: Quotations, Sales Orders, and the rows of Sales Invoices and POS Invoices that were not made
from a Sales Order (a row with `sales_order` was priced, and checked, on its order). Returns (credit
notes) and the Sales Invoices that consolidate POS Invoices (each was checked at the till) are not.

`doc_events` (hooks.py) call `warn_below_floor` on validate, so a draft below the floor is saved with a
warning (a Sales Manager can then approve a Channel Price Exception for it), and `block_below_floor`
on before_submit, which refuses to submit while any row is below its floor without an approved exception.
"""

import frappe
from frappe import _
from frappe.utils import flt, fmt_money, getdate

from sales_reengineering.core.channel_pricing import floor_rate, is_below_floor, pick_policy
from sales_reengineering.exceptions import PriceBelowFloorError

DIRECT = "Direct"
# the selling documents whose price the floor governs (the Channel Price Exception's Document Type)
PRICED_DOCTYPES = ("Quotation", "Sales Order", "Sales Invoice", "POS Invoice")
INVOICE_DOCTYPES = ("Sales Invoice", "POS Invoice")
FAR_PAST, FAR_FUTURE = "1900-01-01", "9999-12-31"


def get_channel_level(customer: str | None) -> str:
	"""The dealer level of the dealer buying on `customer`, else Direct."""
	level = frappe.db.get_value("Dealer", {"customer": customer}, "dealer_level") if customer else None
	return level or DIRECT


def get_customer(doc) -> str | None:
	if doc.doctype == "Quotation":
		return doc.party_name if doc.quotation_to == "Customer" else None
	return doc.customer


def priced_rows(doc) -> list:
	"""The rows of `doc` whose price the floor governs (see the module docstring)."""
	if doc.doctype in INVOICE_DOCTYPES:
		if doc.get("is_return") or doc.get("is_consolidated"):
			return []
		return [row for row in doc.items if not row.get("sales_order")]
	return list(doc.items)


def load_policies(level: str, on_date) -> list[dict]:
	policy = frappe.qb.DocType("Channel Price Policy")
	return (
		frappe.qb.from_(policy)
		.select(
			policy.name,
			policy.item_code,
			policy.item_group,
			policy.policy_type,
			policy.floor_price,
			policy.max_discount,
		)
		.where(
			(policy.enabled == 1)
			& (policy.channel_level == level)
			& ((policy.valid_from.isnull()) | (policy.valid_from <= on_date))
			& ((policy.valid_to.isnull()) | (policy.valid_to >= on_date))
		)
		.orderby(policy.creation)
		.run(as_dict=True)
	)


def get_group_chains(groups: set[str]) -> dict[str, list[str]]:
	"""item group -> itself and its ancestors, nearest first (one query)."""
	if not groups:
		return {}
	child = frappe.qb.DocType("Item Group")
	ancestor = frappe.qb.DocType("Item Group").as_("ancestor")
	rows = (
		frappe.qb.from_(child)
		.join(ancestor)
		.on((ancestor.lft <= child.lft) & (ancestor.rgt >= child.rgt))
		.select(child.name.as_("group"), ancestor.name.as_("ancestor"))
		.where(child.name.isin(list(groups)))
		.orderby(ancestor.lft, order=frappe.qb.desc)
		.run(as_dict=True)
	)
	chains: dict[str, list[str]] = {}
	for row in rows:
		chains.setdefault(row.group, []).append(row.ancestor)
	return chains


def get_approved_exceptions(doc) -> dict[str, float]:
	"""item -> lowest approved rate, from submitted exceptions for this document or the quotation it
	was made from."""
	references = {doc.name} | {row.get("prevdoc_docname") for row in doc.items if row.get("prevdoc_docname")}
	references.discard(None)
	if not references or doc.is_new():
		references.discard(doc.name)
	if not references:
		return {}
	rows = frappe.get_all(
		"Channel Price Exception",
		filters={"docstatus": 1, "reference_name": ("in", list(references))},
		fields=["item_code", "approved_rate"],
	)
	approved: dict[str, float] = {}
	for row in rows:
		approved[row.item_code] = min(flt(row.approved_rate), approved.get(row.item_code, float("inf")))
	return approved


def get_price_violations(doc, include_excepted: bool = False) -> list[frappe._dict]:
	"""Rows selling below their channel floor (per stock unit, company currency, after discounts)."""
	rows = priced_rows(doc)
	if not rows:
		return []
	level = get_channel_level(get_customer(doc))
	on_date = getdate(doc.get("transaction_date") or doc.get("posting_date"))
	policies = load_policies(level, on_date)
	if not policies:
		return []
	chains = get_group_chains({row.item_group for row in rows if row.item_group})
	approved = {} if include_excepted else get_approved_exceptions(doc)
	violations = []
	for row in rows:
		policy = pick_policy(row.item_code, chains.get(row.item_group, []), policies)
		if not policy:
			continue
		factor = flt(row.conversion_factor) or 1
		rate = flt(row.base_net_rate) / factor
		floor = floor_rate(policy, flt(row.base_price_list_rate) / factor)
		if not is_below_floor(rate, floor):
			continue
		if row.item_code in approved and rate >= approved[row.item_code] - 0.005:
			continue
		violations.append(
			frappe._dict(
				idx=row.idx, item_code=row.item_code, rate=rate, floor=floor, policy=policy.name, level=level
			)
		)
	return violations


def format_violations(doc, violations: list) -> str:
	currency = frappe.get_cached_value("Company", doc.company, "default_currency")
	lines = [
		_("Row {0}: {1} at {2} is below the {3} floor of {4} (policy {5}).").format(
			v.idx,
			v.item_code,
			fmt_money(v.rate, currency=currency),
			_(v.level),
			fmt_money(v.floor, currency=currency),
			v.policy,
		)
		for v in violations
	]
	return "<br>".join(lines)


def warn_below_floor(doc, method=None) -> None:
	violations = get_price_violations(doc)
	if violations:
		frappe.msgprint(
			format_violations(doc, violations)
			+ "<br>"
			+ _("It cannot be submitted until a Sales Manager approves a Channel Price Exception."),
			title=_("Below Channel Floor"),
			indicator="orange",
		)


def block_below_floor(doc, method=None) -> None:
	violations = get_price_violations(doc)
	if violations:
		frappe.throw(
			format_violations(doc, violations)
			+ "<br>"
			+ _("Ask a Sales Manager to approve a Channel Price Exception, or raise the price."),
			PriceBelowFloorError,
			title=_("Below Channel Floor"),
		)
