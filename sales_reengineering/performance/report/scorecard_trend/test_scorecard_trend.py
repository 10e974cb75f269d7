# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.performance.report.scorecard_trend.scorecard_trend import execute
from sales_reengineering.tests.factories_performance import NORTH, REP_A, REP_B, make_scored_quarter

FILTERS = {"period_type": "Quarter", "from_date": "2026-01-01", "to_date": "2026-12-31"}


class TestScorecardTrend(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.scenario = make_scored_quarter()

	def run_report(self, user="Administrator", **filters):
		frappe.set_user(user)
		try:
			return execute({**FILTERS, **filters})
		finally:
			frappe.set_user("Administrator")

	def test_rows_and_chart(self):
		_columns, data, _message, chart, _summary = self.run_report(sales_person=NORTH)
		self.assertEqual(
			sorted((row.assignee, row.total_score) for row in data),
			sorted([(REP_B, 20), (REP_A, 88), (NORTH, 102)]),
		)
		self.assertEqual(chart["data"]["labels"], ["2026-Q3"])
		self.assertEqual({d["name"]: d["values"] for d in chart["data"]["datasets"]}[REP_A], [88])
		_columns, none, *_rest = self.run_report(to_date="2026-06-30")
		self.assertEqual(none, [])

	def test_salesperson_sees_only_themselves(self):
		_columns, data, *_rest = self.run_report(self.scenario.rep_user)
		self.assertEqual({row.assignee for row in data}, {REP_A})
		with self.assertRaises(frappe.PermissionError):
			self.run_report(self.scenario.rep_user, sales_person=REP_B)
