# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.performance.report.task_attainment.task_attainment import execute
from sales_reengineering.tests.factories_performance import NORTH, REP_A, REP_B, make_scored_quarter

FILTERS = {"period_type": "Quarter", "year": 2026, "period": 3}


class TestTaskAttainment(FrappeTestCase):
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

	def test_tree_with_live_scores(self):
		columns, data, _message, chart, summary = self.run_report(sales_person="_Test SR Sales Director")
		scores = {row["sales_person"]: (row.get("basis"), row.get("score"), row["indent"]) for row in data}
		self.assertEqual(scores[REP_A], ("Own Task", 88, 2))
		self.assertEqual(scores[REP_B], ("Own Task", 20, 2))
		self.assertEqual(scores[NORTH], ("Team Task", 102, 1))
		# the director has no task: the average of the individual tasks below (88 + 20) / 2
		self.assertEqual(scores["_Test SR Sales Director"], ("Members' Average", 54, 0))
		self.assertEqual(scores["_Test SR East Manager"], (None, None, 1))
		row_a = next(row for row in data if row["sales_person"] == REP_A)
		self.assertEqual((row_a["net_sales"], row_a["collections"]), (110, 60))
		self.assertIn("net_sales", [c["fieldname"] for c in columns])
		self.assertEqual(chart["data"]["labels"], [REP_A, REP_B])
		self.assertEqual([s["value"] for s in summary], [3, 70, 1])

	def test_salesperson_sees_only_themselves(self):
		_columns, data, *_rest = self.run_report(self.scenario.rep_user)
		self.assertEqual({row["sales_person"] for row in data}, {REP_A})
		with self.assertRaises(frappe.PermissionError):
			self.run_report(self.scenario.rep_user, sales_person=REP_B)

	def test_manager_sees_their_subtree(self):
		_columns, data, *_rest = self.run_report(self.scenario.manager_user)
		self.assertEqual({row["sales_person"] for row in data}, {NORTH, REP_A, REP_B})

	def test_bad_period(self):
		with self.assertRaises(frappe.ValidationError):
			self.run_report(period=5)
