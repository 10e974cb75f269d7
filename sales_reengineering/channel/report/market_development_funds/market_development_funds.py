# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Market development funds by dealer for one company and fiscal year: the dealer's yearly budget (its
tier's), what it has asked for and is pending, what the channel manager approved, what the dealer has
claimed (approved claims) and has pending, and what is left. Three aggregate queries whatever the
number of dealers; cut to the dealers the user may see (scope.dealers)."""

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Sum
from frappe.utils import flt

from sales_reengineering.arguments import report_filters
from sales_reengineering.companies import report_company
from sales_reengineering.exceptions import SalesReengineeringError
from sales_reengineering.scope.dealers import get_report_dealers

PENDING, APPROVED = "Pending Approval", "Approved"


@frappe.read_only()
def execute(filters: dict | None = None):
	filters = validate_filters(filters)
	frappe.has_permission("Market Development Fund", "report", throw=True)
	rows = get_data(filters)
	return get_columns(filters), rows, None, None, get_summary(rows, filters)


def validate_filters(filters: dict | None) -> frappe._dict:
	filters = report_filters(filters, texts=("company", "fiscal_year", "dealer"))
	report_company(filters, "Market Development Fund", required=True)
	if not filters.fiscal_year:
		frappe.throw(_("Choose a Fiscal Year."), SalesReengineeringError)
	if not frappe.db.exists("Fiscal Year", filters.fiscal_year):
		frappe.throw(
			_("Fiscal Year {0} does not exist.").format(filters.fiscal_year), SalesReengineeringError
		)
	return filters


def currency_column(label: str, fieldname: str, width: int = 130) -> dict:
	return {
		"label": label,
		"fieldname": fieldname,
		"fieldtype": "Currency",
		"options": "currency",
		"width": width,
	}


def get_columns(filters) -> list[dict]:
	return [
		{"label": _("Dealer"), "fieldname": "dealer", "fieldtype": "Link", "options": "Dealer", "width": 180},
		{"label": _("Dealer Name"), "fieldname": "dealer_name", "fieldtype": "Data", "width": 160},
		{
			"label": _("Tier"),
			"fieldname": "dealer_tier",
			"fieldtype": "Link",
			"options": "Dealer Tier",
			"width": 110,
		},
		currency_column(_("Budget"), "budget"),
		currency_column(_("Requested (Pending)"), "pending_requested", 140),
		currency_column(_("Approved"), "approved"),
		currency_column(_("Budget Left"), "budget_left"),
		currency_column(_("Claimed"), "claimed"),
		currency_column(_("Claims Pending"), "pending_claims"),
		currency_column(_("Unclaimed"), "unclaimed"),
		{
			"label": _("Currency"),
			"fieldname": "currency",
			# Data, not a Link: Channel Managers may not read Currency, and Frappe's report runner refuses a
			# report linking a doctype the user may not read (the Currency columns only need its value)
			"fieldtype": "Data",
			"hidden": 1,
		},
	]


def get_data(filters) -> list[dict]:
	dealers = get_report_dealers(filters.dealer)
	if dealers is not None and not dealers:
		return []
	fund = frappe.qb.DocType("Market Development Fund")
	funds = (
		frappe.qb.from_(fund)
		.select(fund.dealer, fund.status, Sum(fund.requested_amount), Sum(Coalesce(fund.approved_amount, 0)))
		.where(
			(fund.company == filters.company)
			& (fund.fiscal_year == filters.fiscal_year)
			& (fund.docstatus == 1)
			& fund.status.isin([PENDING, APPROVED])
		)
		.groupby(fund.dealer, fund.status)
	)
	claim = frappe.qb.DocType("MDF Claim")
	claims = (
		frappe.qb.from_(claim)
		.join(fund)
		.on(fund.name == claim.fund)
		.select(claim.dealer, claim.status, Sum(claim.claimed_amount))
		.where(
			(fund.company == filters.company)
			& (fund.fiscal_year == filters.fiscal_year)
			& (claim.docstatus == 1)
			& claim.status.isin([PENDING, APPROVED])
		)
		.groupby(claim.dealer, claim.status)
	)
	if dealers is not None:
		funds = funds.where(fund.dealer.isin(dealers))
		claims = claims.where(claim.dealer.isin(dealers))

	totals: dict[str, frappe._dict] = {}

	def row(dealer: str) -> frappe._dict:
		return totals.setdefault(
			dealer,
			frappe._dict(pending_requested=0.0, approved=0.0, claimed=0.0, pending_claims=0.0),
		)

	for dealer, status, requested, approved in funds.run():
		if status == PENDING:
			row(dealer).pending_requested += flt(requested)
		else:
			row(dealer).approved += flt(approved)
	for dealer, status, amount in claims.run():
		row(dealer)["claimed" if status == APPROVED else "pending_claims"] += flt(amount)

	# every dealer with funds, and every active one whose tier has a budget
	dealer_table = frappe.qb.DocType("Dealer")
	tier = frappe.qb.DocType("Dealer Tier")
	query = (
		frappe.qb.from_(dealer_table)
		.left_join(tier)
		.on(tier.name == dealer_table.dealer_tier)
		.select(
			dealer_table.name,
			dealer_table.dealer_name,
			dealer_table.dealer_tier,
			Coalesce(tier.mdf_annual_budget, 0),
		)
		.where(
			dealer_table.name.isin(list(totals) or [""])
			| ((dealer_table.status == "Active") & (Coalesce(tier.mdf_annual_budget, 0) > 0))
		)
		.orderby(dealer_table.lft)
	)
	if dealers is not None:
		query = query.where(dealer_table.name.isin(dealers))
	currency = frappe.get_cached_value("Company", filters.company, "default_currency")
	rows = []
	for name, dealer_name, dealer_tier, budget in query.run():
		values = row(name)
		rows.append(
			{
				"dealer": name,
				"dealer_name": dealer_name,
				"dealer_tier": dealer_tier,
				"budget": flt(budget),
				**values,
				"budget_left": flt(budget) - values.approved if flt(budget) else None,
				"unclaimed": values.approved - values.claimed,
				"currency": currency,
			}
		)
	return rows


def get_summary(rows: list[dict], filters) -> list[dict]:
	currency = frappe.get_cached_value("Company", filters.company, "default_currency")
	return [
		{
			"label": label,
			"value": sum(flt(r[field]) for r in rows),
			"datatype": "Currency",
			"currency": currency,
			"indicator": indicator,
		}
		for label, field, indicator in (
			(_("Budget"), "budget", "Blue"),
			(_("Approved"), "approved", "Green"),
			(_("Claimed"), "claimed", "Orange"),
		)
	]
