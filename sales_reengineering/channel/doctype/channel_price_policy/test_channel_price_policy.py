# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from sales_reengineering.channel.pricing import get_channel_level, get_price_violations
from sales_reengineering.exceptions import ChannelPricePolicyError, PriceBelowFloorError
from sales_reengineering.tests.factories_channel import (
	make_customer,
	make_dealer,
	make_item,
	make_policy,
	make_quotation,
)


class TestChannelPricePolicy(FrappeTestCase):
	def setUp(self):
		self.item = make_item()
		self.customer = make_customer()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_invalid_policies(self):
		group = frappe.db.get_value("Item", self.item, "item_group")
		cases = {
			"item and group": {"item_code": self.item, "item_group": group, "floor_price": 10},
			"neither": {"floor_price": 10},
			"no floor": {"item_code": self.item, "floor_price": 0},
			"discount 100%": {"item_code": self.item, "policy_type": "Maximum Discount", "max_discount": 100},
			"dates reversed": {
				"item_code": self.item,
				"floor_price": 10,
				"valid_from": today(),
				"valid_to": add_days(today(), -1),
			},
		}
		for label, values in cases.items():
			with self.subTest(label), self.assertRaises(ChannelPricePolicyError):
				make_policy(**values)

	def test_overlapping_policies(self):
		make_policy(item_code=self.item, floor_price=900, valid_to=add_days(today(), 10))
		with self.assertRaises(ChannelPricePolicyError):
			make_policy(item_code=self.item, floor_price=800, valid_from=add_days(today(), 5))
		# another level, a later period or a disabled policy do not overlap
		make_policy(item_code=self.item, floor_price=800, channel_level="General Agent")
		make_policy(item_code=self.item, floor_price=800, valid_from=add_days(today(), 11))
		make_policy(item_code=self.item, floor_price=800, enabled=0)

	def test_channel_level_of_customer(self):
		dealer = make_dealer("General Agent")
		self.assertEqual(get_channel_level(dealer.customer), "General Agent")
		self.assertEqual(get_channel_level(self.customer), "Direct")
		self.assertEqual(get_channel_level(None), "Direct")

	def test_quotation_below_floor_is_blocked_on_submit(self):
		make_policy(item_code=self.item, floor_price=900)
		quotation = make_quotation(self.customer, [{"item_code": self.item, "qty": 2, "rate": 800}])
		self.assertEqual(quotation.docstatus, 0, "a draft below the floor is saved")
		with self.assertRaises(PriceBelowFloorError) as raised:
			quotation.submit()
		self.assertIn("900", str(raised.exception), "the message shows the floor")
		self.assertEqual(frappe.db.get_value("Quotation", quotation.name, "docstatus"), 0)

	def test_quotation_at_floor_submits(self):
		make_policy(item_code=self.item, floor_price=900)
		quotation = make_quotation(
			self.customer, [{"item_code": self.item, "qty": 1, "rate": 900}], submit=True
		)
		self.assertEqual(quotation.docstatus, 1)

	def test_policy_of_another_level_does_not_apply(self):
		make_policy(item_code=self.item, floor_price=900, channel_level="General Agent")
		quotation = make_quotation(
			self.customer, [{"item_code": self.item, "qty": 1, "rate": 100}], submit=True
		)
		self.assertEqual(quotation.docstatus, 1)

		dealer = make_dealer("General Agent")
		quotation = make_quotation(dealer.customer, [{"item_code": self.item, "qty": 1, "rate": 100}])
		with self.assertRaises(PriceBelowFloorError):
			quotation.submit()

	def test_item_group_and_maximum_discount(self):
		group = frappe.db.get_value("Item", self.item, "item_group")
		make_policy(item_group=group, policy_type="Maximum Discount", max_discount=10)
		quotation = make_quotation(
			self.customer, [{"item_code": self.item, "qty": 1, "price_list_rate": 1000, "rate": 850}]
		)
		self.assertEqual(
			[(v.item_code, v.floor) for v in get_price_violations(quotation)], [(self.item, 900)]
		)
		with self.assertRaises(PriceBelowFloorError):
			quotation.submit()
