# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Who may see an Account Handover: Sales / System Managers, the two salespeople and their managers."""

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.tests.factories_customer_intelligence import make_team
from sales_reengineering.tests.utils import make_user


def make_draft_handover(from_sp: str, to_sp: str) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Account Handover",
			"from_sales_person": from_sp,
			"to_sales_person": to_sp,
			"scope": "All Accounts",
		}
	)
	return doc.insert(ignore_permissions=True).name


class TestAccountHandoverPermissions(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.team = make_team()
		cls.other = make_team()
		cls.inside = make_draft_handover(cls.team.rep_a, cls.team.rep_b)
		cls.outside = make_draft_handover(cls.other.rep_a, cls.other.rep_b)
		cls.sales_manager = make_user("sr_handover_manager@example.com", ["Sales Manager"])

	def tearDown(self):
		frappe.set_user("Administrator")

	def visible(self, user):
		frappe.set_user(user)
		names = set(
			frappe.get_list(
				"Account Handover", filters={"name": ("in", [self.inside, self.outside])}, pluck="name"
			)
		)
		frappe.set_user("Administrator")
		return names

	def can_read(self, user, name):
		return frappe.has_permission("Account Handover", "read", doc=name, user=user)

	def test_the_two_salespeople_and_their_manager_see_it(self):
		for user in (self.team.rep_a_user, self.team.rep_b_user, self.team.manager_user):
			self.assertEqual(self.visible(user), {self.inside})
			self.assertTrue(self.can_read(user, self.inside))

	def test_others_are_refused(self):
		for user in (self.other.rep_a_user, self.other.manager_user):
			self.assertEqual(self.visible(user), {self.outside})
			self.assertFalse(self.can_read(user, self.inside))
		frappe.set_user(self.other.rep_a_user)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Account Handover", self.inside).check_permission("read")
		stranger = make_user("sr_handover_stranger@example.com", ["Sales User"])
		self.assertEqual(self.visible(stranger), set())
		self.assertFalse(self.can_read(stranger, self.inside))

	def test_sales_manager_sees_every_handover(self):
		self.assertEqual(self.visible(self.sales_manager), {self.inside, self.outside})
		self.assertTrue(self.can_read(self.sales_manager, self.outside))
