"""Contracts: a Sales Order or Sales Invoice may name the customer's Contract it fulfils."""

import frappe
from frappe import _

from sales_reengineering.exceptions import ContractMismatchError


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
