"""The Company of a script report (issue 14, item 10).

ERPNext's selling documents (Quotation, Sales Order, Delivery Note, Sales Invoice, Payment Entry,
Opportunity) each belong to one company and carry their amounts in its currency. A report that adds up
amounts therefore needs one company (`required`): two companies' totals would add yuan to dollars. A
report that counts or lists documents takes the company as an optional filter. Either way the company
is checked against the user's User Permissions before anything says whether it exists, as every other
report filter is (`scope.user_permissions.check_filters`)."""

import frappe
from frappe import _

from sales_reengineering.exceptions import SalesReengineeringError
from sales_reengineering.scope import user_permissions


def report_company(filters: dict, reference_doctype: str, required: bool = False) -> str | None:
	"""The report's `company` filter, checked; None when it is empty and not `required`."""
	user_permissions.check_filters(filters, {"company": "Company"}, reference_doctype=reference_doctype)
	company = filters.get("company")
	if not company:
		if required:
			frappe.throw(
				_("Choose a Company: the amounts of different companies are in different currencies."),
				SalesReengineeringError,
				title=_("Company Required"),
			)
		return None
	if not frappe.db.exists("Company", company):
		frappe.throw(_("Company {0} does not exist.").format(company), SalesReengineeringError)
	return company


def of_company(query, table, company: str | None):
	"""`query` limited to the rows of `table` of `company` (unchanged without one)."""
	return query.where(table.company == company) if company else query
