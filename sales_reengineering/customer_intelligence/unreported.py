"""Unreported projects (problem 4): a large direct sale must have been reported as an Opportunity first.

Sales Reengineering Settings > *Require an Opportunity for Large Direct Sales*: a Quotation or Sales
Order (the doctypes the settings name) whose net total in company currency is above *Opportunity Required
Above* is refused **on submit** unless it comes from an opportunity. Saving a draft only warns: a draft is
work in progress (a salesperson may price a deal while the opportunity is being created), while a
submitted quotation or order is the commitment to the customer, the moment an unreported project would
become business the pipeline never saw.

- *Direct sales*: the customer is not a dealer's own customer (`Dealer.customer`, the one the company
  invoices when the dealer buys); a quotation to a Lead is direct. Sell-in to dealers is channel business,
  reported through deal registrations instead.
- *From an opportunity*: a Quotation names one (`Quotation.opportunity`, or an item made from one); a
  Sales Order has an item made from a submitted quotation that names one.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt, fmt_money

from sales_reengineering.exceptions import OpportunityRequiredError
from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
	get_settings,
)

DOCTYPES = ("Quotation", "Sales Order")
# Sales Reengineering Settings > Opportunity Required On -> the doctypes checked
APPLIES_TO = {
	"Quotation and Sales Order": DOCTYPES,
	"Quotation": ("Quotation",),
	"Sales Order": ("Sales Order",),
}


def get_rule() -> frappe._dict | None:
	"""The rule of the settings ({doctypes, threshold}), or None while it is off."""
	settings = get_settings()
	if not cint(settings.require_opportunity):
		return None
	return frappe._dict(
		doctypes=APPLIES_TO.get(settings.opportunity_required_for or "", DOCTYPES),
		threshold=flt(settings.opportunity_required_above),
	)


def get_customer(doc) -> str | None:
	if doc.doctype == "Quotation":
		return doc.party_name if doc.quotation_to == "Customer" else None
	return doc.customer


def is_dealer_customer(customer: str | None) -> bool:
	return bool(customer) and bool(frappe.db.exists("Dealer", {"customer": customer}))


def from_opportunity(doc) -> bool:
	"""Whether `doc` (a Quotation or Sales Order) was made from an opportunity (at most one query)."""
	if doc.doctype == "Quotation":
		return bool(doc.get("opportunity")) or any(
			row.get("prevdoc_doctype") == "Opportunity" and row.get("prevdoc_docname") for row in doc.items
		)
	quotations = list({row.prevdoc_docname for row in doc.items if row.get("prevdoc_docname")})
	if not quotations:
		return False
	return bool(
		frappe.get_all(
			"Quotation",
			filters={"name": ("in", quotations), "docstatus": 1, "opportunity": ("is", "set")},
			limit=1,
			pluck="name",
		)
	)


def needs_opportunity(doc) -> frappe._dict | None:
	"""The rule `doc` breaks, or None: off, another doctype, not above the amount, a dealer's customer
	or made from an opportunity."""
	rule = get_rule()
	if not rule or doc.doctype not in rule.doctypes:
		return None
	if flt(doc.base_net_total) <= rule.threshold:
		return None
	if is_dealer_customer(get_customer(doc)) or from_opportunity(doc):
		return None
	return rule


def message(doc, rule) -> str:
	currency = frappe.get_cached_value("Company", doc.company, "default_currency")
	amount, threshold = fmt_money(doc.base_net_total, currency=currency), fmt_money(rule.threshold, currency=currency)
	party = get_customer(doc) or doc.get("party_name") or ""
	if doc.doctype == "Quotation":
		how = _(
			"Create an Opportunity for {0} (or open the one the salesperson is working on) and make the "
			"quotation from it with Create > Quotation."
		).format(party)
	else:
		how = _(
			"Create an Opportunity for {0}, make a Quotation from it, submit the quotation and make this "
			"sales order from the quotation."
		).format(party)
	return _(
		"{0} {1} is a direct sale of {2}, above the {3} for which the project must first be reported as an "
		"opportunity."
	).format(_(doc.doctype), doc.name, amount, threshold) + " " + how


def warn_without_opportunity(doc, method=None) -> None:
	"""validate: a draft is saved, with a warning that it cannot be submitted as it is."""
	if doc.docstatus == 0 and (rule := needs_opportunity(doc)):
		frappe.msgprint(
			message(doc, rule), title=_("Opportunity Required"), indicator="orange", alert=False
		)


def require_opportunity(doc, method=None) -> None:
	"""before_submit: refuse a large direct sale that was not made from an opportunity."""
	if rule := needs_opportunity(doc):
		frappe.throw(message(doc, rule), OpportunityRequiredError, title=_("Opportunity Required"))
