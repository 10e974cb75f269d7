# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

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

EAST = "_Test SR East Manager"
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
		self.assertEqual(self.entries(name), [(1, NORTH, 120, "_Test SR Top"), (2, EAST, 50, None)])

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
		with self.assertRaises(frappe.ValidationError):
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
