# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt
"""Training that counts: programmes, sessions and enrolments; what completing a session writes; the
career plan's hours, the built-in indicators and the "Career Goal Due" reminder; who sees what."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, random_string, today

from sales_reengineering.customer_intelligence import training
from sales_reengineering.exceptions import (
	InvalidEnrolmentError,
	InvalidTrainingError,
	SessionFullError,
)
from sales_reengineering.performance.indicators import BUILT_INS
from sales_reengineering.reminders import engine
from sales_reengineering.reminders.engine import CAREER_GOAL_DUE, SETTINGS
from sales_reengineering.tests.factories_customer_intelligence import make_sales_person, make_team, make_user
from sales_reengineering.tests.factories_reminders import at, logs_for, set_rules
from sales_reengineering.tests.query_count import query_count

ENROLMENT = "Sales Training Enrolment"
RECORD = "Sales Training Record"


def make_programme(hours: float = 6, pass_mark: float = 60, **kwargs) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Sales Training Programme",
				"programme_name": f"_Test SR Programme {random_string(6)}",
				"training_type": "Product Knowledge",
				"hours": hours,
				"pass_mark": pass_mark,
				**kwargs,
			}
		)
		.insert()
		.name
	)


def make_session(programme: str, **kwargs):
	return frappe.get_doc(
		{
			"doctype": "Sales Training Session",
			"programme": programme,
			"session_date": kwargs.pop("session_date", today()),
			"trainer": "Ms Li",
			**kwargs,
		}
	).insert()


def enrol(session: str, sales_person: str, attendance: str | None = None, score: float | None = None):
	return frappe.get_doc(
		{
			"doctype": ENROLMENT,
			"session": session,
			"sales_person": sales_person,
			"attendance": attendance,
			"score": score,
		}
	).insert()


def records_of(session: str) -> list[frappe._dict]:
	return frappe.get_all(
		RECORD,
		filters={"training_session": session},
		fields=["sales_person", "result", "score", "hours", "training_title", "programme", "start_date"],
		order_by="sales_person",
	)


def make_plan(sales_person: str, **kwargs):
	return frappe.get_doc(
		{
			"doctype": "Career Development Plan",
			"sales_person": sales_person,
			"from_date": add_days(today(), -30),
			"to_date": add_months(today(), 6),
			"status": "Active",
			"goals": kwargs.pop("goals", [{"goal": "Pass the product exam", "status": "In Progress"}]),
			**kwargs,
		}
	).insert()


class TrainingTestCase(FrappeTestCase):
	def setUp(self):
		self.team = make_team()
		self.programme = make_programme()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.clear_document_cache(SETTINGS, SETTINGS)


class TestSessions(TrainingTestCase):
	def test_completing_writes_each_participants_record_once(self):
		session = make_session(self.programme, capacity=5)
		enrol(session.name, self.team.rep_a, "Attended", 85)
		enrol(session.name, self.team.rep_b, "Absent")
		session.reload()
		self.assertEqual(session.enrolled, 2)
		session.submit()
		self.assertEqual(session.status, "Completed")
		rows = records_of(session.name)
		self.assertEqual(
			[(row.sales_person, row.result, row.score, row.hours) for row in rows],
			[(self.team.rep_a, "Passed", 85, 6), (self.team.rep_b, "Absent", 0, 6)],
		)
		self.assertEqual(rows[0].programme, self.programme)

		session.cancel()
		self.assertEqual(records_of(session.name), [])
		self.assertEqual(frappe.db.get_value(session.doctype, session.name, "status"), "Cancelled")

		amended = frappe.copy_doc(session)
		amended.update({"amended_from": session.name, "docstatus": 0})
		amended.insert()
		# the amendment takes over the enrolments; completing it writes the records again, once
		self.assertEqual(frappe.db.count(ENROLMENT, {"session": amended.name}), 2)
		amended.submit()
		self.assertEqual(len(records_of(amended.name)), 2)
		self.assertEqual(
			frappe.db.count(RECORD, {"training_session": ("in", [session.name, amended.name])}), 2
		)

	def test_completion_is_one_bulk_insert(self):
		people = [make_sales_person(f"_Test SR Trainee {random_string(6)}") for _ in range(6)]
		warm, small, large = (make_session(self.programme) for _ in range(3))
		enrol(warm.name, people[0], "Attended", 70)
		warm.reload()
		warm.submit()  # the first completion loads metadata and caches
		for person in people[:2]:
			enrol(small.name, person, "Attended", 70)
		for person in people:
			enrol(large.name, person, "Attended", 70)
		small.reload()
		large.reload()
		with patch.object(frappe.db, "bulk_insert", wraps=frappe.db.bulk_insert) as bulk:
			queries_small = query_count(small.submit)
			queries_large = query_count(large.submit)
		self.assertEqual(bulk.call_count, 2)  # one per session
		self.assertEqual(len(records_of(large.name)), 6)
		# the queries of a completion do not grow with its participants
		self.assertEqual(queries_large, queries_small)
		self.assertEqual(query_count(training.refresh_plan_training_hours, people), 1)

	def test_result_follows_the_pass_mark(self):
		no_exam = make_programme(pass_mark=0)
		session = make_session(self.programme)
		self.assertEqual(enrol(session.name, self.team.rep_a, "Attended", 59).result, "Failed")
		self.assertEqual(enrol(session.name, self.team.rep_b, "Attended", 60).result, "Passed")
		session = make_session(no_exam)
		self.assertEqual(enrol(session.name, self.team.rep_a, "Attended").result, "Attended")
		self.assertIsNone(enrol(session.name, self.team.rep_b).result)

	def test_bad_enrolments_are_refused(self):
		session = make_session(self.programme, capacity=2)
		no_exam_session = make_session(make_programme(pass_mark=0))
		disabled = make_sales_person(f"_Test SR Disabled {random_string(6)}")
		frappe.db.set_value("Sales Person", disabled, "enabled", 0)
		enrol(session.name, self.team.rep_a)
		cases = {
			# Frappe's own link check: "Could not find Sales Person: ..."
			"unknown salesperson": (frappe.LinkValidationError, session.name, "_Test SR Nobody", None, None),
			"disabled salesperson": (InvalidEnrolmentError, session.name, disabled, None, None),
			"a team": (InvalidEnrolmentError, session.name, self.team.manager, None, None),
			"enrolled twice": (InvalidEnrolmentError, session.name, self.team.rep_a, None, None),
			"unknown session": (InvalidEnrolmentError, "STS-NONE", self.team.rep_b, None, None),
			"score without attendance": (InvalidEnrolmentError, session.name, self.team.rep_b, None, 80),
			"score when absent": (InvalidEnrolmentError, session.name, self.team.rep_b, "Absent", 80),
			"score above 100": (InvalidEnrolmentError, session.name, self.team.rep_b, "Attended", 120),
			"score without an exam": (
				InvalidEnrolmentError,
				no_exam_session.name,
				self.team.rep_b,
				"Attended",
				80,
			),
		}
		for label, (error, session_name, person, attendance, score) in cases.items():
			with self.subTest(label), self.assertRaises(error):
				enrol(session_name, person, attendance, score)
		self.assertEqual(frappe.db.count(ENROLMENT, {"session": session.name}), 1, "nothing half-saved")

		enrol(session.name, self.team.rep_b)
		third = make_sales_person(f"_Test SR Trainee {random_string(6)}")
		with self.assertRaises(SessionFullError):
			enrol(session.name, third)
		session.reload()
		session.capacity = 1
		with self.assertRaises(InvalidTrainingError):
			session.save()

	def test_bad_sessions_and_completions_are_refused(self):
		inactive = make_programme(active=0)
		with self.assertRaises(InvalidTrainingError):
			make_session(inactive)
		with self.assertRaises(InvalidTrainingError):
			make_session(self.programme, from_time="10:00:00", to_time="09:00:00")
		with self.assertRaises(InvalidTrainingError):
			make_session(self.programme, hours=2000)
		with self.assertRaises(InvalidTrainingError):
			make_programme(pass_mark=120)

		empty = make_session(self.programme)
		with self.assertRaises(InvalidTrainingError):
			empty.submit()
		session = make_session(self.programme)
		enrol(session.name, self.team.rep_a, "Attended", 90)
		enrol(session.name, self.team.rep_b)  # attendance not recorded
		with self.assertRaises(InvalidTrainingError):
			session.submit()
		self.assertEqual(records_of(session.name), [])

		frappe.db.set_value(
			ENROLMENT, {"session": session.name, "sales_person": self.team.rep_b}, "attendance", "Absent"
		)
		session.reload()
		session.submit()
		late = make_sales_person(f"_Test SR Trainee {random_string(6)}")
		with self.assertRaises(InvalidEnrolmentError):
			enrol(session.name, late)  # a completed session takes nobody
		enrolment = frappe.get_doc(ENROLMENT, {"session": session.name, "sales_person": self.team.rep_a})
		enrolment.score = 10
		with self.assertRaises(InvalidEnrolmentError):
			enrolment.save()

	def test_a_session_that_never_took_place_goes_with_its_enrolments(self):
		session = make_session(self.programme)
		enrol(session.name, self.team.rep_a)
		session.delete()
		self.assertFalse(frappe.db.exists(ENROLMENT, {"session": session.name}))

	def test_enrol_button_enrols_several_or_none(self):
		session = make_session(self.programme)
		names = training.enrol(session=session.name, sales_persons=[self.team.rep_a, self.team.rep_b])
		self.assertEqual(len(names), 2)
		other = make_session(self.programme)
		with self.assertRaises(InvalidEnrolmentError):
			training.enrol(session=other.name, sales_persons=[self.team.rep_a, self.team.manager])


class TestPlanAndIndicators(TrainingTestCase):
	def test_plan_hours_follow_the_records(self):
		plan = make_plan(self.team.rep_a)
		self.assertEqual(plan.training_hours, 0)
		session = make_session(self.programme, hours=4)
		enrol(session.name, self.team.rep_a, "Attended", 75)
		session.submit()
		hours_and_rate = lambda: frappe.db.get_value(  # noqa: E731
			plan.doctype, plan.name, ["training_hours", "training_pass_rate"]
		)
		self.assertEqual(hours_and_rate(), (4, 100))  # 75 against the pass mark 60: passed

		record = frappe.get_doc(
			{
				"doctype": RECORD,
				"sales_person": self.team.rep_a,
				"training_title": "Negotiation",
				"start_date": today(),
				"hours": 3,
				"result": "Failed",
				"score": 40,
			}
		).insert()
		self.assertEqual(hours_and_rate(), (7, 50))
		record.delete()
		self.assertEqual(hours_and_rate(), (4, 100))
		session.reload()
		session.cancel()
		self.assertEqual(hours_and_rate(), (0, 0))

	def test_indicator_values_for_a_known_dataset(self):
		a, b, team = self.team.rep_a, self.team.rep_b, self.team.manager
		first = make_session(self.programme, session_date="2031-02-03", hours=6)
		enrol(first.name, a, "Attended", 90)
		enrol(first.name, b, "Attended", 40)
		first.submit()
		second = make_session(self.programme, session_date="2031-03-10", hours=4)
		enrol(second.name, a, "Attended", 50)
		enrol(second.name, b, "Absent")
		second.submit()
		later = make_session(self.programme, session_date="2031-05-01", hours=8)  # after the period
		enrol(later.name, a, "Attended", 99)
		later.submit()

		hours = BUILT_INS["training_hours"].compute([a, b], "2031-01-01", "2031-03-31")
		self.assertEqual(hours, {a: 10, b: 6})  # the absence does not count
		rate = BUILT_INS["training_pass_rate"].compute([a, b], "2031-01-01", "2031-03-31")
		self.assertEqual(rate, {a: 50, b: 0})
		names = BUILT_INS["training_hours"].document_names([a], "2031-01-01", "2031-03-31", 10)
		self.assertEqual(len(names), 2)
		# one grouped query for everyone, and the team's value rolled up from its members
		from sales_reengineering.performance.indicators import rollup

		self.assertEqual(rollup([hours[a], hours[b]], BUILT_INS["training_hours"].rollup), 16)
		self.assertEqual(rollup([rate[a], rate[b]], BUILT_INS["training_pass_rate"].rollup), 25)
		self.assertTrue(frappe.db.exists("KPI Indicator", "Training Hours"))
		for key in ("training_hours", "training_pass_rate"):
			self.assertEqual(query_count(BUILT_INS[key].compute, [a, b, team], "2031-01-01", "2031-03-31"), 1)
		self.assertNotIn(team, hours)


class TestCareerGoalReminder(TrainingTestCase):
	def test_fires_once_for_a_due_goal_and_not_for_an_achieved_one(self):
		mentor = make_user(f"mentor-{random_string(6).lower()}@sr-test.invalid", ["Sales User"])
		set_rules(**{CAREER_GOAL_DUE: {"days": 7, "notify_owner": 1}})
		plan = make_plan(
			self.team.rep_a,
			mentor=mentor,
			goals=[
				{
					"goal": "Pass the storage exam",
					"status": "In Progress",
					"target_date": add_days(today(), 3),
				},
				{"goal": "Sign two dealers", "status": "Achieved", "target_date": add_days(today(), 3)},
				{"goal": "Lead a key account", "status": "Not Started", "target_date": add_days(today(), 30)},
			],
		)
		achieved_only = make_plan(
			self.team.rep_b,
			goals=[{"goal": "Done already", "status": "Achieved", "target_date": add_days(today(), 1)}],
		)
		with patch.object(frappe, "sendmail"):
			engine.run(at(0))
			logs = logs_for(plan.name, rule=CAREER_GOAL_DUE)
			self.assertEqual({row.recipient for row in logs}, {self.team.rep_a_user, mentor})
			self.assertEqual(logs_for(achieved_only.name), [])
			message = frappe.db.get_value("Sales Reminder Log", logs[0].name, "message")
			self.assertIn("Pass the storage exam", message)
			self.assertNotIn("Sign two dealers", message)
			engine.run(at(0, hour=15))
			engine.run(at(1))
		self.assertEqual(len(logs_for(plan.name, rule=CAREER_GOAL_DUE)), 2, "no duplicate reminders")
		# the mentor may open the plan the reminder names
		frappe.set_user(mentor)
		self.assertTrue(frappe.has_permission("Career Development Plan", "read", doc=plan.name))
		self.assertFalse(frappe.has_permission("Career Development Plan", "read", doc=achieved_only.name))

	def test_an_administrator_sets_the_days(self):
		set_rules(**{CAREER_GOAL_DUE: {"days": 2, "notify_owner": 1}})
		plan = make_plan(
			self.team.rep_a,
			goals=[{"goal": "Pass the exam", "status": "In Progress", "target_date": add_days(today(), 3)}],
		)
		with patch.object(frappe, "sendmail"):
			engine.run(at(0))
			self.assertEqual(logs_for(plan.name), [], "3 days away, reminded 2 days before")
			engine.run(at(1))
		self.assertEqual(len(logs_for(plan.name)), 1)


class TestTrainingScope(TrainingTestCase):
	def test_a_salesperson_sees_only_their_own_enrolments(self):
		session = make_session(self.programme)
		mine = enrol(session.name, self.team.rep_a).name
		theirs = enrol(session.name, self.team.rep_b).name
		frappe.set_user(self.team.rep_b_user)
		listed = frappe.call(
			"frappe.client.get_list", doctype=ENROLMENT, fields=["name"], limit_page_length=0
		)
		self.assertEqual({row.name for row in listed}, {theirs})
		self.assertFalse(frappe.has_permission(ENROLMENT, "read", doc=mine))
		self.assertTrue(frappe.has_permission("Sales Training Programme", "read", doc=self.programme))
		self.assertFalse(frappe.has_permission(ENROLMENT, "create"))
		self.assertFalse(frappe.has_permission("Sales Training Session", "write"))
		frappe.set_user(self.team.manager_user)
		listed = frappe.get_list(ENROLMENT, filters={"session": session.name}, pluck="name")
		self.assertEqual(set(listed), {mine, theirs})
