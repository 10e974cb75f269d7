# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.desk.notifications import get_open_count
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from sales_reengineering.customer_intelligence.contract import get_contract_dashboard
from sales_reengineering.customer_intelligence.report.customer_transaction_history.test_customer_transaction_history import (
	make_contract,
	make_invoice,
)
from sales_reengineering.exceptions import InvalidContractError
from sales_reengineering.tests.factories_customer_intelligence import make_customer, make_sales_document


class TestContract(FrappeTestCase):
	def setUp(self):
		self.customer = make_customer()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_value_and_renewal_date_are_checked(self):
		start = add_days(today(), -30)
		cases = {
			"negative value": dict(value=-1),
			"renewal before start": dict(start_date=start, sr_renewal_date=add_days(start, -1)),
		}
		for label, case in cases.items():
			with self.subTest(label), self.assertRaises(InvalidContractError):
				make_contract(self.customer, case.pop("value", 100), **case)
		self.assertFalse(frappe.db.exists("Contract", {"party_name": self.customer}))

		# a free contract renewed on its first day is fine
		name = make_contract(self.customer, 0, start_date=start, sr_renewal_date=start)
		doc = frappe.get_doc("Contract", name)
		doc.sr_contract_value = -5
		with self.assertRaises(InvalidContractError):
			doc.save(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("Contract", name, "sr_contract_value"), 0)

	def test_form_lists_the_contract_orders_and_invoices(self):
		data = frappe.get_meta("Contract").get_dashboard_data()
		items = [doctype for group in data.transactions for doctype in group["items"]]
		self.assertIn("Sales Order", items)
		self.assertIn("Sales Invoice", items)

		contract = make_contract(self.customer)
		other = make_contract(self.customer)
		make_sales_document("Sales Order", self.customer, sr_contract=contract)
		for _ in range(2):
			make_invoice(self.customer, 100, sr_contract=contract)
		make_invoice(self.customer, 100, sr_contract=other)
		make_invoice(self.customer, 100)

		found = get_open_count("Contract", contract)["count"]["external_links_found"]
		counts = {row["doctype"]: row["count"] for row in found}
		self.assertEqual((counts["Sales Order"], counts["Sales Invoice"]), (1, 2))

	def test_dashboard_extends_erpnext_data_without_duplicates(self):
		data = get_contract_dashboard(
			{"fieldname": "contract", "transactions": [{"label": "Sales", "items": ["Sales Order"]}]}
		)
		self.assertEqual(data.fieldname, "contract")
		self.assertEqual(data.non_standard_fieldnames["Sales Invoice"], "sr_contract")
		self.assertEqual(data.non_standard_fieldnames["Sales Order"], "sr_contract")
		items = [doctype for group in data.transactions for doctype in group["items"]]
		self.assertEqual(sorted(items), ["Sales Invoice", "Sales Order"])
