# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Reward tiers are rows of Sales Reengineering Settings: validated there, read by the rankings."""

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import InvalidRewardTierError, InvalidSettingError
from sales_reengineering.performance.ranking import _tier_for
from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
	get_reward_tiers,
)
from sales_reengineering.tests.factories_performance import (
	SETTINGS,
	get_reward_tier_rows,
	set_reward_tiers,
)


class TestKPIRewardTier(FrappeTestCase):
	def setUp(self):
		self.saved_tiers = get_reward_tier_rows()

	def tearDown(self):
		frappe.db.rollback()
		if get_reward_tier_rows() != self.saved_tiers:
			set_reward_tiers(self.saved_tiers)
		frappe.clear_document_cache(SETTINGS, SETTINGS)

	def test_threshold_validation(self):
		for basis, threshold in (
			("Top Percent of Ranking", 150),
			("Top Percent of Ranking", 0),
			("Score At Least", -1),
		):
			with self.subTest(basis=basis, threshold=threshold), self.assertRaises(InvalidRewardTierError):
				set_reward_tiers([("_Test SR Bad Tier", basis, threshold, 1)])
		set_reward_tiers(
			[
				("_Test SR Top Tier", "Top Percent of Ranking", 100, 1),
				("_Test SR Zero", "Score At Least", 0, 2),
			]
		)
		self.assertEqual(
			[(row.tier_name, row.threshold) for row in get_reward_tiers()],
			[("_Test SR Top Tier", 100), ("_Test SR Zero", 0)],
		)

	def test_tier_names_are_unique(self):
		# an InvalidSettingError like every other bad setting, and the stored rows stay as they were
		with self.assertRaises(InvalidSettingError):
			set_reward_tiers(
				[("_Test SR Gold", "Score At Least", 100, 1), (" _test sr gold ", "Score At Least", 90, 2)]
			)
		self.assertEqual(get_reward_tier_rows(), self.saved_tiers)

	def test_enabled_tiers_in_priority_order(self):
		set_reward_tiers(
			[
				("_Test SR Second", "Score At Least", 100, 2),
				("_Test SR Off", "Score At Least", 50, 1, 0),
				("_Test SR First", "Top Percent of Ranking", 10, 1),
			]
		)
		self.assertEqual([row.tier_name for row in get_reward_tiers()], ["_Test SR First", "_Test SR Second"])

	def test_first_matching_tier_wins(self):
		tiers = [
			frappe._dict(tier_name="Top", basis="Top Percent of Ranking", threshold=10),
			frappe._dict(tier_name="Beat", basis="Score At Least", threshold=100),
		]
		# 25 people: the top 10% are ranks 1 to 3 (ceil(2.5))
		self.assertEqual(_tier_for(3, 90, 25, tiers), "Top")
		self.assertEqual(_tier_for(4, 101, 25, tiers), "Beat")
		self.assertIsNone(_tier_for(4, 99.99, 25, tiers))

	def test_default_tiers_are_shipped_only_into_an_empty_table(self):
		from sales_reengineering.performance.setup import create_reward_tiers

		frappe.db.delete("KPI Reward Tier", {"parenttype": SETTINGS})
		create_reward_tiers()
		self.assertEqual(
			[(row["tier_name"], row["priority"]) for row in get_reward_tier_rows()],
			[("Top 10%", 1), ("Beat Target", 2)],
		)
		create_reward_tiers()
		self.assertEqual(len(get_reward_tier_rows()), 2)
		# an administrator's own table is left alone
		set_reward_tiers([("_Test SR Only", "Score At Least", 120, 1)])
		create_reward_tiers()
		self.assertEqual([row["tier_name"] for row in get_reward_tier_rows()], ["_Test SR Only"])

	def test_patch_moves_standalone_tiers_into_the_settings(self):
		from sales_reengineering.patches.v0_1.reward_tiers_in_settings import execute

		set_reward_tiers([("_Test SR Kept", "Score At Least", 100, 1)])
		# records of the old standalone doctype: no parent; one repeats a name the settings list
		for name, tier_name, priority in (
			("_Test SR Old B", "_Test SR Bronze", 3),
			("_Test SR Old A", "_Test SR Silver", 2),
			("_Test SR Old K", "_test sr kept", 1),
		):
			frappe.get_doc(
				{
					"doctype": "KPI Reward Tier",
					"name": name,
					"tier_name": tier_name,
					"basis": "Score At Least",
					"threshold": 90,
					"priority": priority,
					"enabled": 1,
				}
			).db_insert()
		execute()
		execute()
		rows = frappe.get_all(
			"KPI Reward Tier",
			filters={"name": ("like", "_Test SR%")},
			fields=["name", "tier_name", "parent", "parenttype", "parentfield", "idx"],
		)
		self.assertNotIn("_Test SR Old K", [row.name for row in rows])
		moved = {row.name: (row.parent, row.parenttype, row.parentfield, row.idx) for row in rows}
		self.assertEqual(moved["_Test SR Old A"], (SETTINGS, SETTINGS, "reward_tiers", 2))
		self.assertEqual(moved["_Test SR Old B"], (SETTINGS, SETTINGS, "reward_tiers", 3))
		self.assertEqual(
			[row.tier_name for row in frappe.get_doc(SETTINGS).reward_tiers],
			["_Test SR Kept", "_Test SR Silver", "_Test SR Bronze"],
		)
