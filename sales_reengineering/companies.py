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


def site_company() -> str | None:
	"""The site's default company (Global Defaults)."""
	return frappe.db.get_single_value("Global Defaults", "default_company") or None


def user_company(reference_doctype: str | None = None) -> str | None:
	"""The company a figure without a chosen one counts: the user's default company, else the site's
	unless the user's User Permissions on Company leave it out (ERPNext gives an employee's user one on
	their company): then their default permitted company, else the first."""
	from frappe.permissions import get_user_permissions

	company = frappe.defaults.get_user_default("Company")
	if company:
		return company
	site = site_company()
	permitted = [
		row
		for row in get_user_permissions(frappe.session.user).get("Company", [])
		if not row.get("applicable_for") or row.get("applicable_for") == reference_doctype
	]
	if not permitted or site in {row.get("doc") for row in permitted}:
		return site
	return next((row.get("doc") for row in permitted if row.get("is_default")), permitted[0].get("doc"))


def chart_company(filters: str | dict | None, reference_doctype: str) -> str | None:
	"""The company of a dashboard chart or number card: its `company` filter, checked against the
	user's User Permissions, else `user_company`."""
	filters = frappe.parse_json(filters) if isinstance(filters, str) else (filters or {})
	if isinstance(filters, list):  # a number card's filters are a list of conditions; none name a company
		filters = {}
	if filters.get("company"):
		return report_company(frappe._dict(company=filters["company"]), reference_doctype)
	return user_company(reference_doctype)


def dealer_company(company: str | None) -> str | None:
	"""The company a dealer buys from: its own `company`, else the site's default company."""
	return company or site_company()


def company_currency(company: str | None) -> str | None:
	if company:
		return frappe.get_cached_value("Company", company, "default_currency")
	return frappe.db.get_default("currency")
