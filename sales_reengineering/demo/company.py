"""The accounting frame of the demo: ERPNext setup, the company, fiscal years, price list and VAT template.

On a fresh site (no Company) the ERPNext setup wizard is completed for S Company (China, CNY,
Asia/Shanghai, calendar fiscal year). On a site that already has companies the demo company is added
next to them as a plain Company document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import frappe
from frappe import _
from frappe.utils.nestedset import get_root_of

from sales_reengineering.demo import data
from sales_reengineering.exceptions import DemoDataError

CURRENCY = "CNY"
TIMEZONE = "Asia/Shanghai"
STANDARD_SELLING = "Standard Selling"


@dataclass
class CompanyInfo:
	name: str
	abbr: str
	price_list: str
	warehouse: str | None
	tax_template: str
	created: bool


def setup_site(company: str) -> bool:
	"""Complete the ERPNext setup wizard with `company` when the site has no company yet."""
	if frappe.db.a_row_exists("Company"):
		return False
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	year = date.today().year
	setup_complete(
		{
			"language": "english",
			"country": data.COUNTRY,
			"timezone": TIMEZONE,
			"currency": CURRENCY,
			"company_name": company,
			"company_abbr": company_abbr(company),
			"chart_of_accounts": "Standard",
			"fy_start_date": f"{year}-01-01",
			"fy_end_date": f"{year}-12-31",
			"company_tagline": "服务器 · 存储 · 网络 · 服务",
			"industry": "Computer",
		}
	)
	frappe.clear_cache()
	if not frappe.db.exists("Company", company):
		raise DemoDataError(_("The ERPNext setup wizard did not create the company {0}.").format(company))
	return True


def company_abbr(company: str) -> str:
	"""`S Company` -> `SC`; made unique among the site's companies."""
	abbr = "".join(word[0] for word in company.split()).upper()[:8] or "SC"
	candidate, number = abbr, 1
	while frappe.db.exists("Company", {"abbr": candidate, "name": ("!=", company)}):
		number += 1
		candidate = f"{abbr}{number}"
	return candidate


def ensure_company(company: str) -> bool:
	if frappe.db.exists("Company", company):
		currency = frappe.db.get_value("Company", company, "default_currency")
		if currency != CURRENCY:
			raise DemoDataError(
				_("Company {0} exists with currency {1}; the demo needs a {2} company.").format(
					company, currency, CURRENCY
				)
			)
		return False
	frappe.get_doc(
		{
			"doctype": "Company",
			"company_name": company,
			"abbr": company_abbr(company),
			"default_currency": CURRENCY,
			"country": data.COUNTRY,
			"create_chart_of_accounts_based_on": "Standard Template",
			"chart_of_accounts": "Standard",
			"enable_perpetual_inventory": 1,
		}
	).insert(ignore_permissions=True)
	return True


def ensure_fiscal_years(company: str, years: list[int]) -> int:
	"""A calendar fiscal year for each of `years` that applies to `company`; returns how many were added."""
	added = 0
	for year in years:
		start, end = date(year, 1, 1), date(year, 12, 31)
		covering = frappe.get_all(
			"Fiscal Year",
			filters={"year_start_date": ("<=", start), "year_end_date": (">=", end), "disabled": 0},
			pluck="name",
		)
		if any(_applies_to(name, company) for name in covering):
			continue
		if covering:
			fiscal_year = frappe.get_doc("Fiscal Year", covering[0])
			fiscal_year.append("companies", {"company": company})
			fiscal_year.save(ignore_permissions=True)
			continue
		name = str(year) if not frappe.db.exists("Fiscal Year", str(year)) else f"{year} {company}"
		try:
			frappe.get_doc(
				{"doctype": "Fiscal Year", "year": name, "year_start_date": start, "year_end_date": end}
			).insert(ignore_permissions=True)
		except frappe.ValidationError as error:
			raise DemoDataError(
				_("Cannot create the fiscal year {0} for {1}: {2}").format(year, company, error)
			) from error
		added += 1
	return added


def _applies_to(fiscal_year: str, company: str) -> bool:
	companies = frappe.get_all("Fiscal Year Company", filters={"parent": fiscal_year}, pluck="company")
	return not companies or company in companies


def ensure_price_list() -> str:
	"""`Standard Selling` when it is in CNY, otherwise a CNY selling price list of our own."""
	if frappe.db.get_value("Price List", STANDARD_SELLING, "currency") == CURRENCY:
		return STANDARD_SELLING
	name = f"{STANDARD_SELLING} {CURRENCY}"
	if not frappe.db.exists("Price List", name):
		frappe.get_doc(
			{
				"doctype": "Price List",
				"price_list_name": name,
				"currency": CURRENCY,
				"selling": 1,
				"buying": 0,
				"enabled": 1,
			}
		).insert(ignore_permissions=True)
	frappe.db.set_value("Currency", CURRENCY, "enabled", 1)
	return name


def default_warehouse(company: str) -> str | None:
	return frappe.db.get_value(
		"Warehouse", {"company": company, "is_group": 0, "warehouse_name": _("Stores")}
	) or frappe.db.get_value("Warehouse", {"company": company, "is_group": 0})


def ensure_vat_template(company: str) -> str:
	"""The company's default `VAT 13%` Sales Taxes and Charges Template."""
	name = frappe.db.get_value(
		"Sales Taxes and Charges Template", {"company": company, "title": data.VAT_TITLE}
	)
	if name:
		return name
	doc = frappe.get_doc(
		{
			"doctype": "Sales Taxes and Charges Template",
			"title": data.VAT_TITLE,
			"company": company,
			"is_default": 1,
			"taxes": [
				{
					"charge_type": "On Net Total",
					"account_head": vat_account(company),
					"description": data.VAT_DESCRIPTION,
					"rate": data.VAT_RATE,
					"cost_center": frappe.get_cached_value("Company", company, "cost_center"),
				}
			],
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def vat_account(company: str) -> str:
	account = frappe.db.get_value("Account", {"company": company, "account_name": "VAT", "is_group": 0})
	if account:
		return account
	parent = frappe.db.get_value(
		"Account", {"company": company, "account_type": "Tax", "is_group": 1}
	) or frappe.db.get_value("Account", {"company": company, "root_type": "Liability", "is_group": 1})
	doc = frappe.get_doc(
		{
			"doctype": "Account",
			"account_name": "VAT",
			"company": company,
			"parent_account": parent,
			"account_type": "Tax",
			"tax_rate": data.VAT_RATE,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def prepare_company(company: str) -> CompanyInfo:
	"""Everything transactions of `company` need, created when missing."""
	created = setup_site(company)
	created = ensure_company(company) or created
	return CompanyInfo(
		name=company,
		abbr=frappe.db.get_value("Company", company, "abbr"),
		price_list=ensure_price_list(),
		warehouse=default_warehouse(company),
		tax_template=ensure_vat_template(company),
		created=created,
	)


def tree_root(doctype: str) -> str:
	return get_root_of(doctype)
