# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, get_first_day, today

from sales_reengineering.channel.report.dealer_performance.dealer_performance import execute
from sales_reengineering.exceptions import SalesReengineeringError
from sales_reengineering.tests.factories_channel import (
	approve,
	make_dealer,
	make_registration,
	make_sales_invoice,
	make_sell_through,
	make_tier,
	make_website_user,
)
from sales_reengineering.tests.setup import TEST_COMPANY


class TestDealerPerformance(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_rolls_up_the_tree(self):
		start = get_first_day(today())
		tier = make_tier(min_quarterly_purchase=91310)  # a quarter of 365.25 / 4 days
		agent = make_dealer("General Agent", dealer_tier=tier)
		provincial = make_dealer("Provincial Dealer", agent.name)
		other = make_dealer("General Agent")
		make_sales_invoice(agent.customer, 1000, start)
		make_sales_invoice(provincial.customer, 500, start)
		make_sales_invoice(provincial.customer, 250, add_days(start, -1))  # previous period
		make_sales_invoice(other.customer, 7000, start)
		make_sell_through(provincial.name, period=start)
		approve(make_registration(provincial.name).name)
		apply_workflow(frappe.get_doc("Deal Registration", make_registration(agent.name).name), "Reject")

		filters = {"company": TEST_COMPANY, "from_date": start, "to_date": today(), "dealer": agent.name}
		_columns, rows, _message, _chart, summary = execute(filters)
		by_dealer = {row.dealer: row for row in rows}
		self.assertEqual(set(by_dealer), {agent.name, provincial.name})
		self.assertEqual((by_dealer[provincial.name].sell_in, by_dealer[agent.name].sell_in), (500, 1500))
		self.assertEqual(by_dealer[agent.name].previous_sell_in, 250)
		self.assertEqual(by_dealer[agent.name].growth, 500)
		self.assertEqual(by_dealer[agent.name].sell_through, 2000)
		self.assertEqual((by_dealer[agent.name].won, by_dealer[agent.name].lost), (1, 1))
		self.assertEqual((by_dealer[provincial.name].won, by_dealer[provincial.name].lost), (1, 0))
		self.assertEqual(by_dealer[provincial.name].indent, 1)
		self.assertEqual(by_dealer[provincial.name].parent_dealer, agent.name)
		self.assertGreater(by_dealer[agent.name].target, 0)
		self.assertEqual(summary[0]["value"], 1500)

	def test_filters_are_validated(self):
		with self.assertRaises(SalesReengineeringError):
			execute({"company": TEST_COMPANY, "from_date": today()})
		with self.assertRaises(SalesReengineeringError):
			execute({"company": TEST_COMPANY, "from_date": today(), "to_date": add_days(today(), -1)})

	def test_requires_report_permission(self):
		frappe.set_user(make_website_user())
		with self.assertRaises(frappe.PermissionError):
			execute({"company": TEST_COMPANY, "from_date": today(), "to_date": today()})
