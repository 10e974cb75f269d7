# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import KPIError
from sales_reengineering.performance.report.task_attainment.task_attainment import execute
from sales_reengineering.tests.factories_performance import (
	NORTH,
	REP_A,
	REP_B,
	SCORED_TEMPLATE,
	make_scored_quarter,
)

FILTERS = {"period_type": "Quarter", "year": 2026, "period": 3}
BY_TERRITORY = {"group_by": "Territory", "territory": "_Test SR China", "template": SCORED_TEMPLATE}


class TestTaskAttainment(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.scenario = make_scored_quarter()
		# A manages Beijing and Shanghai, B Hebei, the North team North; East and Jiangsu have no manager
		for territory, manager in (
			("_Test SR Beijing", REP_A),
			("_Test SR Shanghai", REP_A),
			("_Test SR Hebei", REP_B),
			("_Test SR North", NORTH),
			("_Test SR East", None),
			("_Test SR Jiangsu", None),
			("_Test SR China", None),
		):
			frappe.db.set_value("Territory", territory, "territory_manager", manager)

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
		# the tree's parent, for the report's tree view; the root of the shown tree has none
		self.assertEqual((row_a["parent_node"], data[0]["parent_node"]), (NORTH, None))
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

	def territory_rows(self, user="Administrator", **filters):
		_columns, data, *_rest = self.run_report(user, **{**BY_TERRITORY, **filters})
		return {row["territory"]: row for row in data}

	def test_territory_tree_rolls_up_each_task_once(self):
		"""Individual tasks: A scores 88 (net sales 110%, new customers 50%, collections 60%), B 20 (20%,
		0%, 40%). The North team's own task (102) is left out: A's and B's tasks are its members'."""
		columns, data, message, chart, summary = self.run_report(**BY_TERRITORY)
		rows = {row["territory"]: row for row in data}
		self.assertEqual(
			[(row["territory"], row["indent"], row["parent_territory"]) for row in data],
			[
				("_Test SR China", 0, None),
				("_Test SR North", 1, "_Test SR China"),
				("_Test SR Beijing", 2, "_Test SR North"),
				("_Test SR Hebei", 2, "_Test SR North"),
				("_Test SR East", 1, "_Test SR China"),
				("_Test SR Shanghai", 2, "_Test SR East"),
			],
		)

		def figures(name):
			row = rows[name]
			return (
				row["territory_manager"],
				row["tasks"],
				row.get("score"),
				row.get("beat_target"),
				row.get("net_sales"),
				row.get("new_customers"),
				row.get("collections"),
			)

		self.assertEqual(figures("_Test SR Beijing"), (REP_A, 1, 88, 0, 110, 50, 60))
		self.assertEqual(figures("_Test SR Hebei"), (REP_B, 1, 20, 0, 20, 0, 40))
		# North: its team's own task does not count; Beijing + Hebei = (88 + 20) / 2
		self.assertEqual(figures("_Test SR North"), (NORTH, 2, 54, 0, 65, 25, 50))
		# East has no manager: Shanghai's task (A's) only
		self.assertEqual(figures("_Test SR East"), (None, 1, 88, 0, 110, 50, 60))
		# A's task reaches China through Beijing and Shanghai, and is counted once
		self.assertEqual(figures("_Test SR China"), (None, 2, 54, 0, 65, 25, 50))
		self.assertNotIn("_Test SR Jiangsu", rows)
		self.assertEqual(
			[c["fieldname"] for c in columns[:5]],
			["territory", "territory_manager", "tasks", "score", "beat_target"],
		)
		self.assertIn("Team tasks", message)
		# the chart: territories whose own manager has an individual task (North's has a team task only),
		# best first
		self.assertEqual(chart["data"]["labels"], ["_Test SR Beijing", "_Test SR Shanghai", "_Test SR Hebei"])
		self.assertEqual(chart["data"]["datasets"][0]["values"], [88, 88, 20])
		self.assertEqual(chart["fieldtype"], "Percent")
		# the summary counts the two attributed tasks; the scores are the saved scorecards' (no Sales Person)
		self.assertEqual([s["value"] for s in summary[:3]], [2, 54, 0])
		self.assertEqual(summary[3]["label"], "Scores Computed")

	def test_territory_view_of_a_salesperson_shows_only_their_tasks(self):
		rows = self.territory_rows(self.scenario.rep_user)
		# Hebei is B's: gone; North's manager is not A's to see, and North holds A's task only
		self.assertEqual(
			set(rows),
			{"_Test SR China", "_Test SR North", "_Test SR Beijing", "_Test SR East", "_Test SR Shanghai"},
		)
		self.assertEqual(
			(
				rows["_Test SR North"]["territory_manager"],
				rows["_Test SR North"]["tasks"],
				rows["_Test SR North"]["score"],
			),
			(None, 1, 88),
		)
		self.assertEqual((rows["_Test SR China"]["tasks"], rows["_Test SR China"]["score"]), (1, 88))
		with self.assertRaises(frappe.PermissionError):
			self.run_report(self.scenario.rep_user, **BY_TERRITORY, sales_person=REP_B)

	def test_territory_view_of_a_manager_covers_their_subtree(self):
		rows = self.territory_rows(self.scenario.manager_user)
		self.assertIn("_Test SR Hebei", rows)
		self.assertEqual(
			(
				rows["_Test SR North"]["territory_manager"],
				rows["_Test SR North"]["tasks"],
				rows["_Test SR North"]["score"],
			),
			(NORTH, 2, 54),
		)

	def test_territory_filter_and_group_by_are_checked(self):
		rows = self.territory_rows(territory="_Test SR North")
		self.assertEqual(list(rows), ["_Test SR North", "_Test SR Beijing", "_Test SR Hebei"])
		self.assertEqual(rows["_Test SR North"]["indent"], 0)
		with self.assertRaises(frappe.DoesNotExistError):
			self.run_report(**BY_TERRITORY | {"territory": "_Test SR Nowhere"})
		with self.assertRaises(KPIError):
			self.run_report(group_by="Customer")


class TestTaskAttainmentSavedScores(FrappeTestCase):
	"""Without a Sales Person, the report reads the saved KPI Scorecards; live on request."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.scenario = make_scored_quarter()

	def setUp(self):
		frappe.db.savepoint("saved_scores")

	def tearDown(self):
		frappe.db.rollback(save_point="saved_scores")

	def row_of(self, data, person):
		return next(row for row in data if row["sales_person"] == person and row.get("sales_task"))

	def test_reads_the_saved_scorecard(self):
		# a scorecard the daily job left at other values than a live evaluation gives now
		frappe.db.set_value("KPI Scorecard", {"sales_task": self.scenario.task_a}, "total_score", 77.5)
		card = frappe.db.get_value("KPI Scorecard", {"sales_task": self.scenario.task_a})
		frappe.db.set_value(
			"KPI Scorecard Row", {"parent": card, "indicator": "Net Sales"}, "attainment", 42
		)
		_columns, data, message, _chart, summary = execute(dict(FILTERS))
		row = self.row_of(data, REP_A)
		self.assertEqual((row["score"], row["net_sales"]), (77.5, 42))
		self.assertIn("KPI Scorecards", message)
		self.assertEqual(summary[-1]["label"], "Scores Computed")
		self.assertTrue(summary[-1]["value"])
		# live: the evaluation of now, whichever way it is asked for
		for live in ({"live": 1}, {"sales_person": REP_A}):
			_columns, data, message, _chart, summary = execute({**FILTERS, **live})
			row = self.row_of(data, REP_A)
			self.assertEqual((row["score"], row["net_sales"]), (88, 110))
			self.assertIsNone(message)
			self.assertNotIn("Scores Computed", [item["label"] for item in summary])

	def test_a_task_without_scorecard_is_evaluated_live(self):
		frappe.db.delete("KPI Scorecard", {"sales_task": self.scenario.task_b})
		_columns, data, *_rest = execute(dict(FILTERS))
		self.assertEqual(self.row_of(data, REP_B)["score"], 20)
		self.assertEqual(self.row_of(data, REP_A)["score"], 88)

	def test_saved_scores_by_territory(self):
		frappe.db.set_value("Territory", "_Test SR Beijing", "territory_manager", REP_A)
		frappe.db.set_value("KPI Scorecard", {"sales_task": self.scenario.task_a}, "total_score", 64)
		_columns, data, message, *_rest = execute({**FILTERS, **BY_TERRITORY})
		beijing = next(row for row in data if row["territory"] == "_Test SR Beijing")
		self.assertEqual(beijing["score"], 64)
		self.assertIn("KPI Scorecards", message)

	def test_query_count_does_not_grow_with_tasks(self):
		from sales_reengineering.performance.report.task_attainment.task_attainment import saved_scores
		from sales_reengineering.tests.query_count import counted_queries

		tasks = [self.scenario.task_a, self.scenario.task_b, self.scenario.task_north]
		with counted_queries() as one:
			saved_scores(tasks[:1])
		with counted_queries() as three:
			items, computed = saved_scores(tasks)
		self.assertEqual(len(one), len(three))
		self.assertEqual([item.task.name for item in items], sorted(tasks))
		self.assertLessEqual(computed[0], computed[1])
