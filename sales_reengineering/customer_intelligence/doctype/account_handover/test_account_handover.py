# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

from functools import partial
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, random_string, today

from sales_reengineering.customer_intelligence import ownership
from sales_reengineering.customer_intelligence.doctype.account_handover import account_handover
from sales_reengineering.customer_intelligence.doctype.account_handover.account_handover import (
	run_queued_handover,
)
from sales_reengineering.exceptions import OwnershipError, InvalidHandoverError, OverlappingSalesTaskError
from sales_reengineering.tests.factories_channel import make_dealer
from sales_reengineering.tests.factories_customer_intelligence import (
	make_customer,
	make_opportunity,
	make_sales_person,
	make_team,
)
from sales_reengineering.tests.factories_performance import make_task, make_template


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


def quarter(offset: int = 0) -> dict:
	"""year / quarter keyword arguments of make_task for the quarter `offset` quarters from today's."""
	day = getdate(today())
	index = day.year * 4 + (day.month - 1) // 3 + offset
	return {"year": index // 4, "quarter": index % 4 + 1}


def make_kpi_template() -> str:
	return make_template(f"_Test SR Handover Template {random_string(6)}", [("Net Sales", 100, 1000)]).name


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

	def test_open_opportunities_of_a_disabled_salesperson_are_flagged_until_handed_over(self):
		team = self.team
		customer = make_customer(team.rep_a)
		open_opp = make_opportunity(customer, sales_person=team.rep_a).name
		closed_opp = make_opportunity(customer, sales_person=team.rep_a, status="Closed").name
		others = make_opportunity(make_customer(team.rep_b), sales_person=team.rep_b).name
		flag = partial(frappe.db.get_value, "Opportunity", fieldname="sr_needs_handover")

		frappe.db.set_value("Sales Person", team.rep_a, "enabled", 0)
		ownership.refresh_handover_flags()
		self.assertEqual((flag(open_opp), flag(closed_opp), flag(others)), (1, 0, 0))

		# an opportunity that is no longer open is history: the flag goes at the next refresh
		frappe.db.set_value("Opportunity", open_opp, "status", "Lost")
		ownership.refresh_handover_flags()
		self.assertEqual(flag(open_opp), 0)
		frappe.db.set_value("Opportunity", open_opp, "status", "Open")
		ownership.refresh_handover_flags()
		self.assertEqual(flag(open_opp), 1)

		make_handover(team.rep_a, team.rep_b)
		self.assertEqual((flag(open_opp), self.owner_of("Opportunity", open_opp)), (0, team.rep_b))
		# the salesperson comes back: nothing of theirs stays flagged
		frappe.db.set_value("Sales Person", team.rep_a, "enabled", 1)
		frappe.db.set_value("Opportunity", closed_opp, "sr_needs_handover", 1)
		ownership.refresh_handover_flags()
		self.assertEqual(flag(closed_opp), 0)

	def test_an_opportunity_of_a_customer_defaults_to_its_salesperson(self):
		team = self.team
		customer = make_customer(team.rep_a)
		orphan = make_customer()  # no responsible salesperson
		frappe.set_user(team.rep_b_user)
		self.assertEqual(make_opportunity(customer).sr_sales_person, team.rep_a)
		# an explicit choice is kept when it is the user's own team (their subtree) ...
		self.assertEqual(make_opportunity(customer, sales_person=team.rep_b).sr_sales_person, team.rep_b)
		# ... and refused when it gives the record to someone else (here: rep B's own manager)
		with self.assertRaises(OwnershipError):
			make_opportunity(customer, sales_person=team.manager)
		# no owner on the customer, or a lead: the creating salesperson's
		self.assertEqual(make_opportunity(orphan).sr_sales_person, team.rep_b)
		frappe.set_user("Administrator")
		lead = (
			frappe.get_doc({"doctype": "Lead", "lead_name": f"_Test SR Lead {random_string(6)}"})
			.insert(ignore_permissions=True)
			.name
		)
		frappe.set_user(team.rep_b_user)
		self.assertEqual(make_opportunity(customer=lead, opportunity_from="Lead").sr_sales_person, team.rep_b)

	def test_sales_users_cannot_hand_over(self):
		frappe.set_user(self.team.manager_user)
		self.assertFalse(frappe.has_permission("Account Handover", "create"))
		self.assertFalse(frappe.has_permission("Account Handover", "submit"))

	# --- dealers and sales tasks -------------------------------------------------------------------

	def task_assignee(self, name: str) -> str:
		return frappe.db.get_value("Sales Task", name, "assignee")

	def test_current_sales_tasks_and_dealers_move_with_the_whole_book(self):
		team = self.team
		template = make_kpi_template()
		past = make_task(team.rep_a, template, approve=True, **quarter(-1))
		current = make_task(team.rep_a, template, approve=True, **quarter(0))
		upcoming = make_task(team.rep_a, template, **quarter(1))  # a draft still being proposed
		self.assertEqual(
			frappe.db.get_value("KPI Scorecard", {"sales_task": current.name}, "assignee"), team.rep_a
		)
		task_todo = todo_for(team.rep_a_user, "Sales Task", current.name)
		dealers = [make_dealer(account_manager=team.rep_a).name for _ in range(2)]
		dealer_todo = todo_for(team.rep_a_user, "Dealer", dealers[0])
		others_dealer = make_dealer(account_manager=team.rep_b).name

		doc = make_handover(team.rep_a, team.rep_b)

		self.assertEqual((doc.dealers_moved, doc.sales_tasks_moved, doc.todos_moved), (2, 2, 2))
		for name in dealers:
			self.assertEqual(frappe.db.get_value("Dealer", name, "account_manager"), team.rep_b)
		self.assertEqual(frappe.db.get_value("Dealer", others_dealer, "account_manager"), team.rep_b)
		self.assertEqual(self.task_assignee(current.name), team.rep_b)
		self.assertEqual(self.task_assignee(upcoming.name), team.rep_b)
		self.assertEqual(frappe.db.get_value("Sales Task", current.name, "docstatus"), 1)
		# a finished period stays with the salesperson who earned it, scorecard and all
		self.assertEqual(self.task_assignee(past.name), team.rep_a)
		self.assertEqual(
			frappe.db.get_value("KPI Scorecard", {"sales_task": past.name}, "assignee"), team.rep_a
		)
		# the running period's scorecard now measures the new salesperson
		self.assertEqual(
			frappe.db.get_value("KPI Scorecard", {"sales_task": current.name}, "assignee"), team.rep_b
		)
		self.assertEqual(frappe.db.get_value("ToDo", task_todo, "allocated_to"), team.rep_b_user)
		self.assertEqual(frappe.db.get_value("ToDo", dealer_todo, "allocated_to"), team.rep_b_user)

		moved = {(row.reference_doctype, row.reference_name, row.previous_value) for row in doc.items}
		self.assertIn(("Sales Task", current.name, team.rep_a), moved)
		self.assertIn(("Sales Task", upcoming.name, team.rep_a), moved)
		self.assertIn(("Dealer", dealers[1], team.rep_a), moved)
		self.assertNotIn(past.name, {row.reference_name for row in doc.items})

	def test_handover_date_decides_which_tasks_move(self):
		team = self.team
		template = make_kpi_template()
		current = make_task(team.rep_a, template, **quarter(0))
		# handed over as from the day after the current quarter: its task has ended by then
		later = frappe.utils.add_days(current.to_date, 1)
		doc = make_handover(team.rep_a, team.rep_b, handover_date=later)
		self.assertEqual(doc.sales_tasks_moved, 0)
		self.assertEqual(self.task_assignee(current.name), team.rep_a)

	def test_selected_customers_take_their_dealers_but_not_the_tasks(self):
		team = self.team
		template = make_kpi_template()
		task = make_task(team.rep_a, template, **quarter(0))
		chosen, kept = make_customer(team.rep_a), make_customer(team.rep_a)
		chosen_dealer = make_dealer(account_manager=team.rep_a, customer=chosen).name
		kept_dealer = make_dealer(account_manager=team.rep_a, customer=kept).name

		doc = make_handover(team.rep_a, team.rep_b, customers=[chosen])

		self.assertEqual((doc.customers_moved, doc.dealers_moved, doc.sales_tasks_moved), (1, 1, 0))
		self.assertEqual(doc.move_sales_tasks, 0)
		self.assertEqual(frappe.db.get_value("Dealer", chosen_dealer, "account_manager"), team.rep_b)
		self.assertEqual(frappe.db.get_value("Dealer", kept_dealer, "account_manager"), team.rep_a)
		self.assertEqual(self.task_assignee(task.name), team.rep_a)

	def test_dealers_and_tasks_can_stay(self):
		team = self.team
		task = make_task(team.rep_a, make_kpi_template(), **quarter(0))
		dealer = make_dealer(account_manager=team.rep_a).name
		doc = make_handover(team.rep_a, team.rep_b, move_dealers=0, move_sales_tasks=0)
		self.assertEqual((doc.dealers_moved, doc.sales_tasks_moved), (0, 0))
		self.assertEqual(frappe.db.get_value("Dealer", dealer, "account_manager"), team.rep_a)
		self.assertEqual(self.task_assignee(task.name), team.rep_a)

	def make_clash(self) -> frappe._dict:
		"""rep A's book, with a current-quarter task that rep B already has for the same template."""
		team = self.team
		template = make_kpi_template()
		bounds = quarter(0)
		month = (bounds["quarter"] - 1) * 3 + 1
		return frappe._dict(
			customers=[make_customer(team.rep_a) for _ in range(2)],
			opportunity=make_opportunity(sales_person=team.rep_a).name,
			dealer=make_dealer(account_manager=team.rep_a).name,
			task=make_task(team.rep_a, template, **bounds).name,
			theirs=make_task(team.rep_b, template, year=bounds["year"], month=month).name,
		)

	def assert_nothing_moved(self, clash: frappe._dict) -> None:
		for name in clash.customers:
			self.assertEqual(self.owner_of("Customer", name), self.team.rep_a)
		self.assertEqual(self.owner_of("Opportunity", clash.opportunity), self.team.rep_a)
		self.assertEqual(frappe.db.get_value("Dealer", clash.dealer, "account_manager"), self.team.rep_a)
		self.assertEqual(self.task_assignee(clash.task), self.team.rep_a)

	def test_an_overlapping_task_rolls_the_whole_handover_back(self):
		clash = self.make_clash()
		doc = make_handover(self.team.rep_a, self.team.rep_b, submit=False)
		with self.assertRaises(OverlappingSalesTaskError) as raised:
			doc.submit()
		self.assertIn(clash.theirs, str(raised.exception))
		self.assertIn(clash.task, str(raised.exception))
		self.assert_nothing_moved(clash)
		self.assertFalse(frappe.db.exists("Account Handover Item", {"parent": doc.name}))

	# --- large books: the background job ----------------------------------------------------------

	def test_a_large_book_is_queued_and_moved_by_the_job(self):
		team = self.team
		customers = [make_customer(team.rep_a) for _ in range(3)]
		task = make_task(team.rep_a, make_kpi_template(), **quarter(0))
		doc = make_handover(team.rep_a, team.rep_b, submit=False)
		with patch.object(account_handover, "ENQUEUE_THRESHOLD", 2):
			self.assertGreater(doc.book_size(), account_handover.ENQUEUE_THRESHOLD)
			# the job runs inline, through the same frappe.enqueue call the worker would get
			with patch.object(frappe, "enqueue", partial(frappe.enqueue, now=True)):
				doc.submit()

		doc = frappe.get_doc("Account Handover", doc.name)
		self.assertEqual(doc.status, "Completed")
		self.assertEqual((doc.customers_moved, doc.sales_tasks_moved), (3, 1))
		self.assertEqual(len(doc.items), 4)
		for name in customers:
			self.assertEqual(self.owner_of("Customer", name), team.rep_b)
		self.assertEqual(self.task_assignee(task.name), team.rep_b)

	def test_a_queued_handover_waits_for_the_worker(self):
		team = self.team
		customers = [make_customer(team.rep_a) for _ in range(3)]
		with patch.object(account_handover, "ENQUEUE_THRESHOLD", 2):
			doc = make_handover(team.rep_a, team.rep_b)
		# enqueued after commit: nothing has moved yet
		self.assertEqual(frappe.db.get_value("Account Handover", doc.name, "status"), "Queued")
		self.assertEqual(self.owner_of("Customer", customers[0]), team.rep_a)

		run_queued_handover(doc.name)
		self.assertEqual(frappe.db.get_value("Account Handover", doc.name, "status"), "Completed")
		self.assertEqual(self.owner_of("Customer", customers[0]), team.rep_b)
		run_queued_handover(doc.name)  # a second run (a retried job) finds nothing left to do
		self.assertEqual(frappe.db.count("Account Handover Item", {"parent": doc.name}), 3)

	def test_a_failed_job_moves_nothing_and_records_the_error(self):
		clash = self.make_clash()
		with patch.object(account_handover, "ENQUEUE_THRESHOLD", 1):
			doc = make_handover(self.team.rep_a, self.team.rep_b)
		self.assertEqual(frappe.db.get_value("Account Handover", doc.name, "status"), "Queued")

		run_queued_handover(doc.name)

		status, error = frappe.db.get_value("Account Handover", doc.name, ["status", "error"])
		self.assertEqual(status, "Failed")
		# the people on the handover read the message; the traceback is only in the Error Log
		self.assertNotIn("Traceback", error)
		self.assertNotIn("OverlappingSalesTaskError", error)
		self.assertIn(clash.theirs, error)
		self.assert_nothing_moved(clash)
		self.assertFalse(frappe.db.exists("Account Handover Item", {"parent": doc.name}))
		self.assertTrue(
			frappe.db.exists(
				"Error Log", {"reference_doctype": "Account Handover", "reference_name": doc.name}
			)
		)
