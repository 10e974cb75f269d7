"""Contracts: a Sales Order or Sales Invoice may name the customer's Contract it fulfils (`sr_contract`);
the Contract form lists them, and its value and renewal date are checked."""

import frappe
from frappe import _
from frappe.utils import flt, getdate

from sales_reengineering.exceptions import ContractMismatchError, InvalidContractError

# the documents that name a contract in their `sr_contract` field (setup/custom_fields.py)
CONTRACT_DOCUMENTS = ("Sales Order", "Sales Invoice")


def validate_contract_party(doc, method=None) -> None:
	"""validate of Sales Order / Sales Invoice: the linked contract must be this customer's."""
	if not doc.get("sr_contract"):
		return
	party_type, party = frappe.db.get_value("Contract", doc.sr_contract, ["party_type", "party_name"]) or (
		None,
		None,
	)
	if party_type != "Customer" or party != doc.customer:
		frappe.throw(
			_("Contract {0} is not a contract of customer {1}.").format(
				frappe.bold(doc.sr_contract), frappe.bold(doc.customer)
			),
			ContractMismatchError,
		)


def validate_contract(doc, method=None) -> None:
	"""validate of Contract: a value is not negative, and a renewal comes after the contract starts."""
	if flt(doc.get("sr_contract_value")) < 0:
		frappe.throw(
			_("Contract Value cannot be negative: {0}.").format(doc.sr_contract_value),
			InvalidContractError,
			title=_("Invalid Contract"),
		)
	renewal = doc.get("sr_renewal_date")
	if renewal and doc.start_date and getdate(renewal) < getdate(doc.start_date):
		frappe.throw(
			_("Renewal Date {0} cannot be before the contract's Start Date {1}.").format(
				frappe.format(renewal, "Date"), frappe.format(doc.start_date, "Date")
			),
			InvalidContractError,
			title=_("Invalid Contract"),
		)


def get_contract_dashboard(data: dict | None = None) -> dict:
	"""override_doctype_dashboards for Contract: ERPNext's links plus the Sales Orders and Sales
	Invoices that name the contract, with their counts."""
	data = frappe._dict(data or {})
	data.setdefault("fieldname", "sr_contract")
	if data.fieldname != "sr_contract":
		data.setdefault("non_standard_fieldnames", {})
		for doctype in CONTRACT_DOCUMENTS:
			data.non_standard_fieldnames[doctype] = "sr_contract"
	transactions = data.setdefault("transactions", [])
	listed = {doctype for group in transactions for doctype in group.get("items", [])}
	if missing := [doctype for doctype in CONTRACT_DOCUMENTS if doctype not in listed]:
		transactions.append({"label": _("Orders and Invoices"), "items": missing})
	return data
