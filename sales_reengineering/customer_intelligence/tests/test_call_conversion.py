"""A telesales call converts to a Quotation or a Sales Order (call_conversion)."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from sales_reengineering.customer_intelligence.call_conversion import make_quotation, make_sales_order
from sales_reengineering.exceptions import InvalidTelesalesCallError
from sales_reengineering.tests.factories_customer_intelligence import make_customer, make_user
from sales_reengineering.tests.factories_performance import make_item

CALL = "Telesales Call"


class TestCallConversion(FrappeTestCase):
	def setUp(self):
		self.agent = make_user("agent.one.ci@sr-test.invalid", ["Telesales Agent"])
		self.other_agent = make_user("agent.two.ci@sr-test.invalid", ["Telesales Agent"])
		self.customer = make_customer()
		self.item = make_item()
		self.call = self.make_call(self.agent)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def make_call(self, agent: str, customer: str | None = None) -> str:
		return (
			frappe.get_doc({"doctype": CALL, "customer": customer or self.customer, "agent": agent})
			.insert(ignore_permissions=True)
			.name
		)

	def test_agent_converts_own_call_to_a_quotation(self):
		frappe.set_user(self.agent)
		name = make_quotation(self.call, [{"item_code": self.item, "qty": 2, "rate": 450}])
		frappe.set_user("Administrator")
		quotation = frappe.get_doc("Quotation", name)
		self.assertEqual((quotation.docstatus, quotation.quotation_to, quotation.party_name), (0, "Customer", self.customer))
		self.assertEqual([(row.item_code, row.qty, row.rate) for row in quotation.items], [(self.item, 2, 450)])
		call = frappe.get_doc(CALL, self.call)
		self.assertEqual(
			(call.outcome, call.status, call.conversion_doctype, call.conversion_name, str(call.converted_on)),
			("Converted", "Completed", "Quotation", name, today()),
		)

	def test_sales_order_for_who_may_create_one(self):
		frappe.set_user(self.agent)  # a Telesales Agent drafts quotations, not orders
		with self.assertRaises(frappe.PermissionError):
			make_sales_order(self.call, [{"item_code": self.item, "qty": 1}])
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(CALL, self.call, "status"), "Open")
		delivery = add_days(today(), 3)
		name = make_sales_order(self.call, [{"item_code": self.item, "qty": 3, "rate": 100}], delivery)
		order = frappe.get_doc("Sales Order", name)
		self.assertEqual((order.customer, str(order.delivery_date), order.items[0].qty), (self.customer, delivery, 3))
		self.assertEqual(frappe.db.get_value(CALL, self.call, ["conversion_doctype", "conversion_name"]), ("Sales Order", name))

	def test_agent_cannot_convert_another_agents_call(self):
		theirs = self.make_call(self.other_agent, make_customer())
		frappe.set_user(self.agent)
		with self.assertRaises(frappe.PermissionError):
			make_quotation(theirs, [{"item_code": self.item, "qty": 1}])
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.get_value(CALL, theirs, "conversion_name"))

	def test_bad_conversions_are_refused_and_nothing_is_made(self):
		before = frappe.db.count("Quotation")
		cases = {
			"no items": [],
			"unknown item": [{"item_code": "_Test SR No Such Item", "qty": 1}],
			"zero quantity": [{"item_code": self.item, "qty": 0}],
			"negative rate": [{"item_code": self.item, "qty": 1, "rate": -5}],
		}
		for case, items in cases.items():
			with self.subTest(case=case), self.assertRaises(InvalidTelesalesCallError):
				make_quotation(self.call, items)
		with self.assertRaises(InvalidTelesalesCallError):
			make_sales_order(self.call, [{"item_code": self.item, "qty": 1}], add_days(today(), -1))
		self.assertEqual(frappe.db.count("Quotation"), before)
		self.assertEqual(frappe.db.get_value(CALL, self.call, "status"), "Open")

	def test_a_converted_call_is_not_converted_twice(self):
		make_quotation(self.call, [{"item_code": self.item, "qty": 1}])
		with self.assertRaises(InvalidTelesalesCallError):
			make_quotation(self.call, [{"item_code": self.item, "qty": 1}])

	def test_the_document_is_of_a_company_the_agent_may_use(self):
		# ERPNext gives an employee's user a User Permission on their company: a document of the site's
		# default company outside it would be refused to the agent ('linked to Company')
		from unittest.mock import patch

		from sales_reengineering.performance.test_multi_company import OTHER_COMPANY, make_other_company
		from sales_reengineering.tests.setup import TEST_COMPANY

		make_other_company()
		frappe.db.set_single_value("Global Defaults", "default_company", OTHER_COMPANY)
		frappe.get_doc(
			{"doctype": "User Permission", "user": self.agent, "allow": "Company", "for_value": TEST_COMPANY}
		).insert(ignore_permissions=True)
		frappe.set_user(self.agent)
		with patch("frappe.defaults.get_user_default", return_value=None):
			name = make_quotation(self.call, [{"item_code": self.item, "qty": 1, "rate": 100}])
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Quotation", name, "company"), TEST_COMPANY)
