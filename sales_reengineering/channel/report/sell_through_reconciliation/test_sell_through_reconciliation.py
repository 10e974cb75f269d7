# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import today

from sales_reengineering.channel.report.sell_through_reconciliation.sell_through_reconciliation import execute
from sales_reengineering.exceptions import SalesReengineeringError
from sales_reengineering.tests.factories_channel import (
	make_dealer,
	make_item,
	make_sales_invoice,
	make_sell_through,
	make_website_user,
)
from sales_reengineering.tests.setup import TEST_COMPANY


class TestSellThroughReconciliation(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_compares_sell_in_with_sell_through(self):
		dealer = make_dealer("General Agent", territory="_Test SR Shanghai")
		other = make_dealer("General Agent", territory="_Test SR Beijing")
		item = make_item()
		make_sales_invoice(dealer.customer, 10000, item_code=item, qty=10)
		make_sales_invoice(other.customer, 500, item_code=item, qty=1)
		make_sell_through(
			dealer.name,
			items=[{"item_code": item, "qty": 4, "amount": 5000, "city": "上海", "stock_on_hand": 5}],
		)

		_columns, rows, _message, _chart, summary = execute(
			{
				"company": TEST_COMPANY,
				"from_date": today(),
				"to_date": today(),
				"territory": "_Test SR East",
				"item_code": item,
			}
		)
		self.assertEqual(len(rows), 1)
		row = rows[0]
		self.assertEqual((row.dealer, row.territory), (dealer.name, "_Test SR Shanghai"))
		self.assertEqual((row.sell_in_qty, row.sell_through_qty, row.estimated_stock), (10, 4, 6))
		self.assertEqual((row.sell_through_rate, row.reported_stock), (40, 5))
		self.assertEqual(summary[2]["value"], 6)

		_columns, rows, *_rest = execute(
			{"company": TEST_COMPANY, "from_date": today(), "to_date": today(), "dealer": other.name}
		)
		self.assertEqual([(r.dealer, r.sell_in_qty, r.sell_through_qty) for r in rows], [(other.name, 1, 0)])

	def test_needs_dates(self):
		with self.assertRaises(SalesReengineeringError):
			execute({"company": TEST_COMPANY, "to_date": today()})

	def test_requires_report_permission(self):
		frappe.set_user(make_website_user())
		with self.assertRaises(frappe.PermissionError):
			execute({"company": TEST_COMPANY, "from_date": today(), "to_date": today()})
