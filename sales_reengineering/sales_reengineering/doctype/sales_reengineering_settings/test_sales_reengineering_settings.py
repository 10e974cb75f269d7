# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import InvalidRewardTierError, InvalidSettingError
from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
	get_settings,
)
from sales_reengineering.tests.utils import make_user

SETTINGS = "Sales Reengineering Settings"


class TestSalesReengineeringSettings(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		frappe.set_user("Administrator")

	def settings(self, **values):
		doc = frappe.get_doc(SETTINGS)
		doc.update(values)
		return doc

	def test_defaults_are_stored_on_install(self):
		# get_single_value reads the database directly: the install hook must have written them
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "stuck_opportunity_days"), 14)
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "dormant_customer_days"), 180)
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "deal_protection_days"), 90)
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "kpi_score_cap"), 120)
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "ranking_day_of_month"), 1)

	def test_get_settings_returns_typed_values(self):
		values = get_settings()
		self.assertEqual(values.stuck_opportunity_days, 14)
		self.assertIsInstance(values.stuck_opportunity_days, int)
		self.assertEqual(values.kpi_score_cap, 120.0)

	def test_valid_values_save(self):
		self.settings(stuck_opportunity_days=21, kpi_score_cap=150, ranking_day_of_month=28).save()
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		self.assertEqual(get_settings().stuck_opportunity_days, 21)
		self.assertEqual(get_settings().kpi_score_cap, 150.0)

	def test_negative_or_zero_days_are_rejected(self):
		for fieldname in ("stuck_opportunity_days", "dormant_customer_days", "deal_protection_days"):
			for bad in (-1, 0):
				with self.subTest(fieldname=fieldname, value=bad):
					with self.assertRaises(InvalidSettingError):
						self.settings(**{fieldname: bad}).save()

	def test_score_cap_below_100_is_rejected(self):
		with self.assertRaises(InvalidSettingError):
			self.settings(kpi_score_cap=99.9).save()
		with self.assertRaises(InvalidSettingError):
			self.settings(kpi_score_cap=5000).save()
		# exactly 100% is allowed: no over-achievement counted
		self.settings(kpi_score_cap=100).save()

	def test_ranking_day_must_exist_in_every_month(self):
		for bad in (0, 29, 31, -3):
			with self.subTest(value=bad):
				with self.assertRaises(InvalidSettingError):
					self.settings(ranking_day_of_month=bad).save()

	def test_reward_tiers_are_checked_with_the_settings(self):
		top = {"tier_name": "_Test SR Top", "basis": "Top Percent of Ranking", "threshold": 10}
		for tiers in (
			[top, {**top, "tier_name": "_TEST SR TOP", "threshold": 20}],
			[{**top, "threshold": 0}],
			[{**top, "basis": "Score At Least", "threshold": -1}],
		):
			with self.subTest(tiers=tiers), self.assertRaises(InvalidRewardTierError):
				self.settings(reward_tiers=tiers).save()
		self.assertTrue(issubclass(InvalidRewardTierError, InvalidSettingError))

	def test_rejected_save_leaves_stored_values_alone(self):
		with self.assertRaises(InvalidSettingError):
			self.settings(stuck_opportunity_days=30, kpi_score_cap=50).save()
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "stuck_opportunity_days"), 14)

	def test_error_message_is_translatable_text_not_a_traceback(self):
		try:
			self.settings(dormant_customer_days=-5).save()
		except InvalidSettingError as e:
			self.assertIn("Dormant Customer Days", str(e))
			self.assertIn("-5", str(e))
		else:
			self.fail("negative days were accepted")

	def test_sales_user_can_read_but_not_change(self):
		user = make_user("sr-settings-reader@example.com", ["Sales User"])
		frappe.set_user(user)
		self.assertTrue(frappe.has_permission(SETTINGS, "read"))
		self.assertFalse(frappe.has_permission(SETTINGS, "write"))
		with self.assertRaises(frappe.PermissionError):
			self.settings(stuck_opportunity_days=3).save()

	def test_sales_manager_can_change(self):
		user = make_user("sr-settings-manager@example.com", ["Sales Manager"])
		frappe.set_user(user)
		self.settings(stuck_opportunity_days=7).save()
		self.assertEqual(frappe.db.get_single_value(SETTINGS, "stuck_opportunity_days"), 7)

	def test_dealer_cannot_read(self):
		user = make_user("sr-settings-dealer@example.com", ["Dealer"], user_type="Website User")
		frappe.set_user(user)
		self.assertFalse(frappe.has_permission(SETTINGS, "read"))

	def test_price_war_thresholds(self):
		# unset (a migrated site): the shipped defaults, in get_settings and on the next save
		frappe.db.set_single_value(SETTINGS, {"price_war_spread_percent": 0, "price_war_undercut_percent": 0})
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		values = get_settings()
		self.assertEqual((values.price_war_spread_percent, values.price_war_undercut_percent), (15.0, 10.0))
		doc = self.settings()
		doc.save()
		self.assertEqual((doc.price_war_spread_percent, doc.price_war_undercut_percent), (15, 10))
		for fieldname in ("price_war_spread_percent", "price_war_undercut_percent"):
			for value in (-5, 101):
				with self.subTest(fieldname=fieldname, value=value), self.assertRaises(InvalidSettingError):
					self.settings(**{fieldname: value}).save()
		self.settings(price_war_spread_percent=30, price_war_undercut_percent=5).save()
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		self.assertEqual(get_settings().price_war_spread_percent, 30)


class TestQuietHours(FrappeTestCase):
	"""Frappe gives a new document's Time fields the current time (with microseconds) whatever their
	default: the quiet hours must still be 22:00-08:00 on install, and an administrator's stay."""

	def tearDown(self):
		frappe.db.rollback()
		frappe.clear_document_cache(SETTINGS, SETTINGS)

	def stored(self):
		# the table, not get_single_value: its cache outlives a rollback
		singles = frappe.qb.DocType("Singles")
		rows = dict(
			frappe.qb.from_(singles)
			.select(singles.field, singles.value)
			.where((singles.doctype == SETTINGS) & singles.field.isin(["quiet_hours_start", "quiet_hours_end"]))
			.run()
		)
		return rows.get("quiet_hours_start"), rows.get("quiet_hours_end")

	def store(self, start, end):
		frappe.db.set_single_value(SETTINGS, "quiet_hours_start", start)
		frappe.db.set_single_value(SETTINGS, "quiet_hours_end", end)

	def test_installed_site_has_whole_quiet_hours(self):
		for value in self.stored():
			self.assertNotIn(".", value, "no microseconds: the form would open as Not Saved")

	def test_install_time_becomes_the_shipped_quiet_hours(self):
		from sales_reengineering.patches.v0_1.quiet_hours_install_time import execute

		self.store("18:13:42.644759", "18:13:42.644838")
		execute()
		self.assertEqual(self.stored(), ("22:00:00", "08:00:00"))
		execute()  # idempotent
		self.assertEqual(self.stored(), ("22:00:00", "08:00:00"))

	def test_administrators_quiet_hours_are_kept(self):
		from sales_reengineering.patches.v0_1.quiet_hours_install_time import execute

		self.store("23:30:00", "06:15:00")
		execute()
		self.assertEqual(self.stored(), ("23:30:00", "06:15:00"))
		# the administrator saved the start; the end is still the install time, shown as 18:13:42
		self.store("23:30:00", "18:13:42.644838")
		execute()
		self.assertEqual(self.stored(), ("23:30:00", "18:13:42"))

	def test_saving_the_settings_drops_microseconds(self):
		doc = frappe.get_doc(SETTINGS)
		doc.quiet_hours_start = "21:15:00.123456"
		doc.quiet_hours_end = "07:45:00"
		doc.save()
		self.assertEqual(self.stored(), ("21:15:00", "07:45:00"))
