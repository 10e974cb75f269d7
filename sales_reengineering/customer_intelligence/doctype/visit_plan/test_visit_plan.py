# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Weekly visit plans: one per salesperson and week, only the salesperson's own customers, matched
against the visits they log; the Plan vs Actual report, the weekly sales report and the Visit Plan
Completion indicator read the same matching; the scope decides who sees a plan."""

from datetime import datetime, timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from sales_reengineering.core.progress import iso_week_bounds
from sales_reengineering.customer_intelligence import visit_plan as matching
from sales_reengineering.customer_intelligence.activity import log_activity
from sales_reengineering.customer_intelligence.report.plan_vs_actual.plan_vs_actual import (
	execute as plan_vs_actual,
)
from sales_reengineering.customer_intelligence.report.weekly_sales_report.weekly_sales_report import (
	execute as weekly_report,
)
from sales_reengineering.exceptions import DuplicateVisitPlanError, InvalidVisitPlanError
from sales_reengineering.performance.indicators import BUILT_INS
from sales_reengineering.tests.factories_customer_intelligence import (
	make_customer,
	make_opportunity,
	make_team,
	make_visit_plan,
)
from sales_reengineering.tests.query_count import counted_queries, query_count


class TestVisitPlan(FrappeTestCase):
	def setUp(self):
		self.team = make_team()
		this_monday, _next = iso_week_bounds(getdate())
		self.monday = this_monday - timedelta(days=7)  # last week: over, so gaps are Missed
		self.tuesday = self.monday + timedelta(days=1)
		self.a1 = make_customer(self.team.rep_a)
		self.a2 = make_customer(self.team.rep_a)
		self.b1 = make_customer(self.team.rep_b)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def day(self, offset: int) -> str:
		return str(self.monday + timedelta(days=offset))

	def visit(self, user: str, doctype: str, name: str, offset: int = 1, kind: str = "Visit") -> str:
		frappe.set_user(user)
		try:
			when = datetime.combine(self.monday + timedelta(days=offset), datetime.min.time()) + timedelta(hours=10)
			return log_activity(doctype, name, kind, subject="Visit", starts_on=str(when))
		finally:
			frappe.set_user("Administrator")

	def lines(self, plan) -> dict:
		return {
			row.party: row
			for row in frappe.get_all(
				"Visit Plan Item",
				filters={"parent": plan.name},
				fields=["party", "visit_status", "matched_event", "visited_on"],
			)
		}

	# -- validation ---------------------------------------------------------------------------------

	def test_a_second_plan_for_the_same_week_is_refused(self):
		make_visit_plan(self.team.rep_a, self.day(2), [("Customer", self.a1, self.day(1))])
		with self.assertRaises(DuplicateVisitPlanError) as raised:
			make_visit_plan(self.team.rep_a, self.day(4), [("Customer", self.a2, self.day(3))])
		self.assertIn("already has a visit plan", str(raised.exception))
		self.assertEqual(frappe.db.count("Visit Plan", {"sales_person": self.team.rep_a}), 1)
		# another salesperson's plan for that week, and a cancelled plan's week, are fine
		make_visit_plan(self.team.rep_b, self.day(0), [("Customer", self.b1, self.day(1))])
		frappe.get_doc("Visit Plan", {"sales_person": self.team.rep_a}).cancel()
		make_visit_plan(self.team.rep_a, self.day(0), [("Customer", self.a2, self.day(3))])

	def test_the_week_starts_on_monday(self):
		plan = make_visit_plan(self.team.rep_a, self.day(3), [("Customer", self.a1, self.day(1))], submit=False)
		self.assertEqual((getdate(plan.week_start), getdate(plan.week_end)), (self.monday, getdate(self.day(6))))

	def test_bad_lines_are_refused(self):
		cases = {
			"empty": [],
			"outside the week": [("Customer", self.a1, self.day(7))],
			"twice": [("Customer", self.a1, self.day(1)), ("Customer", self.a1, self.day(1))],
			"another rep's customer": [("Customer", self.b1, self.day(1))],
		}
		for case, lines in cases.items():
			with self.subTest(case=case), self.assertRaises(InvalidVisitPlanError):
				make_visit_plan(self.team.rep_a, self.day(0), lines)
		self.assertFalse(frappe.db.exists("Visit Plan", {"sales_person": self.team.rep_a}))
		# the manager plans a visit to a customer of his team
		make_visit_plan(self.team.manager, self.day(0), [("Customer", self.b1, self.day(1))])

	def test_a_salesperson_cannot_plan_for_another(self):
		frappe.set_user(self.team.rep_a_user)
		with self.assertRaises(InvalidVisitPlanError):
			frappe.get_doc(
				{
					"doctype": "Visit Plan",
					"sales_person": self.team.rep_b,
					"week_start": self.day(0),
					"items": [{"party_type": "Customer", "party": self.b1, "planned_date": self.day(1)}],
				}
			).insert()
		plan = frappe.get_doc(
			{
				"doctype": "Visit Plan",
				"week_start": self.day(0),
				"items": [{"party_type": "Customer", "party": self.a1, "planned_date": self.day(1)}],
			}
		).insert()
		self.assertEqual(plan.sales_person, self.team.rep_a)  # their own, by default
		plan.submit()

	# -- matching -----------------------------------------------------------------------------------

	def test_visits_are_matched_to_the_plan(self):
		plan = make_visit_plan(
			self.team.rep_a,
			self.day(0),
			[
				("Customer", self.a1, self.day(1)),
				("Customer", self.a2, self.day(2)),
			],
		)
		self.assertEqual({row.visit_status for row in self.lines(plan).values()}, {"Missed"})
		opportunity = make_opportunity(self.a1, sales_person=self.team.rep_a).name
		event = self.visit(self.team.rep_a_user, "Opportunity", opportunity, 2)  # the customer's deal
		self.visit(self.team.rep_a_user, "Customer", self.a2, 8)  # the week after: not this plan
		self.visit(self.team.rep_a_user, "Customer", self.a2, 3, kind="Call")  # a call is no visit
		lines = self.lines(plan)
		self.assertEqual((lines[self.a1].visit_status, lines[self.a1].matched_event), ("Visited", event))
		self.assertEqual(lines[self.a2].visit_status, "Missed")
		plan.reload()
		self.assertEqual((plan.planned_visits, plan.visited_as_planned, plan.completion), (2, 1, 50))

		# the visit deleted: the line is missed again
		frappe.delete_doc("Event", event, ignore_permissions=True)
		self.assertEqual(self.lines(plan)[self.a1].visit_status, "Missed")
		plan.reload()
		self.assertEqual(plan.completion, 0)

	def test_the_daily_job_turns_a_finished_week_to_missed_once(self):
		plan = make_visit_plan(self.team.rep_a, self.day(0), [("Customer", self.a1, self.day(1))])
		frappe.db.set_value("Visit Plan Item", {"parent": plan.name}, "visit_status", "Planned")
		matching.rematch_recent()
		self.assertEqual(self.lines(plan)[self.a1].visit_status, "Missed")
		# idempotent: run again, nothing left to write
		with counted_queries() as queries:
			matching.rematch_recent()
		self.assertFalse([q for q in queries if q.lstrip().upper().startswith("UPDATE `TABVISIT PLAN ITEM`")])

	def test_a_visit_before_the_plan_is_matched_on_submit(self):
		event = self.visit(self.team.rep_a_user, "Customer", self.a1, 1)
		plan = make_visit_plan(self.team.rep_a, self.day(0), [("Customer", self.a1, self.day(3))])
		self.assertEqual(self.lines(plan)[self.a1].matched_event, event)

	def test_rematch_costs_the_same_for_one_or_many_plans(self):
		def plans(count):
			names = []
			for _index in range(count):
				team = make_team(with_users=True)
				customer = make_customer(team.rep_a)
				names.append(
					make_visit_plan(team.rep_a, self.day(0), [("Customer", customer, self.day(1))]).name
				)
				self.visit(team.rep_a_user, "Customer", customer, 1)
			return names

		one, four = plans(1), plans(4)
		self.assertEqual(query_count(matching.rematch, one), query_count(matching.rematch, four))
		frappe.db.sql("update `tabVisit Plan Item` set visit_status='Planned', matched_event=null")
		self.assertLessEqual(query_count(matching.rematch, four), 6)
		self.assertEqual(
			frappe.get_all("Visit Plan Item", filters={"parent": ("in", four)}, pluck="visit_status"),
			["Visited"] * 4,
		)

	# -- report, weekly report, indicator -----------------------------------------------------------

	def make_week(self):
		make_visit_plan(
			self.team.rep_a,
			self.day(0),
			[("Customer", self.a1, self.day(1)), ("Customer", self.a2, self.day(2))],
		)
		make_visit_plan(self.team.rep_b, self.day(0), [("Customer", self.b1, self.day(1))])
		self.visit(self.team.rep_a_user, "Customer", self.a1, 1)
		other = make_customer(self.team.rep_a)
		self.visit(self.team.rep_a_user, "Customer", other, 4)  # unplanned
		self.visit(self.team.rep_b_user, "Customer", self.b1, 3)

	def test_plan_vs_actual_by_person_and_team(self):
		self.make_week()
		filters = {"from_date": self.day(0), "to_date": self.day(6), "sales_person": self.team.manager}
		_columns, data, *_rest = plan_vs_actual(filters)
		rows = {row.sales_person: row for row in data}
		a, b, team = rows[self.team.rep_a], rows[self.team.rep_b], rows[self.team.manager]
		self.assertEqual((a.planned, a.visited, a.unplanned, a.missed, a.completion), (2, 1, 1, 1, 50.0))
		self.assertEqual((b.planned, b.visited, b.unplanned, b.missed, b.completion), (1, 1, 0, 0, 100.0))
		self.assertEqual((team.is_team, team.planned, team.visited, team.unplanned), (1, 3, 2, 1))
		self.assertAlmostEqual(team.completion, 66.7)

		# rep A sees their own row only, and may not ask for rep B
		frappe.set_user(self.team.rep_a_user)
		_columns, data, *_rest = plan_vs_actual({"from_date": self.day(0), "to_date": self.day(6)})
		self.assertEqual({row.sales_person for row in data if not row.is_team}, {self.team.rep_a})
		with self.assertRaises(frappe.PermissionError):
			plan_vs_actual({"from_date": self.day(0), "to_date": self.day(6), "sales_person": self.team.rep_b})
		with self.assertRaises(InvalidVisitPlanError):
			plan_vs_actual({"from_date": self.day(6), "to_date": self.day(0)})

	def test_weekly_report_and_indicator_show_the_plan(self):
		self.make_week()
		_columns, data, *_rest = weekly_report({"week": self.day(2), "sales_person": self.team.manager})
		rows = {row.sales_person: row for row in data}
		self.assertEqual(
			(rows[self.team.rep_a].planned_visits, rows[self.team.rep_a].visited_as_planned), (2, 1)
		)
		self.assertEqual(rows[self.team.rep_a].plan_completion, 50.0)
		self.assertEqual(rows[self.team.rep_b].plan_completion, 100.0)

		people = [self.team.rep_a, self.team.rep_b]
		builtin = BUILT_INS["visit_plan_completion"]
		self.assertEqual(
			builtin.compute(people, self.day(0), self.day(6)), {self.team.rep_a: 50.0, self.team.rep_b: 100.0}
		)
		self.assertEqual(builtin.compute(people, self.day(7), self.day(13)), {})
		self.assertEqual(query_count(builtin.compute, people, self.day(0), self.day(6)), 2)

	# -- scope --------------------------------------------------------------------------------------

	def test_who_sees_a_plan(self):
		plan = make_visit_plan(self.team.rep_a, self.day(0), [("Customer", self.a1, self.day(1))])
		for user, sees in (
			(self.team.rep_a_user, True),
			(self.team.manager_user, True),
			(self.team.rep_b_user, False),
		):
			with self.subTest(user=user):
				self.assertEqual(frappe.has_permission("Visit Plan", doc=plan, user=user), sees)
				frappe.set_user(user)
				self.assertEqual(bool(frappe.get_list("Visit Plan", filters={"name": plan.name})), sees)
				frappe.set_user("Administrator")
