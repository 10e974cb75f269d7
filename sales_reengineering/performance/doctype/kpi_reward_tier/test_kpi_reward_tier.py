# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import KPIError
from sales_reengineering.performance.ranking import _tier_for


def tier(name, basis, threshold, priority=1):
	return frappe.get_doc(
		{
			"doctype": "KPI Reward Tier",
			"tier_name": name,
			"basis": basis,
			"threshold": threshold,
			"priority": priority,
		}
	).insert()


class TestKPIRewardTier(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_threshold_validation(self):
		for basis, threshold in (
			("Top Percent of Ranking", 150),
			("Top Percent of Ranking", 0),
			("Score At Least", -1),
		):
			with self.subTest(basis=basis, threshold=threshold), self.assertRaises(KPIError):
				tier("_Test SR Bad Tier", basis, threshold)
		self.assertEqual(tier("_Test SR Good Tier", "Top Percent of Ranking", 100).threshold, 100)

	def test_first_matching_tier_wins(self):
		tiers = [
			frappe._dict(name="Top", basis="Top Percent of Ranking", threshold=10),
			frappe._dict(name="Beat", basis="Score At Least", threshold=100),
		]
		# 25 people: the top 10% are ranks 1 to 3 (ceil(2.5))
		self.assertEqual(_tier_for(3, 90, 25, tiers), "Top")
		self.assertEqual(_tier_for(4, 101, 25, tiers), "Beat")
		self.assertIsNone(_tier_for(4, 99.99, 25, tiers))

	def test_default_tiers_are_shipped(self):
		from sales_reengineering.performance.setup import create_reward_tiers

		frappe.db.delete("KPI Reward Tier")
		create_reward_tiers()
		self.assertEqual(set(frappe.get_all("KPI Reward Tier", pluck="name")), {"Top 10%", "Beat Target"})
		create_reward_tiers()
		self.assertEqual(frappe.db.count("KPI Reward Tier"), 2)
