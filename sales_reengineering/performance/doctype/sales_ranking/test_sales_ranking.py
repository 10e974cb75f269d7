# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import InvalidRankingError
from sales_reengineering.performance import ranking
from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
	get_settings,
)
from sales_reengineering.tests.factories_performance import (
	NORTH,
	REP_A,
	REP_B,
	REP_C,
	SETTINGS,
	get_reward_tier_rows,
	make_indicator,
	make_task,
	make_template,
	set_reward_tiers,
)
from sales_reengineering.tests.utils import make_user

EAST = "_Test SR East Manager"
DIRECTOR = "_Test SR Sales Director"
TEMPLATE = "_Test SR Ranking Template"


def link_user(email, sales_person):
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "send_welcome_email": 0}
		)
		user.insert(ignore_permissions=True)
	employee = frappe.get_doc(
		{
			"doctype": "Employee",
			"first_name": email.split("@")[0],
			"gender": "Female",
			"date_of_birth": "1990-01-01",
			"date_of_joining": "2020-01-01",
			"company": "_Test SR Company",
			"user_id": email,
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value("Sales Person", sales_person, "employee", employee.name)
	return email


class TestSalesRanking(FrappeTestCase):
	"""August 2026, one manual indicator (target 10, weight 100, capped at 120%):
	A = 12 -> 120, B = 12 -> 120, C = 5 -> 50; teams North (A + B = 24) -> 120, East (C) -> 50."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.saved_tiers = get_reward_tier_rows()
		set_reward_tiers(
			[("_Test SR Top", "Top Percent of Ranking", 10, 1), ("_Test SR Beat", "Score At Least", 100, 2)]
		)
		visits = make_indicator("_Test SR Visits", unit="Count")
		make_template(TEMPLATE, [(visits.name, 100, 10)])
		for person, value in ((REP_A, 12), (REP_B, 12), (REP_C, 5)):
			frappe.get_doc(
				{
					"doctype": "KPI Manual Entry",
					"indicator": visits.name,
					"party_type": "Sales Person",
					"party": person,
					"entry_date": "2026-08-10",
					"value": value,
					"remarks": "visits",
				}
			).insert()
		for person in (REP_A, REP_B, REP_C, NORTH, EAST):
			make_task(person, TEMPLATE, month=8, approve=True)
		cls.rep_user = link_user("sr_rank_rep@example.com", REP_A)
		cls.manager_user = link_user("sr_rank_manager@example.com", NORTH)

	@classmethod
	def tearDownClass(cls):
		# the class rollback undoes the rows too; putting them back explicitly also covers a commit
		set_reward_tiers(cls.saved_tiers)
		super().tearDownClass()
		frappe.clear_document_cache(SETTINGS, SETTINGS)

	def entries(self, name):
		return [
			(row.rank, row.sales_person, row.total_score, row.reward_tier)
			for row in frappe.get_doc("Sales Ranking", name).entries
		]

	def notifications(self, user):
		return frappe.db.count("Notification Log", {"for_user": user, "document_type": "Sales Ranking"})

	def test_individual_ranking_with_ties_and_tiers(self):
		name = ranking.compute_ranking("Month", 2026, 8)
		self.assertEqual(name, "RANK-2026-08-Individuals")
		# A and B tie at rank 1 (competition ranking: next is 3); the top 10% of 3 people is rank 1,
		# which both tied people share
		self.assertEqual(
			self.entries(name),
			[(1, REP_A, 120, "_Test SR Top"), (1, REP_B, 120, "_Test SR Top"), (3, REP_C, 50, None)],
		)

	def test_team_ranking(self):
		name = ranking.compute_ranking("Month", 2026, 8, "Teams")
		# North and East have tasks of their own; the director has none and is ranked on the average of
		# the reps below it, (120 + 120 + 50) / 3; the tree's root "Sales Team" is never ranked
		self.assertEqual(
			self.entries(name),
			[(1, NORTH, 120, "_Test SR Top"), (2, DIRECTOR, 96.67, None), (3, EAST, 50, None)],
		)

	def test_recompute_replaces_the_snapshot_and_notifies_once(self):
		if frappe.db.exists("Sales Ranking", "RANK-2026-08-Individuals"):
			frappe.delete_doc("Sales Ranking", "RANK-2026-08-Individuals")
		before_rep, before_manager = self.notifications(self.rep_user), self.notifications(self.manager_user)
		first = ranking.compute_ranking("Month", 2026, 8)
		self.assertEqual(self.notifications(self.rep_user), before_rep + 1)
		# the North manager hears of both winners in the team (A and B)
		self.assertEqual(self.notifications(self.manager_user), before_manager + 2)
		second = ranking.compute_ranking("Month", 2026, 8)
		self.assertEqual(first, second)
		self.assertEqual(
			frappe.db.count("Sales Ranking", {"period_label": "2026-08", "level": "Individuals"}), 1
		)
		self.assertEqual(frappe.db.count("Sales Ranking Entry", {"parent": first}), 3)
		self.assertEqual(self.notifications(self.rep_user), before_rep + 1)

	def test_score_tier_when_not_in_top(self):
		top = {"parent": SETTINGS, "parentfield": "reward_tiers", "tier_name": "_Test SR Top"}
		frappe.db.set_value("KPI Reward Tier", top, "enabled", 0)
		try:
			name = ranking.compute_ranking("Month", 2026, 8)
			self.assertEqual([row[3] for row in self.entries(name)], ["_Test SR Beat", "_Test SR Beat", None])
		finally:
			frappe.db.set_value("KPI Reward Tier", top, "enabled", 1)

	def test_empty_period_gives_an_empty_ranking(self):
		name = ranking.compute_ranking("Quarter", 2025, 1)
		self.assertEqual(self.entries(name), [])
		with self.assertRaises(InvalidRankingError):
			ranking.compute_ranking("Month", 2026, 8, "Everyone")

	def test_scheduler_runs_on_the_ranking_day(self):
		day = get_settings().ranking_day_of_month
		self.assertEqual(
			ranking.scheduled_rankings(f"2026-09-{day:02d}"),
			["RANK-2026-08-Individuals", "RANK-2026-08-Teams"],
		)
		self.assertEqual(
			ranking.scheduled_rankings(f"2026-10-{day:02d}"),
			[
				"RANK-2026-09-Individuals",
				"RANK-2026-09-Teams",
				"RANK-2026-Q3-Individuals",
				"RANK-2026-Q3-Teams",
			],
		)
		other = 2 if day != 2 else 3
		self.assertEqual(ranking.scheduled_rankings(f"2026-09-{other:02d}"), [])

	def test_scheduler_catches_up_a_missed_ranking_day(self):
		day = get_settings().ranking_day_of_month
		if day > 1:
			# before the ranking day, last month is never ranked early
			self.assertEqual(ranking.scheduled_rankings(f"2026-11-{day - 1:02d}"), [])
		# the ranking day itself was missed: the next run ranks October once, and only once
		self.assertFalse(frappe.db.exists("Sales Ranking", "RANK-2026-10-Individuals"))
		self.assertEqual(
			ranking.scheduled_rankings(f"2026-11-{day + 1:02d}"),
			["RANK-2026-10-Individuals", "RANK-2026-10-Teams"],
		)
		self.assertEqual(ranking.scheduled_rankings(f"2026-11-{day + 2:02d}"), [])

	def test_leaderboard(self):
		self.assertIn("KPI Scorecard", ranking.get_leaderboards())
		rows = ranking.get_scorecard_leaderboard('["2026-08-01", "2026-08-31"]')
		self.assertEqual([row["value"] for row in rows], [120, 120, 50])
		self.assertEqual(rows[0]["formatted_name"], f"{REP_A} (2026-08)")


FALLBACK_MONTHLY = "_Test SR Fallback Monthly"
FALLBACK_QUARTERLY = "_Test SR Fallback Quarterly"
TEST_PEOPLE = {REP_A, REP_B, REP_C, NORTH, EAST, DIRECTOR}


class TestMonthlyFallbackAndTeams(FrappeTestCase):
	"""November 2026. Quarterly 2026-Q4 template: visits (Count, Sum) target 30 weight 50 -> 10 a
	month; rating (Rating, Average) target 4 weight 50 -> 4 a month.
	A (quarterly only): Oct 20 visits, Nov 10 visits + rating 4 -> month 50 + 50 = 100
	B (quarterly only): Nov 5 visits + rating 2 -> 25 + 25 = 50
	C (a monthly task, visits target 10, and a quarterly one): Nov 5 visits -> monthly 50 (the monthly
	task wins; with the quarterly one the average would be 37.5)
	East (own monthly task, visits target 5): its members' 5 visits -> 100."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		visits = make_indicator("_Test SR Fallback Visits", unit="Count").name
		rating = make_indicator("_Test SR Fallback Rating", unit="Rating", rollup_method="Average").name
		make_template(FALLBACK_MONTHLY, [(visits, 100, 10)])
		make_template(FALLBACK_QUARTERLY, [(visits, 50, 30), (rating, 50, 4)])
		for person, indicator, day, value in (
			(REP_A, visits, "2026-10-15", 20),
			(REP_A, visits, "2026-11-10", 10),
			(REP_A, rating, "2026-11-10", 4),
			(REP_B, visits, "2026-11-11", 5),
			(REP_B, rating, "2026-11-11", 2),
			(REP_C, visits, "2026-11-12", 5),
		):
			frappe.get_doc(
				{
					"doctype": "KPI Manual Entry",
					"indicator": indicator,
					"party_type": "Sales Person",
					"party": person,
					"entry_date": day,
					"value": value,
					"remarks": "fallback",
				}
			).insert(ignore_permissions=True)
		for person in (REP_A, REP_B, REP_C):
			make_task(person, FALLBACK_QUARTERLY, quarter=4, approve=True)
		cls.task_c = make_task(REP_C, FALLBACK_MONTHLY, month=11, approve=True).name
		cls.task_east = make_task(
			EAST, FALLBACK_MONTHLY, month=11, approve=True, targets=[{"indicator": visits, "target": 5}]
		).name
		cls.rep_user = make_user("sr_rank_fallback_rep@example.com", ["Sales User"])

	def tearDown(self):
		frappe.set_user("Administrator")

	def entries(self, name):
		return [
			(row.rank, row.sales_person, row.total_score, row.scorecard)
			for row in frappe.get_doc("Sales Ranking", name).entries
			if row.sales_person in TEST_PEOPLE
		]

	def card(self, task):
		return frappe.db.get_value("KPI Scorecard", {"sales_task": task})

	def test_month_falls_back_to_prorated_quarterly_targets(self):
		cards_before = frappe.db.count("KPI Scorecard")
		name = ranking.compute_ranking("Month", 2026, 11)
		# A's October visits do not count in November; B and C tie at rank 2
		self.assertEqual(
			self.entries(name),
			[(1, REP_A, 100, None), (2, REP_B, 50, None), (2, REP_C, 50, self.card(self.task_c))],
		)
		# the fallback scores live only in the ranking: no scorecard is made for the month
		self.assertEqual(frappe.db.count("KPI Scorecard"), cards_before)
		self.assertEqual(frappe.db.count("KPI Scorecard", {"period_label": "2026-11"}), 2)

	def test_quarter_is_scored_on_its_own_tasks(self):
		name = ranking.compute_ranking("Quarter", 2026, 4)
		a = next(row for row in self.entries(name) if row[1] == REP_A)
		# 30 visits of 30 and a rating of 4 of 4 over the quarter
		self.assertEqual(a[2], 100)
		self.assertTrue(a[3])

	def test_every_team_is_ranked(self):
		name = ranking.compute_ranking("Month", 2026, 11, "Teams")
		# East by its own task; North (100 + 50) / 2 and the director (100 + 50 + 50) / 3 by their reps
		self.assertEqual(
			self.entries(name),
			[(1, EAST, 100, self.card(self.task_east)), (2, NORTH, 75, None), (3, DIRECTOR, 66.67, None)],
		)
		self.assertNotIn(
			"Sales Team", [row.sales_person for row in frappe.get_doc("Sales Ranking", name).entries]
		)

	def test_recompute_runs_inline_below_the_threshold(self):
		result = ranking.recompute_ranking("Month", 2026, 11)
		self.assertEqual(result, {"name": "RANK-2026-11-Individuals", "queued": False, "count": 3})
		self.assertTrue(frappe.db.exists("Sales Ranking", "RANK-2026-11-Individuals"))

	def test_recompute_is_queued_above_the_threshold(self):
		frappe.local.message_log = []
		with (
			patch.object(ranking, "RANKING_ENQUEUE_THRESHOLD", 2),
			patch("frappe.enqueue") as enqueue,
			patch.object(ranking, "compute_ranking") as compute,
		):
			result = ranking.recompute_ranking("Month", 2026, 11, "Teams")
		compute.assert_not_called()
		self.assertTrue(result["queued"])
		# Teams also score the reps: A, B (quarterly), C and East (monthly)
		self.assertEqual(result["count"], 4)
		enqueue.assert_called_once()
		args, kwargs = enqueue.call_args
		self.assertEqual(args, ("sales_reengineering.performance.ranking.compute_ranking",))
		self.assertEqual(kwargs["queue"], "long")
		self.assertTrue(kwargs["deduplicate"])
		self.assertEqual(kwargs["job_id"], "sales_reengineering::ranking::RANK-2026-11-Teams")
		self.assertEqual(
			(kwargs["period_type"], kwargs["year"], kwargs["number"], kwargs["level"]),
			("Month", 2026, 11, "Teams"),
		)
		self.assertTrue(any("background" in str(message) for message in frappe.local.message_log))

	def test_recompute_rejections(self):
		with self.assertRaises(InvalidRankingError):
			ranking.recompute_ranking("Month", 2026, 11, "Everyone")
		frappe.set_user(self.rep_user)
		with self.assertRaises(frappe.PermissionError):
			ranking.recompute_ranking("Month", 2026, 11)

	def test_rankings_are_published_to_salespeople(self):
		name = ranking.compute_ranking("Month", 2026, 11)
		frappe.set_user(self.rep_user)
		# a salesperson reads the whole snapshot, everyone's rows (see the doctype description)
		self.assertTrue(frappe.has_permission("Sales Ranking", "read", doc=name))
		self.assertIn(name, frappe.get_list("Sales Ranking", pluck="name"))
		self.assertFalse(frappe.has_permission("Sales Ranking", "write", doc=name))
