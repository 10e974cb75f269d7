# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""A handover that moves everything (issue 14, item 9): ERPNext's own ownership (the customers' Sales
Team and account manager), the Sales Team of open Sales Orders, Leads, Prospects and planned Events; the
dealers of a departed salesperson are flagged like their customers; all in a number of statements that
does not grow with the book."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime, random_string, today

from sales_reengineering.customer_intelligence import ownership
from sales_reengineering.customer_intelligence.doctype.account_handover.test_account_handover import (
	make_handover,
	todo_for,
)
from sales_reengineering.exceptions import InvalidHandoverError
from sales_reengineering.tests.factories_channel import make_dealer
from sales_reengineering.tests.factories_customer_intelligence import (
	make_customer,
	make_opportunity,
	make_sales_document,
	make_sales_person,
	make_team,
)
from sales_reengineering.tests.factories_performance import make_item
from sales_reengineering.tests.query_count import counted_queries
from sales_reengineering.tests.setup import TEST_COMPANY


def set_customer(customer: str, **values) -> None:
	"""Sales Team rows ([(sales person, %)] as `team`) and other fields on a customer."""
	doc = frappe.get_doc("Customer", customer)
	team = values.pop("team", None)
	if team is not None:
		doc.set("sales_team", [{"sales_person": p, "allocated_percentage": share} for p, share in team])
	doc.update(values)
	doc.save(ignore_permissions=True)


def draft_order(customer: str, team) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"company": TEST_COMPANY,
			"currency": "CNY",
			"customer": customer,
			"transaction_date": today(),
			"delivery_date": add_days(today(), 10),
			"items": [{"item_code": make_item(), "qty": 1, "rate": 100}],
			"sales_team": [{"sales_person": p, "allocated_percentage": share} for p, share in team],
		}
	)
	return doc.insert(ignore_permissions=True).name


def order_team(order: str, parenttype: str = "Sales Order") -> dict:
	rows = frappe.get_all(
		"Sales Team",
		filters={"parenttype": parenttype, "parent": order},
		fields=["sales_person", "allocated_percentage"],
	)
	return {row.sales_person: row.allocated_percentage for row in rows}


def make_lead(owner: str, status: str = "Open", customer: str | None = None) -> str:
	doc = frappe.get_doc(
		{"doctype": "Lead", "lead_name": f"_Test SR Handover Lead {random_string(6)}", "lead_owner": owner}
	).insert(ignore_permissions=True)
	if status != "Open" or customer:
		frappe.db.set_value("Lead", doc.name, {"status": status, "customer": customer})
	return doc.name


def make_event(owner: str, links: dict, days: float = 3, status: str = "Open") -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Event",
			"subject": f"_Test SR Handover Visit {random_string(6)}",
			"event_type": "Private",
			"event_category": "Meeting",
			"starts_on": frappe.utils.add_to_date(now_datetime(), days=days),
			"status": status,
			"event_participants": [
				{"reference_doctype": doctype, "reference_docname": name} for doctype, name in links.items()
			],
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value("Event", doc.name, "owner", owner, update_modified=False)
	return doc.name


class TestHandoverMovesEverything(FrappeTestCase):
	def setUp(self):
		self.team = make_team()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def moved(self, doc) -> set:
		doc = frappe.get_doc("Account Handover", doc.name)
		return {(row.reference_doctype, row.reference_name) for row in doc.items}

	# -- the customers' Sales Team and account manager ---------------------------------------------------

	def test_the_customers_sales_team_and_account_manager_move(self):
		team = self.team
		own = make_customer(team.rep_a)
		set_customer(own, team=[(team.rep_a, 60), (team.manager, 40)], account_manager=team.rep_a_user)
		# B's customer on whose team A shares the credit, and one where both already are
		shared = make_customer(team.rep_b)
		set_customer(shared, team=[(team.rep_a, 100)])
		both = make_customer(team.rep_b)
		set_customer(both, team=[(team.rep_a, 30), (team.rep_b, 70)])
		# someone else manages this account: it stays theirs
		kept = make_customer(team.rep_a)
		set_customer(kept, account_manager=team.manager_user)

		doc = make_handover(team.rep_a, team.rep_b)

		self.assertEqual(order_team(own, "Customer"), {team.rep_b: 60, team.manager: 40})
		self.assertEqual(frappe.db.get_value("Customer", own, "account_manager"), team.rep_b_user)
		self.assertEqual(order_team(shared, "Customer"), {team.rep_b: 100})
		# the incoming salesperson's row takes the outgoing one's share: the team still adds up to 100
		self.assertEqual(order_team(both, "Customer"), {team.rep_b: 100})
		self.assertEqual(frappe.db.count("Sales Team", {"parenttype": "Customer", "parent": both}), 1)
		self.assertEqual(frappe.db.get_value("Customer", kept, "account_manager"), team.manager_user)
		self.assertEqual(doc.customers_moved, 2)
		self.assertTrue({("Customer", shared), ("Customer", both)} <= self.moved(doc))

	def test_selected_customers_move_only_their_sales_team(self):
		team = self.team
		chosen, other = make_customer(team.rep_a), make_customer(team.rep_a)
		for name in (chosen, other):
			set_customer(name, team=[(team.rep_a, 100)], account_manager=team.rep_a_user)
		make_handover(team.rep_a, team.rep_b, customers=[chosen])
		self.assertEqual(order_team(chosen, "Customer"), {team.rep_b: 100})
		self.assertEqual(order_team(other, "Customer"), {team.rep_a: 100})
		self.assertEqual(frappe.db.get_value("Customer", other, "account_manager"), team.rep_a_user)

	# -- open Sales Orders ----------------------------------------------------------------------------------

	def test_open_orders_move_and_history_stays(self):
		team = self.team
		customer = make_customer(team.rep_a)
		draft = draft_order(customer, [(team.rep_a, 100)])
		to_deliver = make_sales_document("Sales Order", customer, sales_team=[(team.rep_a, 100)]).name
		on_hold = make_sales_document("Sales Order", customer, sales_team=[(team.rep_a, 100)]).name
		frappe.db.set_value("Sales Order", on_hold, "status", "On Hold")
		closed = make_sales_document("Sales Order", customer, sales_team=[(team.rep_a, 100)]).name
		frappe.db.set_value("Sales Order", closed, "status", "Closed")
		completed = make_sales_document("Sales Order", customer, sales_team=[(team.rep_a, 100)]).name
		frappe.db.set_value("Sales Order", completed, "status", "Completed")
		cancelled = make_sales_document("Sales Order", customer, sales_team=[(team.rep_a, 100)])
		cancelled.cancel()
		invoice = make_sales_document("Sales Invoice", customer, sales_team=[(team.rep_a, 100)]).name
		# a third salesperson's customer, whose order A shares with the manager
		rep_c = make_sales_person(f"_Test SR CI Rep C {random_string(5)}", parent=team.manager)
		shared = draft_order(make_customer(rep_c), [(team.rep_a, 50), (team.manager, 50)])
		frappe.set_user(team.rep_b_user)
		self.assertFalse(frappe.has_permission("Sales Order", "read", doc=shared))
		frappe.set_user("Administrator")

		doc = make_handover(team.rep_a, team.rep_b)

		for name in (draft, to_deliver, on_hold):
			self.assertEqual(order_team(name), {team.rep_b: 100}, name)
		self.assertEqual(order_team(shared), {team.rep_b: 50, team.manager: 50})
		for name in (closed, completed, cancelled.name):
			self.assertEqual(order_team(name), {team.rep_a: 100}, name)
		self.assertEqual(order_team(invoice, "Sales Invoice"), {team.rep_a: 100})
		self.assertEqual(doc.orders_moved, 4)
		self.assertEqual(frappe.db.get_value("Sales Order", to_deliver, "docstatus"), 1)
		self.assertIn(("Sales Order", to_deliver), self.moved(doc))
		# the order is the new salesperson's now, through the Sales Team rule too
		frappe.set_user(team.rep_b_user)
		self.assertTrue(frappe.has_permission("Sales Order", "read", doc=shared))

	def test_open_orders_can_stay(self):
		team = self.team
		order = draft_order(make_customer(team.rep_a), [(team.rep_a, 100)])
		doc = make_handover(team.rep_a, team.rep_b, move_open_orders=0)
		self.assertEqual((doc.orders_moved, order_team(order)), (0, {team.rep_a: 100}))

	# -- leads, prospects, events -----------------------------------------------------------------------------

	def test_leads_and_prospects_move_with_the_whole_book(self):
		team = self.team
		lead = make_lead(team.rep_a_user)
		converted = make_lead(team.rep_a_user, status="Converted")
		others = make_lead(team.manager_user)
		prospect = frappe.get_doc(
			{
				"doctype": "Prospect",
				"company_name": f"_Test SR Handover Prospect {random_string(6)}",
				"prospect_owner": team.rep_a_user,
				"leads": [{"lead": lead}],
			}
		).insert(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("Prospect Lead", {"parent": prospect.name}, "lead_owner"), team.rep_a_user)

		doc = make_handover(team.rep_a, team.rep_b)

		self.assertEqual(frappe.db.get_value("Lead", lead, "lead_owner"), team.rep_b_user)
		self.assertEqual(frappe.db.get_value("Lead", converted, "lead_owner"), team.rep_a_user)
		self.assertEqual(frappe.db.get_value("Lead", others, "lead_owner"), team.manager_user)
		self.assertEqual(frappe.db.get_value("Prospect", prospect.name, "prospect_owner"), team.rep_b_user)
		self.assertEqual(frappe.db.get_value("Prospect Lead", {"parent": prospect.name}, "lead_owner"), team.rep_b_user)
		self.assertEqual((doc.leads_moved, doc.prospects_moved), (1, 1))
		self.assertTrue({("Lead", lead), ("Prospect", prospect.name)} <= self.moved(doc))

	def test_selected_customers_leave_leads_alone(self):
		team = self.team
		lead = make_lead(team.rep_a_user)
		doc = make_handover(team.rep_a, team.rep_b, customers=[make_customer(team.rep_a)])
		self.assertEqual((doc.move_leads, doc.leads_moved), (0, 0))
		self.assertEqual(frappe.db.get_value("Lead", lead, "lead_owner"), team.rep_a_user)

	def test_planned_events_move(self):
		team = self.team
		customer = make_customer(team.rep_a)
		opportunity = make_opportunity(customer, sales_person=team.rep_a).name
		lead = make_lead(team.rep_a_user)
		customers_lead = make_lead(team.manager_user, status="Converted", customer=customer)
		planned = make_event(team.rep_a_user, {"Customer": customer})
		about_opportunity = make_event(team.rep_a_user, {"Opportunity": opportunity})
		about_lead = make_event(team.rep_a_user, {"Lead": lead})
		about_customers_lead = make_event(team.rep_a_user, {"Lead": customers_lead})
		past = make_event(team.rep_a_user, {"Customer": customer}, days=-3)
		cancelled = make_event(team.rep_a_user, {"Customer": customer}, status="Cancelled")
		elsewhere = make_event(team.rep_a_user, {"Customer": make_customer(team.rep_b)})
		# the manager's meeting with the customer, to which A was assigned
		assigned = make_event(team.manager_user, {"Customer": customer})
		todo = todo_for(team.rep_a_user, "Event", assigned)
		self.assertIn(team.rep_a_user, frappe.db.get_value("Event", assigned, "_assign"))

		doc = make_handover(team.rep_a, team.rep_b)

		owner = lambda name: frappe.db.get_value("Event", name, "owner")  # noqa: E731
		for name in (planned, about_opportunity, about_lead, about_customers_lead):
			self.assertEqual(owner(name), team.rep_b_user, name)
		for name in (past, cancelled, elsewhere):
			self.assertEqual(owner(name), team.rep_a_user, name)
		self.assertEqual(owner(assigned), team.manager_user)
		self.assertEqual(frappe.db.get_value("ToDo", todo, "allocated_to"), team.rep_b_user)
		self.assertEqual(frappe.parse_json(frappe.db.get_value("Event", assigned, "_assign")), [team.rep_b_user])
		self.assertEqual(doc.events_moved, 5)
		self.assertIn(("Event", assigned), self.moved(doc))

	def test_events_can_stay(self):
		team = self.team
		event = make_event(team.rep_a_user, {"Customer": make_customer(team.rep_a)})
		doc = make_handover(team.rep_a, team.rep_b, move_events=0)
		self.assertEqual((doc.events_moved, frappe.db.get_value("Event", event, "owner")), (0, team.rep_a_user))

	def test_todos_move_in_bulk_and_keep_the_assignment_right(self):
		team = self.team
		customer = make_customer(team.rep_a)
		todo = todo_for(team.rep_a_user, "Customer", customer)
		make_handover(team.rep_a, team.rep_b)
		self.assertEqual(frappe.db.get_value("ToDo", todo, "allocated_to"), team.rep_b_user)
		self.assertEqual(frappe.parse_json(frappe.db.get_value("Customer", customer, "_assign")), [team.rep_b_user])

	# -- rejections ---------------------------------------------------------------------------------------------

	def test_what_moves_to_a_user_needs_a_receiving_user(self):
		team = self.team
		no_user = make_sales_person(f"{team.rep_b} No User", parent=team.manager)
		customer = make_customer(team.rep_a)
		set_customer(customer, account_manager=team.rep_a_user)
		with self.assertRaises(InvalidHandoverError) as refused:
			make_handover(team.rep_a, no_user, submit=False)
		self.assertIn(no_user, str(refused.exception))
		self.assertIn("account manager", str(refused.exception))
		set_customer(customer, account_manager=None)

		lead = make_lead(team.rep_a_user)
		with self.assertRaises(InvalidHandoverError) as refused:
			make_handover(team.rep_a, no_user, submit=False)
		self.assertIn("leads", str(refused.exception))
		frappe.db.set_value("Lead", lead, "status", "Converted")

		make_event(team.rep_a_user, {"Customer": customer})
		with self.assertRaises(InvalidHandoverError) as refused:
			make_handover(team.rep_a, no_user, submit=False)
		self.assertIn("events", str(refused.exception))
		# unticked, the rest moves
		doc = make_handover(team.rep_a, no_user, move_events=0)
		self.assertEqual(doc.customers_moved, 1)
		self.assertEqual(frappe.db.count("Account Handover", {"to_sales_person": no_user, "docstatus": 1}), 1)

	def test_a_failure_moves_none_of_erpnexts_records(self):
		from unittest.mock import patch

		team = self.team
		customer = make_customer(team.rep_a)
		set_customer(customer, team=[(team.rep_a, 100)], account_manager=team.rep_a_user)
		order = draft_order(customer, [(team.rep_a, 100)])
		lead = make_lead(team.rep_a_user)
		event = make_event(team.rep_a_user, {"Customer": customer})
		doc = make_handover(team.rep_a, team.rep_b, submit=False)
		with patch.object(ownership, "_move_todos", side_effect=RuntimeError("boom")), self.assertRaises(RuntimeError):
			doc.submit()
		self.assertEqual(order_team(customer, "Customer"), {team.rep_a: 100})
		self.assertEqual(frappe.db.get_value("Customer", customer, "account_manager"), team.rep_a_user)
		self.assertEqual(order_team(order), {team.rep_a: 100})
		self.assertEqual(frappe.db.get_value("Lead", lead, "lead_owner"), team.rep_a_user)
		self.assertEqual(frappe.db.get_value("Event", event, "owner"), team.rep_a_user)

	# -- dealers of a departed salesperson ---------------------------------------------------------------------

	def test_dealers_of_a_departed_salesperson_are_flagged_until_handed_over(self):
		team = self.team
		dealer = make_dealer(account_manager=team.rep_a).name
		others = make_dealer(account_manager=team.rep_b).name
		flag = lambda name: frappe.db.get_value("Dealer", name, "needs_handover")  # noqa: E731
		employee = frappe.get_doc("Employee", frappe.db.get_value("Sales Person", team.rep_a, "employee"))
		employee.status = "Left"
		employee.relieving_date = today()
		employee.save(ignore_permissions=True)
		self.assertEqual((flag(dealer), flag(others)), (1, 0))

		make_handover(team.rep_a, team.rep_b)
		self.assertEqual((flag(dealer), frappe.db.get_value("Dealer", dealer, "account_manager")), (0, team.rep_b))

	def test_a_dealer_kept_by_the_departed_stays_flagged(self):
		team = self.team
		dealer = make_dealer(account_manager=team.rep_a).name
		frappe.db.set_value("Sales Person", team.rep_a, "enabled", 0)
		ownership.refresh_handover_flags()
		make_handover(team.rep_a, team.rep_b, move_dealers=0)
		self.assertEqual(frappe.db.get_value("Dealer", dealer, "needs_handover"), 1)
		frappe.db.set_value("Sales Person", team.rep_a, "enabled", 1)
		ownership.refresh_handover_flags()
		self.assertEqual(frappe.db.get_value("Dealer", dealer, "needs_handover"), 0)

	# -- the number of statements does not grow with the book ---------------------------------------------------

	def make_book(self, size: int) -> None:
		"""`size` of every kind that moves, for rep A."""
		team = self.team
		for _ in range(size):
			customer = make_customer(team.rep_a)
			set_customer(customer, team=[(team.rep_a, 100)], account_manager=team.rep_a_user)
			opportunity = make_opportunity(customer, sales_person=team.rep_a).name
			draft_order(customer, [(team.rep_a, 100)])
			make_dealer(account_manager=team.rep_a)
			lead = make_lead(team.rep_a_user)
			frappe.get_doc(
				{
					"doctype": "Prospect",
					"company_name": f"_Test SR Handover Prospect {random_string(6)}",
					"prospect_owner": team.rep_a_user,
					"leads": [{"lead": lead}],
				}
			).insert(ignore_permissions=True)
			make_event(team.rep_a_user, {"Customer": customer})
			todo_for(team.rep_a_user, "Event", make_event(team.manager_user, {"Opportunity": opportunity}))
			todo_for(team.rep_a_user, "Customer", customer)
			todo_for(team.rep_a_user, "Opportunity", opportunity)

	def statements(self, size: int) -> tuple[int, object]:
		self.make_book(size)
		doc = make_handover(self.team.rep_a, self.team.rep_b, submit=False, move_sales_tasks=0)
		with counted_queries() as queries:
			doc.run()
		return len(queries), doc

	def test_the_statements_do_not_grow_with_the_book(self):
		self.statements(1)  # warms the caches (metadata, columns) a first handover fills
		small, doc = self.statements(2)
		self.assertEqual(
			(doc.customers_moved, doc.orders_moved, doc.leads_moved, doc.events_moved, doc.todos_moved),
			(2, 2, 2, 4, 4),
		)
		large, doc = self.statements(6)
		self.assertEqual(
			(doc.customers_moved, doc.orders_moved, doc.leads_moved, doc.events_moved, doc.todos_moved),
			(6, 6, 6, 12, 12),
		)
		self.assertEqual(small, large, f"{small} statements for a book of 2, {large} for a book of 6")
		self.assertLess(large, 100)
		print(f"\nAccount Handover: {small} statements for a book of 2 of each kind, {large} for 6")
