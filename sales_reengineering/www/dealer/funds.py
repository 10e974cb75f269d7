import frappe
from frappe import _
from frappe.utils import flt

from sales_reengineering.channel.mdf import current_fiscal_year, get_claims, get_funds
from sales_reengineering.channel.portal import get_portal_dealer
from sales_reengineering.channel.portal_messages import js_messages
from sales_reengineering.companies import company_currency, dealer_company

no_cache = 1


def get_context(context):
	dealer = get_portal_dealer()
	context.dealer = dealer
	context.funds = get_funds()
	context.claims = get_claims()
	# the amounts in their fund's company currency (a dealer's funds may be of another company than the
	# site's default, whose currency frappe.format would show)
	companies = dict(
		frappe.get_all(
			"Market Development Fund",
			filters={
				"name": ("in", [row.name for row in context.funds] + [row.fund for row in context.claims])
			},
			fields=["name", "company"],
			as_list=True,
		)
	)
	for row in context.funds:
		row.currency = company_currency(companies.get(row.name))
	for row in context.claims:
		row.currency = company_currency(companies.get(row.fund))
	# the dealer's own approved funds with something left to claim
	context.claimable = [
		fund
		for fund in context.funds
		if fund.dealer == dealer
		and fund.status == "Approved"
		and flt(fund.approved_amount) > flt(fund.claimed_amount)
	]
	context.fiscal_year = current_fiscal_year(
		dealer_company(frappe.db.get_value("Dealer", dealer, "company"))
	)
	context.fiscal_years = frappe.get_all(
		"Fiscal Year", filters={"disabled": 0}, pluck="name", order_by="year_start_date desc", limit=3
	)
	context.title = _("Market Development Funds")
	context.show_sidebar = True
	context.js_messages = js_messages("funds.html")
	return context
