# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_months, get_first_day, today

from sales_reengineering.channel.report.channel_margin.channel_margin import execute
from sales_reengineering.exceptions import SalesReengineeringError
from sales_reengineering.tests.factories_channel import (
	make_dealer,
	make_item,
	make_sales_invoice,
	make_sell_through,
	make_website_user,
)
from sales_reengineering.tests.setup import TEST_COMPANY
from sales_reengineering.tests.utils import make_user

MONTH = str(get_first_day(add_months(today(), -1)))


def line(item: str, qty: float, rate: float) -> dict:
	return {"item_code": item, "qty": qty, "resale_rate": rate, "city": "北京"}


class TestChannelMargin(FrappeTestCase):
	def setUp(self):
		self.item, self.unreported, self.listed, self.direct = (make_item() for _ in range(4))
		self.agent = make_dealer("General Agent", territory="_Test SR North")
		self.beijing = make_dealer("Provincial Dealer", self.agent.name, territory="_Test SR Beijing")
		self.shanghai = make_dealer("Provincial Dealer", self.agent.name, territory="_Test SR Shanghai")
		# the company sells the general agent 10 at 100; the shanghai dealer buys one item directly at 90
		make_sales_invoice(self.agent.customer, 1000, MONTH, self.item, qty=10)
		make_sales_invoice(self.shanghai.customer, 180, MONTH, self.direct, qty=2)
		# the general agent resells to its provincial dealers at 130 (and the listed item at 60)
		make_sell_through(
			self.agent.name, period=MONTH, items=[line(self.item, 8, 130), line(self.listed, 3, 60)]
		)
		make_sell_through(
			self.beijing.name,
			period=MONTH,
			items=[line(self.item, 5, 160), line(self.unreported, 4, 50), line(self.listed, 3, 80)],
		)
		make_sell_through(
			self.shanghai.name, period=MONTH, items=[line(self.item, 2, 150), line(self.direct, 2, 120)]
		)
		# the listed item's company price comes from the default selling price list
		price_list = frappe.db.get_single_value("Selling Settings", "selling_price_list")
		if not price_list:
			from sales_reengineering.tests.factories_channel import make_price_list

			price_list = make_price_list()
			frappe.db.set_single_value("Selling Settings", "selling_price_list", price_list)
		frappe.get_doc(
			{
				"doctype": "Item Price",
				"item_code": self.listed,
				"price_list": price_list,
				"price_list_rate": 40,
				"valid_from": "2020-01-01",
			}
		).insert(ignore_permissions=True)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def run_report(self, **filters):
		return execute(
			{"company": TEST_COMPANY, "from_date": MONTH, "to_date": MONTH, "group_by": "Item", **filters}
		)

	def rows_by(self, rows):
		return {(row.item_code, row.province): row for row in rows}

	def test_each_level_keeps(self):
		_columns, rows, _message, chart, summary = self.run_report()
		rows = self.rows_by(rows)
		beijing = rows[(self.item, "_Test SR Beijing")]
		self.assertEqual(
			(beijing.qty, beijing.end_amount, beijing.company_amount, beijing.agent_margin),
			(5, 800, 500, 150),
		)
		self.assertEqual(beijing.dealer_margin, 150)
		self.assertEqual((beijing.company_rate, beijing.agent_rate, beijing.dealer_rate), (100, 130, 160))
		self.assertEqual(
			(beijing.company_percent, beijing.agent_percent, beijing.dealer_percent, beijing.channel_percent),
			(62.5, 18.75, 18.75, 37.5),
		)
		self.assertEqual(beijing.company_price_from, "Sell-In Invoices")
		shanghai = rows[(self.item, "_Test SR Shanghai")]
		self.assertEqual((shanghai.end_amount, shanghai.agent_margin, shanghai.dealer_margin), (300, 60, 40))

		# no price above the provincial dealer: counted apart, never guessed
		unreported = rows[(self.unreported, "_Test SR Beijing")]
		self.assertEqual((unreported.qty, unreported.qty_incomplete, unreported.end_amount), (0, 4, 0))
		# no sell-in in the period: the list price
		listed = rows[(self.listed, "_Test SR Beijing")]
		self.assertEqual((listed.company_amount, listed.agent_margin, listed.dealer_margin), (120, 60, 60))
		self.assertEqual(listed.company_price_from, "Price List")
		# bought from the company directly: the general agent kept nothing
		direct = rows[(self.direct, "_Test SR Shanghai")]
		self.assertEqual((direct.company_amount, direct.agent_margin, direct.dealer_margin), (180, 0, 60))

		self.assertEqual(summary[0]["value"], 800 + 300 + 240 + 240)
		self.assertTrue(chart)

	def test_by_item_group_and_province(self):
		group = frappe.db.get_value("Item", self.item, "item_group")
		rows = self.run_report(group_by="Item Group", province="_Test SR East")[1]
		self.assertEqual([(row.item_group, row.province) for row in rows], [(group, "_Test SR Shanghai")])
		self.assertEqual((rows[0].end_amount, rows[0].company_amount), (300 + 240, 200 + 180))
		self.assertIsNone(rows[0].item_code)
		rows = self.run_report(item_code=self.item, province="_Test SR North")[1]
		self.assertEqual([row.item_code for row in rows], [self.item])

	def test_bad_filters_are_refused(self):
		for filters in (
			{"company": None},
			{"from_date": None},
			{"group_by": "Colour"},
			{"province": "_Test SR Atlantis"},
		):
			with self.subTest(filters=filters), self.assertRaises(SalesReengineeringError):
				self.run_report(**filters)

	def test_managers_only(self):
		frappe.set_user(make_user("sr-margin-manager@sr-test.invalid", ["Channel Manager"]))
		self.assertTrue(self.run_report()[1])
		frappe.set_user("Administrator")
		frappe.set_user(make_user("sr-margin-sales-user@sr-test.invalid", ["Sales User"]))
		with self.assertRaises(frappe.PermissionError):
			self.run_report()
		frappe.set_user("Administrator")
		dealer_user = make_website_user()
		self.agent.append("portal_users", {"user": dealer_user})
		self.agent.save()
		frappe.set_user(dealer_user)
		with self.assertRaises(frappe.PermissionError):
			self.run_report()
