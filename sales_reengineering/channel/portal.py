"""Dealer portal: what the `www/dealer` pages show, and the deal registration form's endpoint.

Every function starts from the session user's dealer branch (`scope`), so a dealer never sees
another branch, whichever page or URL it opens.
"""

import json

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Count, Sum
from frappe.utils import get_quarter_start, getdate, today

from sales_reengineering.scope.dealers import get_branch, get_user_dealer, is_portal_dealer
from sales_reengineering.channel.doctype.dealer_announcement.dealer_announcement import get_announcements

OPEN_REGISTRATION_STATUSES = ("Pending Approval", "Approved")


def get_portal_dealer() -> str:
	"""The session user's dealer; PermissionError for anyone who is not a dealer portal user."""
	if frappe.session.user == "Guest":
		raise frappe.PermissionError(_("Please log in to open the dealer portal."))
	dealer = get_user_dealer() if is_portal_dealer() else None
	if not dealer:
		frappe.throw(_("Only dealer portal users can open the dealer portal."), frappe.PermissionError)
	return dealer


def get_dashboard(dealer: str) -> frappe._dict:
	"""Tier, target and purchases this quarter, open registrations and the dealers below, of `dealer`."""
	doc = frappe.get_doc("Dealer", dealer)
	branch = get_branch(dealer)
	quarter_start = get_quarter_start(today())
	tier = frappe.db.get_value(
		"Dealer Tier",
		doc.dealer_tier,
		["name", "min_quarterly_purchase", "deal_protection_days"],
		as_dict=True,
	)

	dealer_table = frappe.qb.DocType("Dealer")
	invoice = frappe.qb.DocType("Sales Invoice")
	purchases = (
		frappe.qb.from_(dealer_table)
		.left_join(invoice)
		.on(
			(invoice.customer == dealer_table.customer)
			& (invoice.docstatus == 1)
			& (invoice.posting_date >= quarter_start)
			& (invoice.posting_date <= getdate(today()))
		)
		.select(dealer_table.name, Coalesce(Sum(invoice.base_net_total), 0).as_("amount"))
		.where(dealer_table.name.isin(branch))
		.groupby(dealer_table.name)
		.run(as_dict=True)
	)
	purchase_by_dealer = {row.name: row.amount for row in purchases}

	registration = frappe.qb.DocType("Deal Registration")
	open_registrations = (
		frappe.qb.from_(registration)
		.select(registration.status, Count("*").as_("count"))
		.where(
			registration.dealer.isin(branch)
			& (registration.docstatus == 1)
			& registration.status.isin(OPEN_REGISTRATION_STATUSES)
		)
		.groupby(registration.status)
		.run(as_dict=True)
	)
	sub_dealers = frappe.get_all(
		"Dealer",
		filters={"name": ("in", branch[1:])},
		fields=["name", "dealer_level", "parent_dealer", "status", "dealer_tier", "territory"],
		order_by="lft",
	)
	for row in sub_dealers:
		row.purchases = purchase_by_dealer.get(row.name, 0)
	target = tier.min_quarterly_purchase if tier else 0
	own = purchase_by_dealer.get(dealer, 0)
	return frappe._dict(
		dealer=doc,
		tier=tier,
		quarter_start=quarter_start,
		target=target,
		purchases=own,
		branch_purchases=sum(purchase_by_dealer.values()),
		attainment=round(100 * own / target, 1) if target else None,
		open_registrations={row.status: row.count for row in open_registrations},
		sub_dealers=sub_dealers,
		announcements=get_announcements(doc.dealer_level),
	)


def get_registrations(limit: int = 100) -> list[dict]:
	"""The registrations of the user's branch, newest first (permission-aware)."""
	return frappe.get_list(
		"Deal Registration",
		fields=[
			"name",
			"dealer",
			"company_name",
			"city",
			"status",
			"has_conflict",
			"total_amount",
			"expected_close_date",
			"protected_until",
			"docstatus",
		],
		order_by="creation desc",
		limit_page_length=limit,
	)


@frappe.whitelist(methods=["POST"])
def register_deal(
	company_name: str,
	city: str,
	expected_close_date: str,
	items: str | list,
	credit_code: str | None = None,
	description: str | None = None,
	dealer: str | None = None,
) -> dict:
	"""Create and submit a deal registration for the user's dealer (or a dealer below it)."""
	own = get_portal_dealer()
	dealer = dealer or own
	if dealer not in get_branch(own):
		frappe.throw(_("You cannot register deals for dealer {0}.").format(dealer), frappe.PermissionError)
	if isinstance(items, str):
		items = json.loads(items)
	doc = frappe.get_doc(
		{
			"doctype": "Deal Registration",
			"dealer": dealer,
			"company_name": company_name,
			"credit_code": credit_code,
			"city": city,
			"expected_close_date": expected_close_date,
			"description": description,
			"items": [
				{"item_code": row.get("item_code"), "qty": row.get("qty"), "rate": row.get("rate")}
				for row in items or []
			],
		}
	)
	doc.check_permission("create")
	doc.insert()
	doc.submit()
	return {"name": doc.name, "status": doc.status, "has_conflict": doc.has_conflict}


def get_sell_through_reports(limit: int = 100) -> list[dict]:
	"""The sell-through reports of the user's branch, newest month first (permission-aware)."""
	return frappe.get_list(
		"Sell Through Report",
		fields=["name", "dealer", "period", "total_qty", "total_amount", "docstatus"],
		order_by="period desc, dealer asc",
		limit_page_length=limit,
	)


@frappe.whitelist(methods=["POST"])
def submit_sell_through(period: str, items: str | list, dealer: str | None = None) -> dict:
	"""Create and submit the month's sell-through report for the user's dealer (or a dealer below it)."""
	own = get_portal_dealer()
	dealer = dealer or own
	if dealer not in get_branch(own):
		frappe.throw(_("You cannot report for dealer {0}.").format(dealer), frappe.PermissionError)
	if isinstance(items, str):
		items = json.loads(items)
	fields = ("item_code", "qty", "amount", "end_customer", "city", "stock_on_hand")
	doc = frappe.get_doc(
		{
			"doctype": "Sell Through Report",
			"dealer": dealer,
			"period": period,
			"items": [{field: row.get(field) for field in fields} for row in items or []],
		}
	)
	doc.check_permission("create")
	doc.insert()
	doc.submit()
	return {"name": doc.name, "total_amount": doc.total_amount}
