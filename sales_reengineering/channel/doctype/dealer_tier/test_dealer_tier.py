# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.channel.doctype.dealer_tier.dealer_tier import get_protection_days
from sales_reengineering.exceptions import DealerTierError
from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
	get_settings,
)
from sales_reengineering.tests.factories_channel import make_tier


class TestDealerTier(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_valid_tier(self):
		tier = make_tier(discount_min=10, discount_max=20, deal_protection_days=45)
		self.assertEqual(get_protection_days(tier), 45)

	def test_invalid_terms(self):
		cases = {
			"discount above 100%": {"discount_max": 120},
			"negative discount": {"discount_min": -1},
			"band upside down": {"discount_min": 30, "discount_max": 10},
			"negative protection days": {"deal_protection_days": -3},
			"negative minimum purchase": {"min_quarterly_purchase": -1},
		}
		for label, values in cases.items():
			with self.subTest(label), self.assertRaises((DealerTierError, frappe.NonNegativeError)):
				make_tier(**values)

	def test_band_error_is_the_apps_error(self):
		with self.assertRaises(DealerTierError):
			make_tier(discount_min=30, discount_max=10)

	def test_protection_days_fall_back_to_settings(self):
		tier = make_tier(deal_protection_days=0)
		self.assertEqual(get_protection_days(tier), get_settings().deal_protection_days)
		self.assertEqual(get_protection_days(None), get_settings().deal_protection_days)
