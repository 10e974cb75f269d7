# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_months, get_first_day, today

from sales_reengineering.channel.report.terminal_price_spread.terminal_price_spread import execute
from sales_reengineering.exceptions import SalesReengineeringError
from sales_reengineering.tests.factories_channel import (
	make_dealer,
	make_item,
	make_policy,
	make_price_list,
	make_sell_through,
	make_website_user,
)
from sales_reengineering.tests.utils import make_user

SETTINGS = "Sales Reengineering Settings"
MONTH = str(get_first_day(add_months(today(), -1)))


def set_item_price(item: str, rate: float) -> None:
	frappe.get_doc(
		{
			"doctype": "Item Price",
			"item_code": item,
			"price_list": make_price_list(),
			"price_list_rate": rate,
			"valid_from": "2020-01-01",
		}
	).insert(ignore_permissions=True)


class TestTerminalPriceSpread(FrappeTestCase):
	def setUp(self):
		frappe.db.set_single_value(
			SETTINGS,
			{
				"price_war_spread_percent": 15,
				"price_war_undercut_percent": 10,
				"retail_price_list": make_price_list(),
			},
		)
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		self.item = make_item()
		set_item_price(self.item, 100)
		agent = make_dealer("General Agent").name
		self.beijing_a = make_dealer("Provincial Dealer", agent, territory="_Test SR Beijing").name
		self.beijing_b = make_dealer("Provincial Dealer", agent, territory="_Test SR Beijing").name
		self.shanghai = make_dealer("Provincial Dealer", agent, territory="_Test SR Shanghai").name
		self.report(self.beijing_a, [(2, 100), (1, 95)])
		self.report(self.beijing_b, [(1, 80)])
		self.report(self.shanghai, [(4, 99)])

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.clear_document_cache(SETTINGS, SETTINGS)

	def report(self, dealer: str, lines: list[tuple]) -> None:
		make_sell_through(
			dealer,
			period=MONTH,
			items=[
				{"item_code": self.item, "qty": qty, "resale_rate": rate, "city": "北京"} for qty, rate in lines
			]
			# a line without a price says nothing about price
			+ [{"item_code": self.item, "qty": 5, "city": "北京"}],
		)

	def run_report(self, **filters):
		return execute({"from_date": MONTH, "to_date": MONTH, "item_code": self.item, **filters})

	def test_region_spread_and_undercut_flag_a_price_war(self):
		_columns, rows, message, chart, summary = self.run_report()
		by_region = {row.territory: row for row in rows}
		beijing = by_region["_Test SR Beijing"]
		self.assertEqual(
			(beijing.dealers, beijing.qty, beijing.min_rate, beijing.max_rate, beijing.lowest_dealer),
			(2, 4, 80, 100, self.beijing_b),
		)
		self.assertAlmostEqual(beijing.avg_rate, (200 + 95 + 80) / 4)
		self.assertAlmostEqual(beijing.spread_percent, 20)
		self.assertEqual((beijing.reference_rate, beijing.undercut_percent, beijing.price_war), (100, 20, 1))
		shanghai = by_region["_Test SR Shanghai"]
		self.assertEqual((shanghai.dealers, shanghai.spread_percent, shanghai.price_war), (1, 0, 0))
		self.assertAlmostEqual(shanghai.undercut_percent, 1)
		self.assertEqual([row.territory for row in rows][0], "_Test SR Beijing", "price wars first")
		self.assertIn("15", message)
		self.assertEqual(summary[1]["value"], 1)
		self.assertTrue(chart)

		rows = self.run_report(price_wars_only=1)[1]
		self.assertEqual([row.territory for row in rows], ["_Test SR Beijing"])
		rows = self.run_report(territory="_Test SR East")[1]
		self.assertEqual([row.territory for row in rows], ["_Test SR Shanghai"])

	def test_thresholds_come_from_the_settings(self):
		frappe.db.set_single_value(SETTINGS, {"price_war_spread_percent": 25, "price_war_undercut_percent": 30})
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		rows = self.run_report()[1]
		self.assertFalse(any(row.price_war for row in rows))

	def test_by_dealer(self):
		rows = self.run_report(group_by="Dealer", territory="_Test SR Beijing")[1]
		by_dealer = {row.dealer: row for row in rows}
		self.assertEqual(set(by_dealer), {self.beijing_a, self.beijing_b})
		a, b = by_dealer[self.beijing_a], by_dealer[self.beijing_b]
		self.assertEqual((a.min_rate, a.max_rate, a.qty), (95, 100, 3))
		self.assertAlmostEqual(a.spread_percent, 5)
		self.assertAlmostEqual(a.region_spread_percent, 20)
		self.assertEqual((b.undercut_percent, b.price_war), (20, 1))

	def test_floor_is_the_reference_without_a_retail_price(self):
		item = make_item()
		make_policy(item_code=item, floor_price=200)
		make_sell_through(
			self.shanghai,
			period=str(get_first_day(add_months(today(), -2))),
			items=[{"item_code": item, "qty": 1, "resale_rate": 150, "city": "上海"}],
		)
		rows = execute(
			{"from_date": add_months(today(), -2), "to_date": today(), "item_code": item}
		)[1]
		self.assertEqual(
			[(row.reference_rate, row.undercut_percent, row.price_war) for row in rows], [(200, 25, 1)]
		)

	def test_bad_filters_are_refused(self):
		for filters in (
			{"to_date": MONTH},
			{"from_date": MONTH, "to_date": add_months(MONTH, -2)},
			{"from_date": MONTH, "to_date": MONTH, "group_by": "Planet"},
			{"from_date": MONTH, "to_date": MONTH, "territory": "_Test SR Atlantis"},
		):
			with self.subTest(filters=filters), self.assertRaises(SalesReengineeringError):
				execute(filters)

	def test_who_runs_it(self):
		frappe.set_user(make_user("sr-spread-sales-user@sr-test.invalid", ["Sales User"]))
		self.assertTrue(self.run_report()[1])
		dealer_user = make_website_user()
		frappe.set_user("Administrator")
		dealer = frappe.get_doc("Dealer", self.beijing_a)
		dealer.append("portal_users", {"user": dealer_user})
		dealer.save()
		frappe.set_user(dealer_user)
		with self.assertRaises(frappe.PermissionError):
			self.run_report()
