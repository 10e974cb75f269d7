"""The Dealer tree: which dealers a dealer user sees (`scope.for_user`), and ERPNext portal access.

A dealer user (a user with the Dealer role in a dealer's Portal Users table) sees its own dealer and every
dealer below it in the tree (a general agent sees its provincial dealers and their sub-dealers), and
never another branch. Desk users are governed by their roles and are not restricted here.
"""

import frappe
from frappe.query_builder.functions import Coalesce

from sales_reengineering.scope import DEALER_ROLE, for_user

CUSTOMER_ROLE = "Customer"
TERMINATED = "Terminated"


def is_portal_dealer(user: str | None = None) -> bool:
	"""A user with the Dealer role: everything it reaches is limited to its branch, whatever desk roles
	it is also given."""
	return for_user(user).is_dealer


def get_user_dealer(user: str | None = None) -> str | None:
	"""The dealer whose portal user `user` is (a user belongs to one dealer at most)."""
	user = user or frappe.session.user
	return frappe.db.get_value("Dealer Portal User", {"user": user, "parenttype": "Dealer"}, "parent")


def get_branch(dealer: str) -> list[str]:
	"""`dealer` and every dealer below it, in one query."""
	bounds = frappe.db.get_value("Dealer", dealer, ["lft", "rgt"], as_dict=True)
	if not bounds:
		return []
	return frappe.get_all(
		"Dealer",
		filters={"lft": (">=", bounds.lft), "rgt": ("<=", bounds.rgt)},
		pluck="name",
		order_by="lft",
	)


def get_visible_dealers(user: str | None = None) -> list[str]:
	"""The dealers a dealer user may see (empty when the user belongs to no dealer)."""
	return list(for_user(user).dealers or ())


def dealer_condition(table: str, fieldname: str, user: str | None = None) -> str:
	"""SQL fragment limiting `table`.`fieldname` (a Dealer link) to the user's branch; "" for others."""
	dealers = for_user(user).dealers
	if dealers is None:
		return ""
	if not dealers:
		return "1=0"
	values = ", ".join(frappe.db.escape(dealer) for dealer in dealers)
	return f"`tab{table}`.`{fieldname}` in ({values})"


def can_see_dealer(dealer: str | None, user: str | None = None) -> bool:
	return for_user(user).sees_dealer(dealer)


# -- permission hooks (hooks.py) --------------------------------------------------------------------------


def dealer_query(user: str | None = None) -> str:
	return dealer_condition("Dealer", "name", user)


def dealer_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	return can_see_dealer(doc.name, user)


def deal_registration_query(user: str | None = None) -> str:
	return dealer_condition("Deal Registration", "dealer", user)


def sell_through_query(user: str | None = None) -> str:
	return dealer_condition("Sell Through Report", "dealer", user)


def deal_registration_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	"""Deal Registration and Sell Through Report: the document's dealer must be in the user's branch."""
	return can_see_dealer(doc.dealer, user)


def support_request_query(user: str | None = None) -> str:
	"""Issue: a dealer user sees the support requests of its branch only (never an Issue of no dealer)."""
	return dealer_condition("Issue", "sr_dealer", user)


def support_request_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	"""Issue: a dealer user reads and raises support requests of its branch only; others as their roles."""
	return can_see_dealer(doc.get("sr_dealer"), user)


def market_development_fund_query(user: str | None = None) -> str:
	return dealer_condition("Market Development Fund", "dealer", user)


def mdf_claim_query(user: str | None = None) -> str:
	return dealer_condition("MDF Claim", "dealer", user)


def staff_certification_query(user: str | None = None) -> str:
	return dealer_condition("Dealer Staff Certification", "dealer", user)


def dealer_record_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	"""Market Development Fund, MDF Claim and Dealer Staff Certification: the record's dealer must be in
	the dealer user's branch (a claim's dealer is its fund's)."""
	dealer = doc.get("dealer")
	if not dealer and doc.doctype == "MDF Claim" and doc.get("fund"):
		dealer = frappe.db.get_value("Market Development Fund", doc.fund, "dealer")
	return can_see_dealer(dealer, user)


def has_website_permission(doc, ptype: str | None = None, user: str | None = None, verbose=False) -> bool:
	"""Portal pages and print views of Dealer and Deal Registration."""
	scope = for_user(user)
	dealer = doc.name if doc.doctype == "Dealer" else doc.get("dealer")
	return scope.is_dealer and scope.sees_dealer(dealer)


# -- ERPNext's own portal pages (quotations, orders, invoices) ----------------------------------------------


def sync_customer_portal_users(
	dealers: list[str], removed_users: list[str] | tuple = (), old_customers: list[str] | tuple = ()
) -> None:
	"""Make ERPNext's portal show each dealer's quotations, orders and invoices to the portal users of
	that dealer and of every dealer above it: they become Portal Users of the dealer's customer.

	Portal users of other dealers, and `removed_users`, are removed from those customers (after a branch
	moves or a user leaves a dealer), and from `old_customers` (the customers the dealers had before).
	A terminated dealer gives no access, to its own users or to those above it."""
	if not dealers:
		return
	dealer = frappe.qb.DocType("Dealer")
	ancestor = frappe.qb.DocType("Dealer").as_("ancestor")
	portal_user = frappe.qb.DocType("Dealer Portal User")
	rows = (
		frappe.qb.from_(dealer)
		.join(ancestor)
		.on((ancestor.lft <= dealer.lft) & (ancestor.rgt >= dealer.rgt))
		.join(portal_user)
		.on((portal_user.parent == ancestor.name) & (portal_user.parenttype == "Dealer"))
		.select(dealer.customer, portal_user.user)
		.where(
			dealer.name.isin(dealers)
			& (Coalesce(dealer.customer, "") != "")
			& (dealer.status != TERMINATED)
			& (ancestor.status != TERMINATED)
		)
		.run(as_dict=True)
	)
	customers = set(
		frappe.get_all(
			"Dealer", filters={"name": ("in", dealers), "customer": ("is", "set")}, pluck="customer"
		)
	) | {customer for customer in old_customers if customer}
	if not customers:
		return
	wanted = {(row.customer, row.user) for row in rows}
	all_dealer_users = set(removed_users) | set(
		frappe.get_all("Dealer Portal User", filters={"parenttype": "Dealer"}, pluck="user")
	)
	existing = frappe.get_all(
		"Portal User",
		filters={"parenttype": "Customer", "parent": ("in", list(customers))},
		fields=["name", "parent", "user"],
	)
	have = {(row.parent, row.user) for row in existing}
	stale = [
		row.name for row in existing if row.user in all_dealer_users and (row.parent, row.user) not in wanted
	]
	if stale:
		frappe.db.delete("Portal User", {"name": ("in", stale)})
	for customer, user in sorted(wanted - have):
		frappe.get_doc(
			{
				"doctype": "Portal User",
				"parenttype": "Customer",
				"parentfield": "portal_users",
				"parent": customer,
				"user": user,
			}
		).db_insert()


def get_report_dealers(dealer: str | None = None, user: str | None = None) -> list[str] | None:
	"""Dealers a channel report covers: the branch of `dealer` if given, cut to what the user may see.

	None means all dealers (a desk user without a dealer filter)."""
	dealers = for_user(user).dealers
	visible = None if dealers is None else list(dealers)
	if dealer:
		branch = get_branch(dealer)
		return [name for name in branch if visible is None or name in visible]
	return visible
