# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import (
	DealerHierarchyError,
	DealerInUseError,
	DealerPortalUserError,
	DealerStatusError,
)
from sales_reengineering.tests.factories_channel import (
	make_customer,
	make_dealer,
	make_registration,
	make_website_user,
)


class TestDealer(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_tree_of_three_levels(self):
		agent = make_dealer("General Agent")
		provincial = make_dealer("Provincial Dealer", agent.name)
		sub = make_dealer("Sub-Dealer", provincial.name)
		for doc in (agent, provincial, sub):
			doc.reload()
		self.assertEqual((agent.is_group, provincial.is_group, sub.is_group), (1, 1, 0))
		self.assertTrue(agent.lft < provincial.lft < sub.lft < sub.rgt < provincial.rgt < agent.rgt)

	def test_parent_level_rules(self):
		agent = make_dealer("General Agent")
		provincial = make_dealer("Provincial Dealer", agent.name)
		cases = [
			("General Agent", agent.name),
			("Provincial Dealer", None),
			("Provincial Dealer", provincial.name),
			("Sub-Dealer", agent.name),
			("Sub-Dealer", None),
		]
		for level, parent in cases:
			with self.subTest(level=level, parent=parent):
				with self.assertRaises(DealerHierarchyError):
					make_dealer(level, parent)
		self.assertFalse(frappe.db.exists("Dealer", {"parent_dealer": provincial.name}))

	def test_refuses_itself_as_parent(self):
		agent = make_dealer("General Agent")
		provincial = make_dealer("Provincial Dealer", agent.name)
		provincial.parent_dealer = provincial.name
		with self.assertRaises(DealerHierarchyError):
			provincial.save()

	def test_level_cannot_change_while_dealers_sit_under_it(self):
		agent = make_dealer("General Agent")
		make_dealer("Provincial Dealer", agent.name)
		agent.dealer_level = "Sub-Dealer"
		with self.assertRaises(DealerHierarchyError):
			agent.save()

	def test_move_branch_keeps_children_and_history(self):
		agent_a = make_dealer("General Agent")
		agent_b = make_dealer("General Agent")
		provincial = make_dealer("Provincial Dealer", agent_a.name)
		sub = make_dealer("Sub-Dealer", provincial.name)
		registration = make_registration(sub.name)

		provincial.reload()
		provincial.parent_dealer = agent_b.name
		provincial.save(ignore_version=False)  # tests skip versions unless asked

		agent_b.reload()
		sub.reload()
		self.assertTrue(agent_b.lft < sub.lft < sub.rgt < agent_b.rgt)
		self.assertEqual(sub.parent_dealer, provincial.name)
		self.assertEqual(frappe.db.get_value("Deal Registration", registration.name, "dealer"), sub.name)
		self.assertTrue(
			frappe.db.exists("Version", {"ref_doctype": "Dealer", "docname": provincial.name}),
			"the move is recorded in the dealer's history",
		)

	def test_merge_keeps_history(self):
		agent = make_dealer("General Agent")
		provincial = make_dealer("Provincial Dealer", agent.name)
		old = make_dealer("Sub-Dealer", provincial.name)
		survivor = make_dealer("Sub-Dealer", provincial.name)
		registration = make_registration(old.name)

		frappe.rename_doc("Dealer", old.name, survivor.name, merge=True)

		self.assertFalse(frappe.db.exists("Dealer", old.name))
		self.assertEqual(frappe.db.get_value("Deal Registration", registration.name, "dealer"), survivor.name)
		survivor.reload()
		provincial.reload()
		self.assertTrue(provincial.lft < survivor.lft < survivor.rgt < provincial.rgt)

	def test_refuses_delete_with_children(self):
		agent = make_dealer("General Agent")
		make_dealer("Provincial Dealer", agent.name)
		with self.assertRaises(DealerInUseError):
			frappe.delete_doc("Dealer", agent.name)
		self.assertTrue(frappe.db.exists("Dealer", agent.name))

	def test_refuses_delete_with_transactions(self):
		agent = make_dealer("General Agent")
		make_registration(agent.name, submit=False)
		with self.assertRaises(DealerInUseError):
			frappe.delete_doc("Dealer", agent.name)
		self.assertTrue(frappe.db.exists("Dealer", agent.name))

	def test_deletes_unused_leaf(self):
		agent = make_dealer("General Agent")
		provincial = make_dealer("Provincial Dealer", agent.name)
		frappe.delete_doc("Dealer", provincial.name)
		self.assertFalse(frappe.db.exists("Dealer", provincial.name))

	def test_lifecycle_workflow(self):
		dealer = make_dealer("General Agent", status="Prospect")
		self.assertEqual(dealer.status, "Prospect")
		apply_workflow(dealer, "Activate")
		self.assertEqual(frappe.db.get_value("Dealer", dealer.name, "status"), "Active")
		apply_workflow(frappe.get_doc("Dealer", dealer.name), "Suspend")
		apply_workflow(frappe.get_doc("Dealer", dealer.name), "Terminate")
		self.assertEqual(frappe.db.get_value("Dealer", dealer.name, "status"), "Terminated")
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(frappe.get_doc("Dealer", dealer.name), "Reactivate")

	def test_activation_needs_customer_and_territory(self):
		dealer = make_dealer("General Agent", status="Prospect")
		frappe.db.set_value("Dealer", dealer.name, "customer", None)
		with self.assertRaises(DealerStatusError):
			apply_workflow(frappe.get_doc("Dealer", dealer.name), "Activate")
		self.assertEqual(frappe.db.get_value("Dealer", dealer.name, "status"), "Prospect")

	def test_only_channel_manager_moves_the_lifecycle(self):
		user = make_website_user()
		dealer = make_dealer("General Agent", status="Prospect", portal_users=[user])
		frappe.set_user(user)
		# the dealer's own portal user can read it, but not move it through the lifecycle
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(frappe.get_doc("Dealer", dealer.name), "Activate")
		# a dealer user of another dealer cannot even read it
		other = make_website_user()
		frappe.set_user("Administrator")
		make_dealer("General Agent", portal_users=[other])
		frappe.set_user(other)
		with self.assertRaises(frappe.PermissionError):
			apply_workflow(frappe.get_doc("Dealer", dealer.name), "Activate")

	def test_agreement_must_be_with_the_dealers_customer(self):
		dealer = make_dealer("General Agent")
		other = make_customer()
		contract = frappe.get_doc(
			{
				"doctype": "Contract",
				"party_type": "Customer",
				"party_name": other,
				"start_date": "2026-01-01",
				"contract_terms": "Dealer agreement",
			}
		).insert(ignore_permissions=True)
		dealer.agreement = contract.name
		with self.assertRaises(DealerStatusError):
			dealer.save()
		contract.db_set("party_name", dealer.customer)
		dealer.reload()
		dealer.agreement = contract.name
		dealer.save()
		self.assertEqual(frappe.db.get_value("Dealer", dealer.name, "agreement"), contract.name)

	def test_portal_users_get_dealer_role(self):
		user = make_website_user()
		make_dealer("General Agent", portal_users=[user])
		self.assertIn("Dealer", frappe.get_roles(user))

	def test_portal_user_rules(self):
		user = make_website_user()
		make_dealer("General Agent", portal_users=[user])
		with self.subTest("one dealer per user"), self.assertRaises(DealerPortalUserError):
			make_dealer("General Agent", portal_users=[user])
		other = make_website_user()
		with self.subTest("listed twice"), self.assertRaises(DealerPortalUserError):
			make_dealer("General Agent", portal_users=[other, other])
		with self.subTest("desk user"), self.assertRaises(DealerPortalUserError):
			make_dealer("General Agent", portal_users=["Administrator"])
