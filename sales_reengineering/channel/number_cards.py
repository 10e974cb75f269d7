"""Number cards of the channel manager's desk that no single-doctype card can count."""

import frappe

from sales_reengineering.charts import quarter_bounds
from sales_reengineering.companies import chart_company


@frappe.whitelist()
def dealer_purchases_this_quarter(filters: str | dict | None = None) -> dict:
	"""What the dealers the user may see bought this quarter: the net invoiced amount (returns deducted,
	company currency) of their customers, in two queries. One company's invoices: the user's default company
	(`companies.user_company`), as two companies' amounts are in different currencies."""
	customers = frappe.get_list(
		"Dealer", filters={"customer": ("is", "set")}, pluck="customer", limit_page_length=0
	)
	if not customers:
		return {"value": 0, "fieldtype": "Currency"}
	company = chart_company(filters, "Sales Invoice")
	first, last, _label = quarter_bounds()
	rows = frappe.get_list(
		"Sales Invoice",
		filters={
			"docstatus": 1,
			"company": company,
			"posting_date": ("between", [first, last]),
			"customer": ("in", sorted(set(customers))),
		},
		fields=["sum(base_net_total) as amount"],
		limit_page_length=0,
	)
	return {"value": (rows[0].amount if rows else 0) or 0, "fieldtype": "Currency"}
