# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import random_string, today

from sales_reengineering.reminders.doctype.sales_reminder_log.sales_reminder_log import (
	get_permission_query_conditions,
	has_permission,
)
from sales_reengineering.tests.factories_customer_intelligence import make_user

LOG = "Sales Reminder Log"


class TestSalesReminderLog(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()
		frappe.set_user("Administrator")

	def make_log(self, recipient: str, key: str | None = None):
		return frappe.get_doc(
			{
				"doctype": LOG,
				"rule": "Stuck Opportunity",
				"reference_doctype": "User",
				"reference_name": recipient,
				"recipient": recipient,
				"due_date": today(),
				"period_key": today(),
				"log_key": key or random_string(20),
				"message": "test",
			}
		).insert(ignore_permissions=True)

	def test_the_log_key_is_unique(self):
		user = make_user(f"rl-{random_string(5).lower()}@sr-test.invalid", ["Sales User"])
		self.make_log(user, key="same-key")
		with self.assertRaises(frappe.UniqueValidationError):
			self.make_log(user, key="same-key")

	def test_recipients_see_their_own_logs_and_managers_all(self):
		rep = make_user(f"rl-{random_string(5).lower()}@sr-test.invalid", ["Sales User"])
		other = make_user(f"rl-{random_string(5).lower()}@sr-test.invalid", ["Sales User"])
		manager = make_user(f"rl-{random_string(5).lower()}@sr-test.invalid", ["Sales Manager"])
		own, foreign = self.make_log(rep), self.make_log(other)

		self.assertIn(frappe.db.escape(rep), get_permission_query_conditions(rep))
		self.assertEqual(get_permission_query_conditions(manager), "")
		self.assertTrue(has_permission(own, "read", rep))
		self.assertFalse(has_permission(foreign, "read", rep))
		self.assertTrue(has_permission(foreign, "read", manager))
		frappe.set_user(rep)
		self.assertEqual(
			frappe.get_list(LOG, filters={"name": ("in", [own.name, foreign.name])}, pluck="name"), [own.name]
		)
