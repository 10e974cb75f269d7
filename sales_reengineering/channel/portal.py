"""Dealer portal: what the `www/dealer` pages show, and the deal registration form's endpoint.

Every function starts from the session user's dealer branch (`scope`), so a dealer never sees
another branch, whichever page or URL it opens.
"""

import datetime
from typing import Annotated

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Coalesce, Count, Sum
from frappe.utils import get_quarter_start, getdate, today

from sales_reengineering.arguments import (
	check_arguments,
	iso_date,
	parse_number,
	parse_text,
	plain_text,
	rows_of,
)
from sales_reengineering.channel.doctype.dealer_announcement.dealer_announcement import get_announcements
from sales_reengineering.companies import company_currency, dealer_company, site_company
from sales_reengineering.scope.dealers import get_branch, get_user_dealer, is_portal_dealer

OPEN_REGISTRATION_STATUSES = ("Pending Approval", "Approved")
# the fields a row of each portal form may carry: texts, and numbers with their least value (None: any)
DEAL_ITEM_TEXTS = ("item_code",)
DEAL_ITEM_NUMBERS = {"qty": None, "rate": None}
SELL_THROUGH_ITEM_TEXTS = ("item_code", "end_customer", "city")
SELL_THROUGH_ITEM_NUMBERS = {"qty": None, "resale_rate": 0, "amount": 0, "stock_on_hand": 0}


def get_portal_dealer() -> str:
	"""The session user's dealer; PermissionError for anyone who is not a dealer portal user."""
	if frappe.session.user == "Guest":
		raise frappe.PermissionError(_("Please log in to open the dealer portal."))
	dealer = get_user_dealer() if is_portal_dealer() else None
	if not dealer:
		frappe.throw(_("Only dealer portal users can open the dealer portal."), frappe.PermissionError)
	return dealer


def get_dashboard(dealer: str) -> frappe._dict:
	"""Tier, target and purchases this quarter, open registrations and the dealers below, of `dealer`.
	Each dealer's purchases are the invoices of the company it buys from (`companies.dealer_company`),
	in that company's currency; another company's invoices to the same customer are not added."""
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
	bought_from = (
		Case()
		.when(dealer_table.company.isnull() | (dealer_table.company == ""), site_company())
		.else_(dealer_table.company)
	)
	purchases = (
		frappe.qb.from_(dealer_table)
		.left_join(invoice)
		.on(
			(invoice.customer == dealer_table.customer)
			& (invoice.docstatus == 1)
			& (invoice.company == bought_from)
			& (invoice.posting_date >= quarter_start)
			& (invoice.posting_date <= getdate(today()))
		)
		.select(
			dealer_table.name,
			bought_from.as_("company"),
			Coalesce(Sum(invoice.base_net_total), 0).as_("amount"),
		)
		.where(dealer_table.name.isin(branch))
		.groupby(dealer_table.name)
		.run(as_dict=True)
	)
	purchase_by_dealer = {row.name: row.amount for row in purchases}
	company_of = {row.name: row.company for row in purchases}

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
		row.currency = company_currency(company_of.get(row.name))
	target = tier.min_quarterly_purchase if tier else 0
	own = purchase_by_dealer.get(dealer, 0)
	return frappe._dict(
		dealer=doc,
		tier=tier,
		quarter_start=quarter_start,
		target=target,
		purchases=own,
		company=dealer_company(doc.company),
		currency=company_currency(dealer_company(doc.company)),
		# the branch's dealers that buy from the same company (one currency)
		branch_purchases=sum(
			amount
			for name, amount in purchase_by_dealer.items()
			if company_of.get(name) == dealer_company(doc.company)
		),
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
@check_arguments(closed=True)
def register_deal(
	company_name: Annotated[str, plain_text("End Customer Name")],
	city: Annotated[str, plain_text("City")],
	expected_close_date: Annotated[datetime.date, iso_date("Expected Close Date")],
	items: Annotated[list, rows_of("Products", DEAL_ITEM_TEXTS + tuple(DEAL_ITEM_NUMBERS))],
	credit_code: Annotated[str, plain_text("Unified Social Credit Code", 32)] | None = None,
	description: Annotated[str, plain_text("Description", 2000)] | None = None,
	dealer: Annotated[str, plain_text("Dealer")] | None = None,
) -> dict:
	"""Create and submit a deal registration for the user's dealer (or a dealer below it)."""
	own = get_portal_dealer()
	dealer = dealer or own
	if dealer not in get_branch(own):
		frappe.throw(_("You cannot register deals for dealer {0}.").format(dealer), frappe.PermissionError)
	doc = frappe.get_doc(
		{
			"doctype": "Deal Registration",
			"dealer": dealer,
			"company_name": company_name,
			"credit_code": credit_code,
			"city": city,
			"expected_close_date": expected_close_date,
			"description": description,
			"items": clean_items("Deal Registration Item", items, DEAL_ITEM_TEXTS, DEAL_ITEM_NUMBERS),
		}
	)
	doc.check_permission("create")
	doc.insert()
	doc.submit()
	return {"name": doc.name, "status": doc.status, "has_conflict": doc.has_conflict}


def clean_items(
	doctype: str, items: list[dict], texts: tuple[str, ...], numbers: dict[str, float | None]
) -> list[dict]:
	"""The rows a dealer sent, each field checked: texts are plain text, numbers finite and not below their
	least value; an empty field is None. The doctype's validation does the rest (quantities above zero)."""
	meta = frappe.get_meta(doctype)
	clean = []
	for idx, row in enumerate(items, 1):
		values = {}
		for field in (*texts, *numbers):
			value = row.get(field)
			label = _("Row {0}: {1}").format(idx, _(meta.get_label(field)))
			if value is None or value == "":
				values[field] = None
			elif field in numbers:
				values[field] = parse_number(value, label, minimum=numbers[field])
			else:
				values[field] = parse_text(value, label)
		clean.append(values)
	return clean


def get_sell_through_reports(limit: int = 100) -> list[dict]:
	"""The sell-through reports of the user's branch, newest month first (permission-aware), each with
	its month as the user's language says it (`month`)."""
	reports = frappe.get_list(
		"Sell Through Report",
		fields=["name", "dealer", "period", "total_qty", "total_amount", "docstatus"],
		order_by="period desc, dealer asc",
		limit_page_length=limit,
	)
	for report in reports:
		report.month = month_label(report.period)
	return reports


def month_label(day) -> str:
	"""The month of `day` in the user's language: "November 2026", "2026年11月" (a report covers a
	month; its first day, 11-01-2026, read as a date)."""
	from babel.core import UnknownLocaleError
	from babel.dates import format_skeleton

	locale = (frappe.local.lang or "en").replace("-", "_")
	try:
		return format_skeleton("yMMMM", getdate(day), locale=locale)
	except (UnknownLocaleError, ValueError):  # a language babel does not know
		return format_skeleton("yMMMM", getdate(day), locale="en")


@frappe.whitelist(methods=["POST"])
@check_arguments(closed=True)
def submit_sell_through(
	period: Annotated[datetime.date, iso_date("Month")],
	items: Annotated[list, rows_of("Items", SELL_THROUGH_ITEM_TEXTS + tuple(SELL_THROUGH_ITEM_NUMBERS))],
	dealer: Annotated[str, plain_text("Dealer")] | None = None,
) -> dict:
	"""Create and submit the month's sell-through report for the user's dealer (or a dealer below it)."""
	own = get_portal_dealer()
	dealer = dealer or own
	if dealer not in get_branch(own):
		frappe.throw(_("You cannot report for dealer {0}.").format(dealer), frappe.PermissionError)
	doc = frappe.get_doc(
		{
			"doctype": "Sell Through Report",
			"dealer": dealer,
			"period": period,
			"items": clean_items(
				"Sell Through Report Item", items, SELL_THROUGH_ITEM_TEXTS, SELL_THROUGH_ITEM_NUMBERS
			),
		}
	)
	doc.check_permission("create")
	doc.insert()
	doc.submit()
	return {"name": doc.name, "total_amount": doc.total_amount}
