# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Hand-computed scorecards on real invoices (see `make_sales_scenario` for the numbers)."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.performance import scorecard
from sales_reengineering.scope import performance as permissions
from sales_reengineering.performance.indicators import BUILT_INS
from sales_reengineering.tests.factories_performance import (
	NORTH,
	REP_A,
	REP_B,
	make_drilldown_scenario,
	make_indicator,
	make_sales_scenario,
	make_task,
	make_template,
)

TEMPLATE = "_Test SR Scorecard Template"
ROWS = [("Net Sales", 60, 1000), ("New Customers", 20, 2), ("Collections", 20, 500)]


def card_of(task):
	return frappe.get_doc("KPI Scorecard", {"sales_task": task})


class TestKPIScorecard(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.scenario = make_sales_scenario()
		make_template(TEMPLATE, ROWS)
		cls.task_a = make_task(REP_A, TEMPLATE, approve=True).name
		cls.task_b = make_task(REP_B, TEMPLATE, approve=True).name
		cls.task_north = make_task(NORTH, TEMPLATE, approve=True).name

	def test_individual_scorecards(self):
		card = card_of(self.task_a)
		# A: net 1100/1000 = 110% -> 66; new 1/2 -> 10; collections 300/500 -> 12
		self.assertEqual(
			[(r.indicator, r.actual, r.attainment, r.weighted_score) for r in card.rows],
			[("Net Sales", 1100, 110, 66), ("New Customers", 1, 50, 10), ("Collections", 300, 60, 12)],
		)
		self.assertEqual((card.total_score, card.beat_target, card.period_label), (88, 0, "2026-Q3"))
		# B: net 200 -> 12; no new customer -> 0; collections 200/500 -> 8
		card = card_of(self.task_b)
		self.assertEqual([r.actual for r in card.rows], [200, 0, 200])
		self.assertEqual(card.total_score, 20)

	def test_team_rolls_up_and_is_capped(self):
		card = card_of(self.task_north)
		# North = A + B: net 1300 -> 130% capped at 120% -> 72; new 1/2 -> 10; collections 500/500 -> 20
		self.assertEqual([r.actual for r in card.rows], [1300, 1, 500])
		self.assertEqual([r.score_ratio for r in card.rows], [120, 50, 100])
		self.assertEqual((card.total_score, card.beat_target, card.is_group), (102, 1, 1))

	def test_recompute_is_idempotent(self):
		first = card_of(self.task_a)
		names = scorecard.compute_scorecards([self.task_a, self.task_a, self.task_b])
		self.assertEqual(sorted(names), sorted([first.name, card_of(self.task_b).name]))
		again = card_of(self.task_a)
		self.assertEqual(frappe.db.count("KPI Scorecard", {"sales_task": self.task_a}), 1)
		self.assertEqual(frappe.db.count("KPI Scorecard Row", {"parent": first.name}), 3)
		self.assertEqual(again.total_score, first.total_score)

	def test_scoring_methods(self):
		frappe.db.set_value("KPI Template", TEMPLATE, "scoring_method", "Linear")
		frappe.clear_document_cache("KPI Template", TEMPLATE)
		scorecard.compute_scorecards([self.task_north])
		self.assertEqual(card_of(self.task_north).total_score, 108)  # 78 + 10 + 20
		template = frappe.get_doc("KPI Template", TEMPLATE)
		template.scoring_method = "Stepped"
		template.set("steps", [{"min_attainment": 50, "score": 50}, {"min_attainment": 100, "score": 100}])
		template.save()
		scorecard.compute_scorecards([self.task_a])
		self.assertEqual(card_of(self.task_a).total_score, 80)  # 60 + 10 + 10
		template.scoring_method = "Capped"
		template.save()
		scorecard.compute_scorecards([self.task_a, self.task_north])
		self.assertEqual(card_of(self.task_a).total_score, 88)

	def test_lower_is_better_and_zero_actual(self):
		complaints = make_indicator("_Test SR Complaints", higher_is_better=0, unit="Count")
		make_template("_Test SR Complaints T", [("Net Sales", 50, 1000), (complaints.name, 50, 2)])
		for value in (1, 3):
			frappe.get_doc(
				{
					"doctype": "KPI Manual Entry",
					"indicator": complaints.name,
					"party_type": "Sales Person",
					"party": REP_A,
					"entry_date": "2026-08-01",
					"value": value,
					"remarks": "customer complaint",
				}
			).insert()
		task_a = make_task(REP_A, "_Test SR Complaints T", approve=True).name
		task_b = make_task(REP_B, "_Test SR Complaints T", approve=True).name
		# A: net 110% -> 55; complaints 2/4 = 50% -> 25
		self.assertEqual(card_of(task_a).total_score, 80)
		# B: net 20% -> 10; no complaint at all -> best possible, capped at 120% -> 60
		self.assertEqual(card_of(task_b).total_score, 70)

	def test_drilldown_lists_the_source_documents(self):
		card = card_of(self.task_a)
		result = scorecard.get_drilldown(card.name, "Net Sales")
		self.assertEqual(result["doctype"], "Sales Invoice")
		self.assertEqual(
			sorted(result["names"]), sorted([self.scenario.inv1, self.scenario.ret, self.scenario.split])
		)
		result = scorecard.get_drilldown(card_of(self.task_b).name, "Collections")
		self.assertEqual(result["names"], [self.scenario.payment])
		result = scorecard.get_drilldown(card_of(self.task_north).name, "Net Sales")
		self.assertEqual(len(result["names"]), 3)
		with self.assertRaises(frappe.ValidationError):
			scorecard.get_drilldown(card.name, "Opportunities Won")

	def test_refresh_entry_points(self):
		self.assertEqual(scorecard.refresh_scorecard(self.task_a), card_of(self.task_a).name)
		draft = make_task(REP_A, TEMPLATE, month=10)
		with self.assertRaises(frappe.ValidationError):
			scorecard.refresh_scorecard(draft.name)
		live = scorecard.live_task_names("2026-09-15")
		self.assertTrue({self.task_a, self.task_b, self.task_north} <= set(live))
		self.assertNotIn(self.task_a, scorecard.live_task_names("2026-12-31"))
		with (
			patch("frappe.enqueue") as enqueue,
			patch.object(scorecard, "ENQUEUE_THRESHOLD", 0),
			patch.object(scorecard, "live_task_names", return_value=[self.task_a]),
		):
			self.assertEqual(scorecard.refresh_all_scorecards(), {"queued": True, "count": 1})
		kwargs = enqueue.call_args.kwargs
		self.assertEqual(
			(kwargs["queue"], kwargs["deduplicate"], kwargs["enqueue_after_commit"]), ("long", True, True)
		)
		self.assertEqual(kwargs["task_names"], [self.task_a])


class TestScorecardPermissions(FrappeTestCase):
	"""A salesperson sees their own targets and scores; a manager sees the team's."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.rep_user = cls.make_user("sr_perf_rep@example.com", REP_A)
		cls.manager_user = cls.make_user("sr_perf_manager@example.com", NORTH)
		make_template(TEMPLATE, ROWS)

	@classmethod
	def make_user(cls, email, sales_person):
		if not frappe.db.exists("User", email):
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": email.split("@")[0],
					"send_welcome_email": 0,
				}
			)
			user.insert(ignore_permissions=True)
			user.add_roles("Sales User")
		employee = frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": email.split("@")[0],
				"gender": "Male",
				"date_of_birth": "1990-01-01",
				"date_of_joining": "2020-01-01",
				"company": "_Test SR Company",
				"user_id": email,
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value("Sales Person", sales_person, "employee", employee.name)
		return email

	def test_subtree_visibility(self):
		self.assertEqual(permissions.sales_persons_of(self.rep_user), [REP_A])
		self.assertEqual(set(permissions.sales_persons_of(self.manager_user)), {NORTH, REP_A, REP_B})
		self.assertEqual(permissions.sales_task_query("Administrator"), "")
		condition = permissions.scorecard_query(self.rep_user)
		self.assertIn(frappe.db.escape(REP_A), condition)
		self.assertNotIn(frappe.db.escape(REP_B), condition)
		task_b = frappe._dict(owner="Administrator", assignee_type="Sales Person", assignee=REP_B)
		self.assertFalse(permissions.sales_task_has_permission(task_b, "read", self.rep_user))
		self.assertTrue(permissions.sales_task_has_permission(task_b, "read", self.manager_user))
		dealer_task = frappe._dict(owner="Administrator", assignee_type="Dealer", assignee="X")
		self.assertFalse(permissions.scorecard_has_permission(dealer_task, "read", self.manager_user))

	def test_list_is_filtered_for_the_rep(self):
		mine = make_task(REP_A, TEMPLATE).name
		other = make_task(REP_B, TEMPLATE).name
		frappe.set_user(self.rep_user)
		try:
			visible = frappe.get_list("Sales Task", pluck="name")
		finally:
			frappe.set_user("Administrator")
		self.assertIn(mine, visible)
		self.assertNotIn(other, visible)

	def test_rep_proposes_only_for_themselves(self):
		frappe.set_user(self.rep_user)
		try:
			own = make_task(REP_A, TEMPLATE, month=11)
			self.assertEqual(own.owner, self.rep_user)
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc(
					{
						"doctype": "Sales Task",
						"assignee_type": "Sales Person",
						"assignee": REP_B,
						"template": TEMPLATE,
						"period_type": "Month",
						"year": 2026,
						"month": "11",
					}
				).insert()
		finally:
			frappe.set_user("Administrator")
		other = frappe._dict(owner=self.rep_user, assignee_type="Sales Person", assignee=REP_B)
		self.assertTrue(permissions.sales_task_has_permission(other, "read", self.rep_user))
		self.assertFalse(permissions.sales_task_has_permission(other, "write", self.rep_user))


ALL_BUILT_INS = "_Test SR Every Built-in"
# what each built-in's "Source Documents" button lists
DRILLDOWN_DOCTYPES = {
	"net_sales": "Sales Invoice",
	"opportunity_revenue_share": "Sales Invoice",
	"collections": "Payment Entry",
	"new_customers": "Customer",
	"repeat_customers": "Customer",
	"opportunities_advanced": "Opportunity",
	"opportunities_won": "Opportunity",
	"stage_progress_rate": "Sales Progress Snapshot",
	"customer_completeness": "Customer",
	"info_feedback_count": "Info Feedback Report",
	"info_feedback_rating": "Info Feedback Report",
	"activities_logged": "Event",
	"visit_plan_completion": "Visit Plan",
	"training_hours": "Sales Training Record",
	"training_pass_rate": "Sales Training Record",
	"dealer_sell_in": "Sales Invoice",
	"assistant_completeness": "Customer",
	"customers_maintained": "Customer",
	"info_feedback_weekly": "Info Feedback Report",
	"telesales_calls": "Telesales Call",
	"telesales_conversions": "Telesales Call",
}
# the built-ins measuring Sales Persons (the dealer ones: test_dealer_telesales_indicators)
PERSON_BUILT_INS = {key: item for key, item in BUILT_INS.items() if item.party_type == "Sales Person"}


class TestDrilldownEveryBuiltIn(FrappeTestCase):
	"""Each built-in lists exactly the documents behind its value (see `make_drilldown_scenario`): the
	rep's own, never the other rep's, and both for their team."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.scenario = make_drilldown_scenario()
		cls.team = team = cls.scenario.team
		labels = [builtin.label for builtin in PERSON_BUILT_INS.values()]
		base, extra = divmod(100, len(labels))
		make_template(
			ALL_BUILT_INS,
			[(label, base + int(idx < extra), 1) for idx, label in enumerate(labels)],
		)
		cls.cards = {
			person: card_of(make_task(person, ALL_BUILT_INS, approve=True).name)
			for person in (team.rep_a, team.rep_b, team.manager)
		}

	def actuals(self, person):
		return {row.indicator: row.actual for row in self.cards[person].rows}

	def test_every_builtin_lists_its_own_documents(self):
		self.assertEqual(set(DRILLDOWN_DOCTYPES), set(PERSON_BUILT_INS))
		team, expected = self.team, self.scenario.expected
		for key, builtin in PERSON_BUILT_INS.items():
			with self.subTest(key=key):
				mine, theirs = expected[key][team.rep_a], expected[key][team.rep_b]
				self.assertTrue(mine and theirs and not set(mine) & set(theirs))
				result = scorecard.get_drilldown(self.cards[team.rep_a].name, builtin.label)
				self.assertEqual(result["doctype"], DRILLDOWN_DOCTYPES[key])
				self.assertEqual(result["names"], mine)
				self.assertFalse(result["truncated"])
				result = scorecard.get_drilldown(self.cards[team.rep_b].name, builtin.label)
				self.assertEqual(result["names"], theirs)
				result = scorecard.get_drilldown(self.cards[team.manager].name, builtin.label)
				self.assertEqual(result["names"], sorted(mine + theirs))

	def test_counts_are_the_number_of_listed_documents(self):
		team, expected = self.team, self.scenario.expected
		for person in (team.rep_a, team.rep_b):
			actuals = self.actuals(person)
			for key, builtin in PERSON_BUILT_INS.items():
				if builtin.unit == "Count":
					with self.subTest(key=key, person=person):
						self.assertEqual(actuals[builtin.label], len(expected[key][person]))

	def test_hand_computed_values(self):
		team = self.team
		# (rep A, rep B, team); the team sums or averages its members' values
		values = {
			"Net Sales": (1400, 900, 2300),
			"Revenue Reported Through Opportunities": (0, 0, 0),
			"Visit Plan Completion": (100, 50, 75),
			"Training Hours": (10, 7, 17),
			"Training Pass Rate": (50, 100, 75),
			"Collections": (1000, 600, 1600),
			"Dealer Sell-in": (300, 400, 700),
			"Weekly Stage-Progress Rate": (50, 100, 75),
			"Info Feedback Rating": (4, 3, 3.5),
			"Customer Data Completeness": (60, 70, 65),
			"Maintained Customer Completeness": (65, 40, 52.5),
			"Customers Maintained": (2, 1, 3),
		}
		# Q3 has 92 days = 92 / 7 weeks: rep A has 2 approved reports, rep B 1, the team averages them
		weekly = tuple(
			self.actuals(person)["Info Feedback Weekly Frequency"]
			for person in (team.rep_a, team.rep_b, team.manager)
		)
		for actual, expected in zip(weekly, (2 * 7 / 92, 7 / 92, 1.5 * 7 / 92), strict=True):
			self.assertAlmostEqual(actual, expected, places=3)
		for indicator, numbers in values.items():
			with self.subTest(indicator=indicator):
				self.assertEqual(
					tuple(
						self.actuals(person)[indicator] for person in (team.rep_a, team.rep_b, team.manager)
					),
					numbers,
				)

	def test_drilldown_is_limited(self):
		with patch.object(scorecard, "DRILLDOWN_LIMIT", 1):
			result = scorecard.get_drilldown(self.cards[self.team.manager].name, "Net Sales")
		self.assertEqual(len(result["names"]), 1)
		self.assertTrue(result["truncated"])

	def test_only_readers_of_the_scorecard_drill_down(self):
		team, expected = self.team, self.scenario.expected
		frappe.set_user(team.rep_a_user)
		try:
			result = scorecard.get_drilldown(self.cards[team.rep_a].name, "New Customers")
			self.assertEqual(result["names"], expected["new_customers"][team.rep_a])
			with self.assertRaises(frappe.PermissionError):
				scorecard.get_drilldown(self.cards[team.rep_b].name, "New Customers")
			with self.assertRaises(frappe.PermissionError):
				scorecard.get_drilldown(self.cards[team.manager].name, "Net Sales")
		finally:
			frappe.set_user("Administrator")
