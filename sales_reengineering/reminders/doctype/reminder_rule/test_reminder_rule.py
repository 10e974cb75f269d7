# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.reminders.engine import DEFAULT_RULES, RULES, SCHEDULED_REPORTS


class TestReminderRule(FrappeTestCase):
	def test_every_rule_an_admin_can_pick_has_an_engine_function(self):
		"""...or is a scheduled report with its own job (the engine leaves those alone)."""
		for doctype in ("Reminder Rule", "Sales Reminder Log"):
			options = frappe.get_meta(doctype).get_field("rule").options.split("\n")
			with self.subTest(doctype=doctype):
				self.assertEqual(options, [*RULES, *SCHEDULED_REPORTS])
		self.assertEqual(list(DEFAULT_RULES), [*RULES, *SCHEDULED_REPORTS])
		self.assertFalse(set(RULES) & set(SCHEDULED_REPORTS))
