# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import PriceBelowFloorError, PriceExceptionError
from sales_reengineering.tests.factories_channel import make_customer, make_item, make_policy, make_quotation
from sales_reengineering.tests.utils import make_user


class TestChannelPriceException(FrappeTestCase):
	def setUp(self):
		self.item = make_item()
		self.customer = make_customer()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_approved_exception_lets_it_through(self):
		make_policy(item_code=self.item, floor_price=900)
		quotation = make_quotation(self.customer, [{"item_code": self.item, "qty": 1, "rate": 800}])
		exception = frappe.get_doc(
			{
				"doctype": "Channel Price Exception",
				"reference_doctype": "Quotation",
				"reference_name": quotation.name,
				"item_code": self.item,
				"approved_rate": 850,
				"reason": "Competitive tender",
			}
		).insert()
		self.assertEqual(exception.floor_rate, 900)
		self.assertEqual(exception.customer, self.customer)

		exception.submit()
		self.assertEqual(exception.approved_by, "Administrator")
		with self.assertRaises(PriceBelowFloorError, msg="850 approved does not cover 800"):
			quotation.reload().submit()

		exception.cancel()
		lower = frappe.copy_doc(exception)
		lower.amended_from = exception.name
		lower.docstatus = 0
		lower.approved_rate = 800
		lower.insert().submit()
		quotation.reload().submit()
		self.assertEqual(quotation.docstatus, 1)

	def test_only_sales_manager_approves_exceptions(self):
		make_policy(item_code=self.item, floor_price=900)
		quotation = make_quotation(self.customer, [{"item_code": self.item, "qty": 1, "rate": 800}])
		exception = frappe.get_doc(
			{
				"doctype": "Channel Price Exception",
				"reference_doctype": "Quotation",
				"reference_name": quotation.name,
				"item_code": self.item,
				"approved_rate": 800,
				"reason": "Please",
			}
		).insert()
		frappe.set_user(make_user("sr-channel-sales-user@sr-test.invalid", ["Sales User"]))
		exception = frappe.get_doc("Channel Price Exception", exception.name)
		with self.assertRaises(frappe.PermissionError):
			exception.submit()
		with self.assertRaises(PriceExceptionError):
			exception.validate_approver()

	def test_exception_must_match_the_document(self):
		quotation = make_quotation(self.customer, [{"item_code": self.item, "qty": 1, "rate": 800}])
		with self.assertRaises(PriceExceptionError):
			frappe.get_doc(
				{
					"doctype": "Channel Price Exception",
					"reference_doctype": "Quotation",
					"reference_name": quotation.name,
					"item_code": make_item(),
					"approved_rate": 800,
					"reason": "Wrong item",
				}
			).insert()

	def test_quotation_exception_carries_to_its_sales_order(self):
		from erpnext.selling.doctype.quotation.quotation import make_sales_order
		from frappe.utils import add_days, today

		make_policy(item_code=self.item, floor_price=900)
		quotation = make_quotation(self.customer, [{"item_code": self.item, "qty": 1, "rate": 800}])
		frappe.get_doc(
			{
				"doctype": "Channel Price Exception",
				"reference_doctype": "Quotation",
				"reference_name": quotation.name,
				"item_code": self.item,
				"approved_rate": 800,
				"reason": "Tender",
			}
		).insert().submit()
		quotation.reload().submit()

		order = make_sales_order(quotation.name)
		order.delivery_date = add_days(today(), 10)
		for row in order.items:
			row.delivery_date = order.delivery_date
			row.rate = 700
		order.insert()
		with self.assertRaises(PriceBelowFloorError, msg="below the rate approved on the quotation"):
			order.submit()

		order.reload()
		order.items[0].rate = 800
		order.save()
		order.submit()
		self.assertEqual(order.docstatus, 1)
