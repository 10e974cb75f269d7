# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, today

from sales_reengineering.exceptions import InvalidDevelopmentRecordError
from sales_reengineering.tests.factories_customer_intelligence import make_team


def make_training(sales_person: str, hours: float = 8, **kwargs):
	return frappe.get_doc(
		{
			"doctype": "Sales Training Record",
			"sales_person": sales_person,
			"training_title": kwargs.pop("training_title", "Storage product line"),
			"start_date": kwargs.pop("start_date", today()),
			"hours": hours,
			**kwargs,
		}
	).insert(ignore_permissions=True)


def make_plan(sales_person: str, **kwargs):
	return frappe.get_doc(
		{
			"doctype": "Career Development Plan",
			"sales_person": sales_person,
			"target_role": "Key Account Manager",
			"from_date": kwargs.pop("from_date", add_days(today(), -30)),
			"to_date": kwargs.pop("to_date", add_months(today(), 11)),
			"goals": kwargs.pop(
				"goals",
				[
					{
						"goal": "Manage two provincial dealers",
						"milestone": "Dealers signed",
						"status": "Achieved",
					},
					{"goal": "Pass channel management course", "status": "In Progress"},
					{"goal": "Learn networking line", "status": "Dropped"},
				],
			),
			**kwargs,
		}
	).insert(ignore_permissions=True)


class TestPeopleDevelopment(FrappeTestCase):
	def setUp(self):
		self.team = make_team()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_plan_tracks_goals_and_training(self):
		make_training(self.team.rep_a, 8)
		make_training(self.team.rep_a, 4, result="Passed", score=90)
		make_training(self.team.rep_a, 6, result="Absent")
		make_training(self.team.rep_a, 2, result="Failed", score=30)
		make_training(self.team.rep_a, 5, start_date=add_months(today(), -3))  # before the plan
		plan = make_plan(self.team.rep_a, status="Active")
		self.assertEqual(plan.goal_progress, 50)  # dropped goals do not count
		self.assertEqual(plan.training_hours, 14)
		self.assertEqual(plan.training_pass_rate, 50)  # one passed, one failed; attended and absent: no exam
		self.assertTrue(plan.goals[0].achieved_on)
		self.assertIsNone(plan.goals[1].achieved_on)

	def test_plan_reviews_link_scorecards_and_are_rated(self):
		plan = make_plan(self.team.rep_a)
		plan.append("reviews", {"review_date": today(), "reviewer": "Administrator", "rating": 6})
		with self.assertRaises(InvalidDevelopmentRecordError):
			plan.save(ignore_permissions=True)
		plan.reload()
		plan.append("reviews", {"review_date": today(), "reviewer": "Administrator", "rating": 4})
		plan.save(ignore_permissions=True)
		self.assertEqual(frappe.db.count("Career Development Review", {"parent": plan.name}), 1)
		self.assertEqual(
			frappe.get_meta("Career Development Review").get_field("kpi_scorecard").options, "KPI Scorecard"
		)

	def test_review_takes_only_the_salespersons_own_scorecard(self):
		from sales_reengineering.performance.scorecard import compute_scorecards
		from sales_reengineering.tests.factories_performance import make_task, make_template

		template = "_Test SR Career Review KPI"
		if not frappe.db.exists("KPI Template", template):
			make_template(template, [("Net Sales", 100, 1000)])
		cards = compute_scorecards(
			[
				make_task(self.team.rep_a, template, year=2031, quarter=1, approve=True).name,
				make_task(self.team.rep_b, template, year=2031, quarter=1, approve=True).name,
			]
		)
		by_person = dict(
			frappe.get_all(
				"KPI Scorecard", filters={"name": ("in", cards)}, fields=["assignee", "name"], as_list=True
			)
		)
		card_a, card_b = by_person[self.team.rep_a], by_person[self.team.rep_b]
		plan = make_plan(self.team.rep_a)
		plan.append("reviews", {"review_date": today(), "reviewer": "Administrator", "kpi_scorecard": card_b})
		with self.assertRaises(InvalidDevelopmentRecordError):
			plan.save(ignore_permissions=True)
		plan.reload()
		plan.append("reviews", {"review_date": today(), "reviewer": "Administrator", "kpi_scorecard": card_a})
		plan.save(ignore_permissions=True)
		self.assertEqual(plan.reviews[0].kpi_scorecard, card_a)

	def test_bad_plans_are_rejected(self):
		make_plan(self.team.rep_a)
		cases = {
			"second open plan": dict(sales_person=self.team.rep_a),
			"ends before it starts": dict(
				sales_person=self.team.rep_b, from_date=today(), to_date=add_days(today(), -1)
			),
			"active without goals": dict(sales_person=self.team.rep_b, status="Active", goals=[]),
		}
		for label, case in cases.items():
			with self.subTest(label), self.assertRaises(InvalidDevelopmentRecordError):
				make_plan(**case)
		self.assertTrue(make_plan(self.team.rep_a, status="Completed").name)  # closed plans may pile up

	def test_bad_training_records_are_rejected(self):
		cases = {
			"no hours": dict(hours=0),
			"ends before it starts": dict(end_date=add_days(today(), -1)),
			"passed without score": dict(result="Passed"),
			"score above 100": dict(result="Failed", score=120),
		}
		for label, case in cases.items():
			with self.subTest(label), self.assertRaises(InvalidDevelopmentRecordError):
				make_training(self.team.rep_a, **{"hours": 8, **case})

	def test_salesperson_sees_own_development_records(self):
		mine = make_training(self.team.rep_a).name
		theirs = make_plan(self.team.rep_b).name
		frappe.set_user(self.team.rep_a_user)
		self.assertEqual(
			frappe.get_list("Sales Training Record", filters={"name": mine}, pluck="name"), [mine]
		)
		self.assertFalse(frappe.has_permission("Career Development Plan", "read", doc=theirs))
		self.assertFalse(frappe.has_permission("Career Development Plan", "write"))
		frappe.set_user(self.team.manager_user)
		self.assertTrue(frappe.has_permission("Career Development Plan", "read", doc=theirs))
