# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, today

from sales_reengineering.customer_intelligence.report.customer_transaction_history.customer_transaction_history import (
	execute,
)
from sales_reengineering.exceptions import ContractMismatchError, CustomerIntelligenceError
from sales_reengineering.tests.factories_customer_intelligence import make_customer, make_team
from sales_reengineering.tests.setup import TEST_COMPANY

ITEM = "_Test SR Service"


def make_item() -> str:
	if not frappe.db.exists("Item", ITEM):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": ITEM,
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	return ITEM


def make_contract(customer: str, value: float = 50000, **kwargs) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Contract",
				"party_type": "Customer",
				"party_name": customer,
				"start_date": kwargs.pop("start_date", add_days(today(), -30)),
				"end_date": kwargs.pop("end_date", add_months(today(), 11)),
				"sr_contract_value": value,
				"contract_terms": "Support for three years.",
				**kwargs,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_invoice(customer: str, rate: float, **kwargs):
	return frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": customer,
			"company": TEST_COMPANY,
			"currency": "CNY",
			"posting_date": kwargs.pop("posting_date", today()),
			"set_posting_time": 1,
			"due_date": today(),
			"items": [{"item_code": make_item(), "qty": 1, "rate": rate}],
			**kwargs,
		}
	).insert(ignore_permissions=True)


def make_quotation(customer: str, rate: float):
	return frappe.get_doc(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": customer,
			"company": TEST_COMPANY,
			"currency": "CNY",
			"transaction_date": add_days(today(), -10),
			"items": [{"item_code": make_item(), "qty": 2, "rate": rate}],
		}
	).insert(ignore_permissions=True)


class TestCustomerTransactionHistory(FrappeTestCase):
	def setUp(self):
		self.team = make_team()
		self.customer = make_customer(self.team.rep_a)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_history_lists_every_document_type_newest_first(self):
		contract = make_contract(self.customer)
		quotation = make_quotation(self.customer, 300)
		invoice = make_invoice(self.customer, 1000, sr_contract=contract)
		old_invoice = make_invoice(self.customer, 400, posting_date=add_days(today(), -400))
		make_invoice(make_customer(self.team.rep_a), 999)  # another customer's

		_columns, data, _message, chart, summary = execute({"customer": self.customer})
		documents = [(row.document_type, row.document) for row in data]
		self.assertEqual(
			documents,
			[
				("Sales Invoice", invoice.name),
				("Quotation", quotation.name),
				("Contract", contract),
				("Sales Invoice", old_invoice.name),
			],
		)
		by_name = {row.document: row for row in data}
		self.assertEqual(by_name[invoice.name].contract, contract)
		self.assertEqual(by_name[contract].amount, 50000)
		self.assertEqual(by_name[quotation.name].amount, 600)
		self.assertEqual(summary[1]["value"], 1400)
		self.assertEqual(sum(chart["data"]["datasets"][0]["values"]), 1400)

		_columns, data, *_rest = execute(
			{
				"customer": self.customer,
				"from_date": add_days(today(), -100),
				"document_types": ["Sales Invoice"],
			}
		)
		self.assertEqual([row.document for row in data], [invoice.name])

	def test_invoice_cannot_name_another_customers_contract(self):
		other_contract = make_contract(make_customer(self.team.rep_a))
		with self.assertRaises(ContractMismatchError):
			make_invoice(self.customer, 100, sr_contract=other_contract)

	def test_bad_filters_are_rejected(self):
		for filters in (
			{},
			{"customer": self.customer, "document_types": ["Delivery Note"]},
			{"customer": self.customer, "from_date": today(), "to_date": add_days(today(), -1)},
		):
			with self.subTest(filters=filters), self.assertRaises(CustomerIntelligenceError):
				execute(filters)
		# a missing customer gets the answer of a forbidden one
		with self.assertRaises(frappe.PermissionError):
			execute({"customer": "No Such Customer"})

	def test_only_users_who_may_read_the_customer(self):
		make_contract(self.customer)
		frappe.set_user(self.team.rep_b_user)
		with self.assertRaises(frappe.PermissionError):
			execute({"customer": self.customer})
		frappe.set_user(self.team.rep_a_user)
		_columns, data, *_rest = execute({"customer": self.customer})
		# Sales Users read the contracts of the customers they may see (setup/roles.py)
		self.assertEqual([row.document_type for row in data], ["Contract"])
		frappe.set_user(self.team.manager_user)  # the rep's manager sees the team's customers
		self.assertEqual([row.document_type for row in execute({"customer": self.customer})[1]], ["Contract"])
