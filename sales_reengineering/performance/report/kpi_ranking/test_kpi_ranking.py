# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.performance.ranking import compute_ranking
from sales_reengineering.performance.report.kpi_ranking.kpi_ranking import execute
from sales_reengineering.tests.factories_performance import (
	REP_A,
	REP_B,
	SETTINGS,
	get_reward_tier_rows,
	make_scored_quarter,
	set_reward_tiers,
)

FILTERS = {"period_type": "Quarter", "year": 2026, "period": 3, "level": "Individuals"}


class TestKPIRankingReport(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.saved_tiers = get_reward_tier_rows()
		# of 2 ranked people the top 50% is rank 1 only
		set_reward_tiers([("_Test SR Half", "Top Percent of Ranking", 50, 1)])
		cls.scenario = make_scored_quarter()
		compute_ranking("Quarter", 2026, 3)
		compute_ranking("Quarter", 2026, 3, "Teams")

	@classmethod
	def tearDownClass(cls):
		set_reward_tiers(cls.saved_tiers)
		super().tearDownClass()
		frappe.clear_document_cache(SETTINGS, SETTINGS)

	def run_report(self, user="Administrator", **filters):
		frappe.set_user(user)
		try:
			return execute({**FILTERS, **filters})
		finally:
			frappe.set_user("Administrator")

	def test_ranking_rows(self):
		columns, data, _message, chart, summary = self.run_report()
		self.assertEqual(
			[(row.rank, row.sales_person, row.total_score, row.reward_tier) for row in data],
			[(1, REP_A, 88, "_Test SR Half"), (2, REP_B, 20, None)],
		)
		# the tier is the name of a settings row, not a link to a record
		self.assertEqual(next(c for c in columns if c["fieldname"] == "reward_tier")["fieldtype"], "Data")
		self.assertEqual(chart["data"]["labels"], [REP_A, REP_B])
		self.assertEqual([item["value"] for item in summary], [2, 0, 1])
		_columns, teams, *_rest = self.run_report(level="Teams")
		# North by its own task; the director, without one, by the average of A and B: (88 + 20) / 2
		self.assertEqual(
			[(row.sales_person, row.total_score) for row in teams],
			[("_Test SR North Manager", 102), ("_Test SR Sales Director", 54)],
		)

	def test_salesperson_sees_only_their_row(self):
		_columns, data, *_rest = self.run_report(self.scenario.rep_user)
		self.assertEqual([(row.rank, row.sales_person) for row in data], [(1, REP_A)])

	def test_bad_filters(self):
		with self.assertRaises(frappe.ValidationError):
			self.run_report(level="Everyone")
		with self.assertRaises(frappe.ValidationError):
			self.run_report(period=13, period_type="Month")
