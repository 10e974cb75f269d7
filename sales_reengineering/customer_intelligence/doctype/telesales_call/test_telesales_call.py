# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from sales_reengineering.customer_intelligence import telesales
from sales_reengineering.customer_intelligence.next_purchase import refresh_customer
from sales_reengineering.customer_intelligence.report.customer_transaction_history.test_customer_transaction_history import (
	make_invoice,
)
from sales_reengineering.customer_intelligence.telesales import (
	find_dormant_customers,
	generate_call_list,
	make_opportunity,
)
from sales_reengineering.exceptions import InvalidTelesalesCallError, NoTelesalesAgentError
from sales_reengineering.tests.factories_customer_intelligence import (
	make_customer,
	make_user,
)
from sales_reengineering.tests.factories_customer_intelligence import (
	make_opportunity as make_opp,
)

CALL = "Telesales Call"
SETTINGS = "Sales Reengineering Settings"


def bought(customer: str, *days_ago: int) -> None:
	"""Invoices `days_ago` days back, marked submitted directly: the prediction reads only customer,
	posting_date, docstatus and is_return, and this keeps the test free of GL postings. Marking them
	fires no doc_events, so the customer's prediction is refreshed here as a submit would."""
	for days in days_ago:
		invoice = make_invoice(customer, 100, posting_date=add_days(today(), -days))
		frappe.db.set_value("Sales Invoice", invoice.name, "docstatus", 1)
	refresh_customer(customer)


class TestTelesalesCall(FrappeTestCase):
	def setUp(self):
		self.agent_1 = make_user("agent.one.ci@sr-test.invalid", ["Telesales Agent"])
		self.agent_2 = make_user("agent.two.ci@sr-test.invalid", ["Telesales Agent"])
		self.lapsed = make_customer()  # nothing for 200 days (settings default: 180)
		bought(self.lapsed, 400, 200)
		self.regular = make_customer()  # every 30 days, last 40 days ago: within 1.5 x 30
		bought(self.regular, 100, 70, 40)
		self.overdue = make_customer()  # every 30 days, last 70 days ago
		self.recent = make_customer()
		bought(self.overdue, 130, 100, 70)
		bought(self.recent, 10)
		self.disabled = make_customer()
		bought(self.disabled, 300)
		frappe.db.set_value("Customer", self.disabled, "disabled", 1)
		self.mine = {self.lapsed, self.regular, self.overdue, self.recent, self.disabled}

		self.assignment_setting = frappe.db.get_single_value(SETTINGS, "telesales_assignment_method")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.set_single_value(SETTINGS, "telesales_assignment_method", self.assignment_setting)
		frappe.db.rollback()

	def calls(self) -> dict[str, frappe._dict]:
		rows = frappe.get_all(CALL, filters={"customer": ("in", list(self.mine))}, fields=["*"])
		return {row.customer: row for row in rows}

	def test_dormant_customers_by_days_and_by_own_interval(self):
		dormant = {row.customer: row for row in find_dormant_customers() if row.customer in self.mine}
		self.assertEqual(set(dormant), {self.lapsed, self.overdue})
		self.assertEqual(dormant[self.lapsed].reason, "No Purchase for N Days")
		self.assertEqual(dormant[self.lapsed].days_since_purchase, 200)
		self.assertEqual(dormant[self.overdue].reason, "Overdue Against Reorder Interval")
		self.assertEqual(dormant[self.overdue].typical_interval_days, 30)

	def test_call_list_by_load_is_idempotent(self):
		busy = make_customer()
		for _ in range(2):
			frappe.get_doc({"doctype": CALL, "customer": busy, "agent": self.agent_1}).insert(
				ignore_permissions=True
			)
		self.assertIn(self.agent_1, telesales.get_agents())
		agents = [self.agent_1, self.agent_2]
		load = {agent: frappe.db.count(CALL, {"agent": agent, "status": "Open"}) for agent in agents}
		before = set(frappe.get_all(CALL, pluck="name"))
		with patch.object(telesales, "get_agents", return_value=agents):
			generate_call_list("load")
			calls = self.calls()
			self.assertEqual(set(calls), {self.lapsed, self.overdue})
			# longest dormant first, each call to the least loaded agent; the site's other dormant
			# customers (a demo company's) take their turns too, so replay the whole run
			made = sorted(
				(
					row
					for row in frappe.get_all(CALL, fields=["name", "customer", "agent"])
					if row.name not in before
				),
				key=lambda row: row.name,
			)
			for row in made:
				self.assertEqual(row.agent, min(agents, key=lambda agent: (load[agent], agent)), row.customer)
				load[row.agent] += 1
			order = [row.customer for row in made]
			self.assertLess(order.index(self.lapsed), order.index(self.overdue))
			self.assertEqual(
				calls[self.lapsed].last_purchase_date, frappe.utils.getdate(add_days(today(), -200))
			)
			generate_call_list("load")
		self.assertEqual(len(frappe.get_all(CALL, filters={"customer": ("in", list(self.mine))})), 2)

	def test_call_list_round_robin(self):
		with patch.object(telesales, "get_agents", return_value=[self.agent_1, self.agent_2]):
			generate_call_list("round_robin")
		agents = {row.agent for row in self.calls().values()}
		self.assertEqual(agents, {self.agent_1, self.agent_2})

	def ended_call(self, customer: str, days_ago: int | None, **values) -> str:
		"""A call of `customer` that ended `days_ago` days back (None: no call date, ended today)."""
		doc = frappe.get_doc({"doctype": CALL, "customer": customer, "agent": self.agent_1, **values})
		if days_ago is not None:
			doc.call_date = add_days(today(), -days_ago)
		return doc.insert(ignore_permissions=True).name

	def test_recently_called_customers_wait_for_the_cooldown(self):
		cooldown = telesales.CALL_COOLDOWN_DAYS
		self.ended_call(self.lapsed, 10, outcome="Not Interested")
		self.ended_call(self.overdue, cooldown + 1, outcome="Not Reached", status="Completed")
		cancelled = make_customer()
		bought(cancelled, 300)
		self.mine.add(cancelled)
		self.ended_call(cancelled, None, status="Cancelled")
		self.assertEqual(frappe.db.get_value(CALL, {"customer": self.lapsed}, "status"), "Completed")

		with patch.object(telesales, "get_agents", return_value=[self.agent_1, self.agent_2]):
			new = generate_call_list("load")
			self.assertEqual(
				{frappe.db.get_value(CALL, name, "customer") for name in new} & self.mine, {self.overdue}
			)
			# recently ended or cancelled, or (overdue) open now
			self.assertEqual(
				telesales.get_recently_called_customers() & self.mine, {self.lapsed, self.overdue, cancelled}
			)
			# once the cooldown has run out, the customer called 10 days ago is due again
			later = generate_call_list("load", as_of=add_days(today(), cooldown - 9))
			later_customers = {frappe.db.get_value(CALL, name, "customer") for name in later}
			self.assertIn(self.lapsed, later_customers)
			self.assertNotIn(self.overdue, later_customers)  # has an open call now

	def daily_calls_with(self, setting: str) -> dict[str, int]:
		"""Run the daily job with the settings' assignment method; {agent: new calls} of this test's
		customers. Agent 1 already has two open calls, agent 2 none, and other dormant customers on the
		site are given open calls of a third agent first, so only this test's two are shared out."""
		frappe.db.set_single_value(SETTINGS, "telesales_assignment_method", setting)
		# the daily job first refreshes every predicted next purchase, which can make other customers of
		# the site overdue; refresh now so the bystanders below cover them too
		from sales_reengineering.customer_intelligence.next_purchase import refresh_all

		refresh_all()
		busy = make_customer()
		for _ in range(2):
			frappe.get_doc({"doctype": CALL, "customer": busy, "agent": self.agent_1}).insert(
				ignore_permissions=True
			)
		bystander = make_user("agent.three.ci@sr-test.invalid", ["Telesales Agent"])
		for row in find_dormant_customers():
			if row.customer not in self.mine:
				frappe.get_doc({"doctype": CALL, "customer": row.customer, "agent": bystander}).insert(
					ignore_permissions=True
				)
		with patch.object(telesales, "get_agents", return_value=[self.agent_1, self.agent_2]):
			telesales.daily_call_list()
		shares = dict.fromkeys((self.agent_1, self.agent_2), 0)
		for row in self.calls().values():
			shares[row.agent] += 1
		return shares

	def test_daily_call_list_by_load_by_default(self):
		# the setting's default; an empty setting (never saved) means the same
		self.assertEqual(self.daily_calls_with("By Load"), {self.agent_1: 0, self.agent_2: 2})
		frappe.db.set_single_value(SETTINGS, "telesales_assignment_method", None)
		self.assertEqual(telesales.assignment_method(), "load")

	def test_daily_call_list_round_robin_when_set(self):
		# in turn, whatever the agents' open calls
		self.assertEqual(self.daily_calls_with("Round Robin"), {self.agent_1: 1, self.agent_2: 1})
		self.assertEqual(telesales.assignment_method(), "round_robin")

	def test_call_list_needs_agents_and_a_known_method(self):
		with patch.object(telesales, "get_agents", return_value=[]), self.assertRaises(NoTelesalesAgentError):
			generate_call_list()
		with self.assertRaises(NoTelesalesAgentError):
			generate_call_list("lottery")

	def test_outcome_rules(self):
		call = frappe.get_doc({"doctype": CALL, "customer": self.lapsed, "agent": self.agent_1}).insert(
			ignore_permissions=True
		)
		cases = [
			dict(status="Completed"),
			dict(outcome="Call Back Later"),
			dict(outcome="Call Back Later", call_date=today(), follow_up_date=add_days(today(), -1)),
			dict(outcome="Converted"),
			dict(
				outcome="Converted",
				conversion_doctype="Opportunity",
				conversion_name=make_opp(self.regular).name,
			),
			dict(agent=make_user("not.agent.ci@sr-test.invalid", ["Sales User"])),
		]
		for case in cases:
			call.reload()
			call.update(case)
			with self.subTest(case=case), self.assertRaises(InvalidTelesalesCallError):
				call.save(ignore_permissions=True)
		call.reload()
		call.update({"outcome": "Call Back Later", "follow_up_date": add_days(today(), 7)})
		call.save(ignore_permissions=True)
		self.assertEqual((call.status, str(call.call_date)), ("Open", today()))

	def test_agent_converts_own_call_and_sees_only_own_list(self):
		mine = frappe.get_doc({"doctype": CALL, "customer": self.lapsed, "agent": self.agent_1}).insert(
			ignore_permissions=True
		)
		theirs = frappe.get_doc({"doctype": CALL, "customer": self.overdue, "agent": self.agent_2}).insert(
			ignore_permissions=True
		)
		frappe.set_user(self.agent_1)
		self.assertEqual(
			frappe.get_list(CALL, filters={"customer": ("in", list(self.mine))}, pluck="name"), [mine.name]
		)
		with self.assertRaises(frappe.PermissionError):
			make_opportunity(theirs.name)

		opportunity = make_opportunity(mine.name)
		mine.reload()
		self.assertEqual((mine.outcome, mine.status), ("Converted", "Completed"))
		self.assertEqual((mine.conversion_doctype, mine.conversion_name), ("Opportunity", opportunity))
		self.assertEqual(frappe.db.get_value("Opportunity", opportunity, "party_name"), self.lapsed)
