# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.customer_intelligence import ownership
from sales_reengineering.exceptions import InvalidHandoverError
from sales_reengineering.tests.factories_customer_intelligence import (
	make_customer,
	make_opportunity,
	make_sales_person,
	make_team,
)


def make_handover(
	from_sp: str, to_sp: str, customers: list[str] | None = None, submit: bool = True, **kwargs
):
	doc = frappe.get_doc(
		{
			"doctype": "Account Handover",
			"from_sales_person": from_sp,
			"to_sales_person": to_sp,
			"scope": "Selected Customers" if customers is not None else "All Accounts",
			"customers": [{"customer": name} for name in customers or []],
			**kwargs,
		}
	)
	doc.insert(ignore_permissions=True)
	if submit:
		doc.submit()
	return doc


def todo_for(user: str, doctype: str, name: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": user,
				"reference_type": doctype,
				"reference_name": name,
				"description": "Call back",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


class TestAccountHandover(FrappeTestCase):
	def setUp(self):
		self.team = make_team()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def owner_of(self, doctype: str, name: str) -> str:
		return frappe.db.get_value(doctype, name, "sr_sales_person")

	def test_all_accounts_move_with_open_opportunities_and_todos(self):
		team = self.team
		customers = [make_customer(team.rep_a) for _ in range(3)]
		open_opp = make_opportunity(customers[0], sales_person=team.rep_a)
		closed_opp = make_opportunity(customers[1], sales_person=team.rep_a, status="Closed")
		todo = todo_for(team.rep_a_user, "Customer", customers[0])
		unrelated_todo = todo_for(team.rep_a_user, "Customer", make_customer(team.rep_b))
		kept = make_customer(team.rep_b)

		doc = make_handover(team.rep_a, team.rep_b)

		self.assertEqual(doc.status, "Completed")
		self.assertEqual((doc.customers_moved, doc.opportunities_moved, doc.todos_moved), (3, 1, 1))
		for name in customers:
			self.assertEqual(self.owner_of("Customer", name), team.rep_b)
		self.assertEqual(self.owner_of("Opportunity", open_opp.name), team.rep_b)
		self.assertEqual(self.owner_of("Opportunity", closed_opp.name), team.rep_a)  # history stays
		self.assertEqual(frappe.db.get_value("ToDo", todo, "allocated_to"), team.rep_b_user)
		self.assertEqual(frappe.db.get_value("ToDo", unrelated_todo, "allocated_to"), team.rep_a_user)
		self.assertEqual(self.owner_of("Customer", kept), team.rep_b)

		# the log names every moved record and who had it
		doc = frappe.get_doc("Account Handover", doc.name)
		moved = {(row.reference_doctype, row.reference_name, row.previous_value) for row in doc.items}
		self.assertIn(("Opportunity", open_opp.name, team.rep_a), moved)
		self.assertIn(("ToDo", todo, team.rep_a_user), moved)
		self.assertEqual(len(doc.items), 5)

	def test_selected_customers_move_only_theirs(self):
		team = self.team
		chosen, other = make_customer(team.rep_a), make_customer(team.rep_a)
		chosen_opp = make_opportunity(chosen, sales_person=team.rep_a)
		other_opp = make_opportunity(other, sales_person=team.rep_a)

		doc = make_handover(team.rep_a, team.rep_b, customers=[chosen])

		self.assertEqual((doc.customers_moved, doc.opportunities_moved), (1, 1))
		self.assertEqual(self.owner_of("Customer", chosen), team.rep_b)
		self.assertEqual(self.owner_of("Customer", other), team.rep_a)
		self.assertEqual(self.owner_of("Opportunity", chosen_opp.name), team.rep_b)
		self.assertEqual(self.owner_of("Opportunity", other_opp.name), team.rep_a)

	def test_a_failure_moves_nothing(self):
		team = self.team
		customer = make_customer(team.rep_a)
		opp = make_opportunity(customer, sales_person=team.rep_a)
		todo_for(team.rep_a_user, "Opportunity", opp.name)
		doc = make_handover(team.rep_a, team.rep_b, submit=False)
		# customers and opportunities move before the ToDos: a failure there must undo them
		with (
			patch.object(ownership, "_move_todos", side_effect=RuntimeError("boom")),
			self.assertRaises(RuntimeError),
		):
			doc.submit()
		self.assertEqual(self.owner_of("Customer", customer), team.rep_a)
		self.assertEqual(self.owner_of("Opportunity", opp.name), team.rep_a)

	def test_bad_handovers_are_rejected(self):
		team = self.team
		customer_of_b = make_customer(team.rep_b)
		mine = make_customer(team.rep_a)
		disabled = make_sales_person(f"{team.rep_b} Disabled", parent=team.manager)
		frappe.db.set_value("Sales Person", disabled, "enabled", 0)
		cases = {
			"same person": dict(from_sp=team.rep_a, to_sp=team.rep_a),
			"disabled receiver": dict(from_sp=team.rep_a, to_sp=disabled),
			"not their customer": dict(from_sp=team.rep_a, to_sp=team.rep_b, customers=[customer_of_b]),
			"listed twice": dict(from_sp=team.rep_a, to_sp=team.rep_b, customers=[mine, mine]),
			"nothing selected": dict(from_sp=team.rep_a, to_sp=team.rep_b, customers=[]),
		}
		for label, case in cases.items():
			with self.subTest(label), self.assertRaises(InvalidHandoverError):
				make_handover(submit=False, **case)
		self.assertEqual(frappe.db.count("Account Handover", {"from_sales_person": team.rep_a}), 0)

	def test_todos_need_a_receiving_user(self):
		team = self.team
		no_user = make_sales_person(f"{team.rep_b} No User", parent=team.manager)
		todo_for(team.rep_a_user, "Customer", make_customer(team.rep_a))
		with self.assertRaises(InvalidHandoverError):
			make_handover(team.rep_a, no_user, submit=False)
		doc = make_handover(team.rep_a, no_user, move_todos=0)
		self.assertEqual(doc.customers_moved, 1)

	def test_cannot_cancel(self):
		doc = make_handover(self.team.rep_a, self.team.rep_b)
		with self.assertRaises(InvalidHandoverError):
			doc.cancel()

	def test_accounts_of_a_disabled_salesperson_are_flagged_until_handed_over(self):
		team = self.team
		customer = make_customer(team.rep_a)
		person = frappe.get_doc("Sales Person", team.rep_a)
		person.enabled = 0
		person.save(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("Customer", customer, "sr_needs_handover"), 1)

		make_handover(team.rep_a, team.rep_b)
		self.assertEqual(frappe.db.get_value("Customer", customer, "sr_needs_handover"), 0)

	def test_accounts_of_a_departed_employee_are_flagged(self):
		team = self.team
		customer = make_customer(team.rep_a)
		employee = frappe.get_doc("Employee", frappe.db.get_value("Sales Person", team.rep_a, "employee"))
		employee.status = "Left"
		employee.relieving_date = frappe.utils.today()
		employee.save(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("Customer", customer, "sr_needs_handover"), 1)

	def test_sales_users_cannot_hand_over(self):
		frappe.set_user(self.team.manager_user)
		self.assertFalse(frappe.has_permission("Account Handover", "create"))
		self.assertFalse(frappe.has_permission("Account Handover", "submit"))
