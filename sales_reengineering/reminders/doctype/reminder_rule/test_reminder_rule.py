# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.reminders.engine import DEFAULT_RULES, RULES


class TestReminderRule(FrappeTestCase):
	def test_every_rule_an_admin_can_pick_has_an_engine_function(self):
		for doctype in ("Reminder Rule", "Sales Reminder Log"):
			options = frappe.get_meta(doctype).get_field("rule").options.split("\n")
			with self.subTest(doctype=doctype):
				self.assertEqual(options, list(RULES))
		self.assertEqual(list(DEFAULT_RULES), list(RULES))
