# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

from datetime import date
from unittest.mock import patch

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import (
	InvalidSalesTaskError,
	NegativeTargetError,
	OverlappingSalesTaskError,
)
from sales_reengineering.performance.doctype.sales_task.sales_task import (
	create_team_tasks,
	default_company,
	period_bounds,
)
from sales_reengineering.tests.factories_performance import (
	NORTH,
	REP_A,
	REP_B,
	make_indicator,
	make_task,
	make_template,
)
from sales_reengineering.tests.setup import TEST_COMPANY

TEMPLATE = "_Test SR Task Template"


class TestSalesTask(FrappeTestCase):
	def setUp(self):
		make_template(TEMPLATE, [("Net Sales", 60, 1000), ("New Customers", 40, 2)])

	def tearDown(self):
		frappe.db.rollback()

	def test_period_bounds(self):
		self.assertEqual(period_bounds("Quarter", 2026, 1), (date(2026, 1, 1), date(2026, 3, 31), "2026-Q1"))
		self.assertEqual(period_bounds("Month", 2024, 2), (date(2024, 2, 1), date(2024, 2, 29), "2024-02"))
		for args in (("Quarter", 2026, 5), ("Month", 2026, 13), ("Month", 1999, 1), ("Week", 2026, 1)):
			with self.subTest(args=args), self.assertRaises(InvalidSalesTaskError):
				period_bounds(*args)

	def test_targets_default_from_template(self):
		task = make_task(REP_A, TEMPLATE)
		self.assertEqual(
			[(row.indicator, row.target, row.weight) for row in task.targets],
			[("Net Sales", 1000, 60), ("New Customers", 2, 40)],
		)
		self.assertEqual(
			(str(task.from_date), str(task.to_date), task.period_label),
			("2026-07-01", "2026-09-30", "2026-Q3"),
		)
		self.assertEqual(task.workflow_state, "Draft")
		self.assertFalse(task.is_group)

	def test_negative_target_is_refused(self):
		with self.assertRaises(NegativeTargetError):
			make_task(
				REP_A,
				TEMPLATE,
				targets=[
					{"indicator": "Net Sales", "target": -1},
					{"indicator": "New Customers", "target": 1},
				],
			)

	def test_targets_must_match_the_template(self):
		cases = [
			[{"indicator": "Net Sales", "target": 1}],
			[
				{"indicator": "Net Sales", "target": 1},
				{"indicator": "New Customers", "target": 1},
				{"indicator": "Collections", "target": 1},
			],
			[
				{"indicator": "Net Sales", "target": 1},
				{"indicator": "Net Sales", "target": 1},
				{"indicator": "New Customers", "target": 1},
			],
		]
		for targets in cases:
			with self.subTest(targets=targets), self.assertRaises(InvalidSalesTaskError):
				make_task(REP_A, TEMPLATE, targets=targets)

	def test_overlaps_are_refused(self):
		make_task(REP_A, TEMPLATE)
		with self.assertRaises(OverlappingSalesTaskError):
			make_task(REP_A, TEMPLATE)
		with self.assertRaises(OverlappingSalesTaskError):
			make_task(REP_A, TEMPLATE, month=8)
		# another month, another person or another template is fine
		make_task(REP_A, TEMPLATE, month=10)
		make_task(REP_B, TEMPLATE)
		make_template("_Test SR Other Template", [("Collections", 100, 1)])
		make_task(REP_A, "_Test SR Other Template")

	def test_bad_assignee_and_template(self):
		with self.assertRaises(frappe.LinkValidationError):
			make_task("_Test SR Nobody", TEMPLATE)
		make_indicator("_Test SR Dealer Manual", party_type="Dealer")
		make_template("_Test SR Dealer Template", [("_Test SR Dealer Manual", 100, 1)], applies_to="Dealer")
		with self.assertRaises(InvalidSalesTaskError):
			make_task(REP_A, "_Test SR Dealer Template")
		frappe.db.set_value("KPI Template", TEMPLATE, "enabled", 0)
		frappe.clear_document_cache("KPI Template", TEMPLATE)
		with self.assertRaises(InvalidSalesTaskError):
			make_task(REP_B, TEMPLATE)
		frappe.clear_document_cache("KPI Template", TEMPLATE)

	def test_default_company_is_one_the_user_may_read(self):
		# ERPNext gives an employee's user a User Permission on their company; the site's default company
		# outside it would make a task its own creator (and salesperson) is refused
		site = frappe.db.get_single_value("Global Defaults", "default_company")
		other = frappe.db.get_value("Company", {"name": ("!=", site or "")})
		module = "sales_reengineering.performance.doctype.sales_task.sales_task"

		def allowed(*rows):
			return {"Company": [{"doc": doc, "applicable_for": to, "is_default": 0} for doc, to in rows]}

		# Frappe's own lookup (Administrator has no User Permissions)
		with patch("frappe.defaults.get_user_default", return_value=None):
			self.assertEqual(default_company(), site)
		cases = [
			({}, site),
			(allowed((other, None)), other),
			(allowed((other, "Sales Task")), other),
			(allowed((other, "Customer")), site),
			(allowed((other, None), (site, None)), site),
		]
		for permissions, expected in cases:
			with (
				self.subTest(permissions=permissions),
				patch("frappe.defaults.get_user_default", return_value=None),
				patch(f"{module}.get_user_permissions", return_value=permissions),
			):
				self.assertEqual(default_company(), expected)

	def test_group_node(self):
		self.assertTrue(make_task(NORTH, TEMPLATE).is_group)

	def test_workflow_propose_approve_reject(self):
		task = make_task(REP_A, TEMPLATE)
		task = apply_workflow(task, "Propose")
		self.assertEqual((task.workflow_state, task.docstatus), ("Pending Approval", 0))
		task = apply_workflow(task, "Reject")
		self.assertEqual((task.workflow_state, task.docstatus), ("Rejected", 0))
		task = apply_workflow(task, "Propose")
		task = apply_workflow(task, "Approve")
		self.assertEqual((task.workflow_state, task.docstatus), ("Approved", 1))
		self.assertTrue(frappe.db.exists("KPI Scorecard", {"sales_task": task.name}))
		with self.assertRaises(frappe.ValidationError):
			apply_workflow(task, "Approve")

	def test_cancelled_task_frees_the_period(self):
		task = make_task(REP_A, TEMPLATE, approve=True)
		task = apply_workflow(task, "Cancel")
		self.assertEqual((task.workflow_state, task.docstatus), ("Cancelled", 2))
		self.assertFalse(frappe.db.exists("KPI Scorecard", {"sales_task": task.name}))
		make_task(REP_A, TEMPLATE)

	def test_cancel_unlinks_the_scorecard_from_rankings(self):
		from sales_reengineering.performance.ranking import compute_ranking

		task = make_task(REP_A, TEMPLATE, year=2027, quarter=1, approve=True)
		card = frappe.db.get_value("KPI Scorecard", {"sales_task": task.name})
		ranking = compute_ranking("Quarter", 2027, 1)
		entry = {"parent": ranking, "sales_person": REP_A}
		self.assertEqual(frappe.db.get_value("Sales Ranking Entry", entry, "scorecard"), card)
		score = frappe.db.get_value("Sales Ranking Entry", entry, "total_score")
		apply_workflow(task, "Cancel")
		self.assertFalse(frappe.db.exists("KPI Scorecard", card))
		self.assertFalse(frappe.db.exists("KPI Scorecard Row", {"parent": card}))
		# the snapshot keeps the rank and score until it is recomputed, without a dangling link
		self.assertEqual(
			frappe.db.get_value("Sales Ranking Entry", entry, ["scorecard", "total_score"]), (None, score)
		)
		frappe.get_doc("Sales Ranking", ranking).save(ignore_permissions=True)
		# recomputing drops the cancelled task
		self.assertFalse(
			frappe.db.exists(
				"Sales Ranking Entry", {"parent": compute_ranking("Quarter", 2027, 1), "sales_person": REP_A}
			)
		)

	def test_bulk_creation_for_a_team(self):
		make_task(REP_B, TEMPLATE)
		result = create_team_tasks(NORTH, TEMPLATE, "Quarter", 2026, 3, TEST_COMPANY)
		assignees = set(
			frappe.get_all("Sales Task", filters={"name": ("in", result["created"])}, pluck="assignee")
		)
		self.assertEqual(assignees, {NORTH, REP_A})
		self.assertEqual(result["skipped"], [REP_B])
		again = create_team_tasks(NORTH, TEMPLATE, "Quarter", 2026, 3, TEST_COMPANY)
		self.assertEqual(again["created"], [])
		# REP_B's task is the test company's: in another company the whole team is still to plan
		# ERPNext's test setup makes a company besides the app's
		other = frappe.db.get_value("Company", {"name": ("!=", TEST_COMPANY)})
		created = create_team_tasks(NORTH, TEMPLATE, "Quarter", 2026, 3, other)["created"]
		tasks = frappe.get_all(
			"Sales Task", filters={"name": ("in", created)}, fields=["assignee", "company"]
		)
		self.assertEqual({task.assignee for task in tasks}, {NORTH, REP_A, REP_B})
		self.assertEqual({task.company for task in tasks}, {other})
		with self.assertRaises(InvalidSalesTaskError):
			create_team_tasks(REP_A, TEMPLATE, "Quarter", 2026, 3)
		with self.assertRaises(InvalidSalesTaskError):
			create_team_tasks(NORTH, TEMPLATE, "Quarter", 2026, 7)
