"""Customer and Opportunity visibility: own records for a salesperson, the subtree for a manager, what
an assistant maintains, everything for a Sales Manager."""

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.tests.factories_customer_intelligence import (
	make_customer,
	make_opportunity,
	make_team,
	make_user,
)


class TestCustomerOpportunityPermissions(FrappeTestCase):
	def setUp(self):
		self.team = make_team()
		self.customer_a = make_customer(self.team.rep_a)
		self.customer_b = make_customer(self.team.rep_b)
		self.opp_a = make_opportunity(self.customer_a, sales_person=self.team.rep_a).name
		self.opp_b = make_opportunity(self.customer_b, sales_person=self.team.rep_b).name
		self.mine = {"Customer": [self.customer_a, self.customer_b], "Opportunity": [self.opp_a, self.opp_b]}

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def visible(self, doctype: str) -> set[str]:
		return set(frappe.get_list(doctype, filters={"name": ("in", self.mine[doctype])}, pluck="name"))

	def test_salesperson_sees_only_own_records(self):
		frappe.set_user(self.team.rep_a_user)
		self.assertEqual(self.visible("Customer"), {self.customer_a})
		self.assertEqual(self.visible("Opportunity"), {self.opp_a})
		self.assertTrue(frappe.has_permission("Customer", "read", doc=self.customer_a))
		self.assertFalse(frappe.has_permission("Customer", "read", doc=self.customer_b))
		self.assertFalse(frappe.has_permission("Opportunity", "write", doc=self.opp_b))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Opportunity", self.opp_b).check_permission("read")
		# link fields and search go through the same conditions
		from frappe.desk.search import search_widget

		results = search_widget("Customer", txt="_Test SR Customer", page_length=500)
		names = {row[0] if isinstance(row, list | tuple) else row.get("value") for row in results}
		self.assertIn(self.customer_a, names)
		self.assertNotIn(self.customer_b, names)

	def test_manager_sees_the_team(self):
		frappe.set_user(self.team.manager_user)
		self.assertEqual(self.visible("Customer"), {self.customer_a, self.customer_b})
		self.assertEqual(self.visible("Opportunity"), {self.opp_a, self.opp_b})
		self.assertTrue(frappe.has_permission("Opportunity", "read", doc=self.opp_b))

	def test_sales_manager_sees_everything(self):
		user = make_user("sales.manager.ci@sr-test.invalid", ["Sales User", "Sales Manager"])
		frappe.set_user(user)
		self.assertEqual(self.visible("Customer"), {self.customer_a, self.customer_b})
		self.assertEqual(self.visible("Opportunity"), {self.opp_a, self.opp_b})

	def test_assistant_sees_what_they_maintain(self):
		assistant = make_user("assistant.perm.ci@sr-test.invalid", ["Sales Assistant"])
		frappe.db.set_value("Customer", self.customer_b, "sr_sales_assistant", assistant)
		frappe.set_user(assistant)
		self.assertEqual(self.visible("Customer"), {self.customer_b})
		self.assertTrue(frappe.has_permission("Customer", "write", doc=self.customer_b))
		self.assertFalse(frappe.has_permission("Customer", "read", doc=self.customer_a))

	def test_user_without_sales_person_sees_only_what_they_created(self):
		user = make_user("no.person.ci@sr-test.invalid", ["Sales User"])
		frappe.set_user(user)
		self.assertEqual(self.visible("Customer"), set())
		created = make_customer(None)
		self.assertTrue(frappe.has_permission("Customer", "read", doc=created))

	def test_new_records_default_to_the_creating_salesperson(self):
		frappe.set_user(self.team.rep_a_user)
		customer = frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": "_Test SR Own Customer",
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
				"territory": "_Test SR Beijing",
			}
		).insert()
		self.assertEqual(customer.sr_sales_person, self.team.rep_a)
