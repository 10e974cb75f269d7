"""What a dealer bought, for its form: the net invoiced amount (returns deducted, company currency) of the
dealer's customer this quarter, last quarter and over the last twelve months, and how many submitted
orders and invoices that customer has, all of the company the dealer buys from
(`companies.dealer_company`) and in its currency: another company's invoices to the same customer are not
added. Everything goes through `frappe.get_list`, so a user sees the totals of the invoices and orders
they may read, and nothing of a doctype they may not."""

import frappe
from frappe.utils import add_days, add_months, getdate, today

from sales_reengineering.charts import quarter_bounds
from sales_reengineering.companies import company_currency, dealer_company


def _count(doctype: str, customer: str, company: str | None) -> int:
	rows = frappe.get_list(
		doctype,
		filters={"customer": customer, "company": company, "docstatus": 1},
		fields=["count(*) as count"],
	)
	return rows[0].count if rows else 0


@frappe.whitelist()
def get_dealer_purchases(dealer: str) -> dict:
	doc = frappe.get_doc("Dealer", dealer)
	doc.check_permission("read")
	company = dealer_company(doc.company)
	result = {"customer": doc.customer, "company": company, "currency": company_currency(company)}
	if not doc.customer:
		return result
	if frappe.has_permission("Sales Order", "read"):
		result["orders"] = _count("Sales Order", doc.customer, company)
	if not frappe.has_permission("Sales Invoice", "read"):
		return result
	this_first, this_last, _label = quarter_bounds()
	last_first, last_last, _label = quarter_bounds(add_months(this_first, -1))
	year_first = getdate(add_days(add_months(today(), -12), 1))
	# one customer's invoices of the last fifteen months at most
	invoices = frappe.get_list(
		"Sales Invoice",
		filters={
			"customer": doc.customer,
			"company": company,
			"docstatus": 1,
			"posting_date": ("between", [min(last_first, year_first), this_last]),
		},
		fields=["posting_date", "base_net_total"],
		limit_page_length=0,
	)

	def total(first, last):
		return sum(row.base_net_total for row in invoices if first <= getdate(row.posting_date) <= last)

	result.update(
		this_quarter=total(this_first, this_last),
		last_quarter=total(last_first, last_last),
		last_12_months=total(year_first, getdate(today())),
		invoices=_count("Sales Invoice", doc.customer, company),
	)
	return result
