# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_months, get_first_day, getdate, today

from sales_reengineering.exceptions import SellThroughError
from sales_reengineering.tests.factories_channel import make_dealer, make_item, make_sell_through


class TestSellThroughReport(FrappeTestCase):
	def setUp(self):
		self.dealer = make_dealer("General Agent").name

	def tearDown(self):
		frappe.db.rollback()

	def test_totals_and_month(self):
		doc = make_sell_through(
			self.dealer,
			period=today(),
			items=[
				{"item_code": make_item(), "qty": 2, "amount": 100, "city": "北京"},
				{"item_code": make_item(), "qty": 3, "amount": 50, "end_customer": "某大学"},
			],
		)
		self.assertEqual(getdate(doc.period), get_first_day(today()))
		self.assertEqual((doc.total_qty, doc.total_amount), (5, 150))
		self.assertEqual(doc.docstatus, 1)

	def test_rejects_bad_reports(self):
		item = make_item()
		cases = {
			"future month": {"period": add_months(today(), 1)},
			"no rows": {"items": []},
			"zero quantity": {"items": [{"item_code": item, "qty": 0, "city": "北京"}]},
			"no customer or city": {"items": [{"item_code": item, "qty": 1}]},
		}
		for label, values in cases.items():
			with self.subTest(label), self.assertRaises(SellThroughError):
				make_sell_through(self.dealer, **values)
		self.assertFalse(frappe.db.exists("Sell Through Report", {"dealer": self.dealer}))

	def test_resale_rate_and_amount_complete_each_other(self):
		item = make_item()
		doc = make_sell_through(
			self.dealer,
			items=[
				{"item_code": item, "qty": 4, "resale_rate": 250, "city": "北京"},
				{"item_code": item, "qty": 2, "amount": 300, "city": "天津"},
				{"item_code": item, "qty": 1, "resale_rate": 90, "amount": 100, "city": "上海"},
			],
		)
		self.assertEqual(
			[(row.resale_rate, row.amount) for row in doc.items], [(250, 1000), (150, 300), (90, 100)]
		)
		self.assertEqual(doc.total_amount, 1400)

	def test_negative_resale_rate_is_refused(self):
		with self.assertRaises(frappe.ValidationError):
			make_sell_through(
				self.dealer, items=[{"item_code": make_item(), "qty": 1, "resale_rate": -5, "city": "北京"}]
			)
		self.assertFalse(frappe.db.exists("Sell Through Report", {"dealer": self.dealer}))

	def test_one_report_per_dealer_and_month(self):
		first = make_sell_through(self.dealer)
		with self.assertRaises(SellThroughError):
			make_sell_through(self.dealer)
		first.cancel()
		amended = frappe.copy_doc(first)
		amended.amended_from = first.name
		amended.docstatus = 0
		amended.insert()
		self.assertEqual(amended.period, first.period)
