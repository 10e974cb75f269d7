# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Quota suggestions (per salesperson and per territory) and their acceptance into draft Sales Tasks."""

import json
import re

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import (
	InvalidArgumentError,
	InvalidSalesTaskError,
	NegativeTargetError,
	OverlappingSalesTaskError,
)
from sales_reengineering.performance import quota
from sales_reengineering.tests.factories_performance import (
	NORTH,
	REP_A,
	REP_B,
	make_customer,
	make_invoice,
	make_task,
	make_template,
)
from sales_reengineering.tests.setup import TEST_COMPANY
from sales_reengineering.tests.utils import make_user

TEMPLATE = "_Test SR Quota Template"


class TestQuotaSuggestion(FrappeTestCase):
	"""Target 2027 Q1. A sold 1000 in 2026 Q1 (same quarter last year) and 250 in 2026 Q2 (ignored as
	base); A manages Beijing, whose purchasing-power index is 120 (100 = average), a ratio of 1.2 ->
	factor 1 + 0.5 * 0.2 = 1.1."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		customer = make_customer("_Test SR Quota Customer", REP_A)
		make_invoice(customer, "2026-02-10", 1000, [(REP_A, 100)])
		make_invoice(customer, "2026-04-10", 250, [(REP_A, 100)])
		frappe.db.set_value("Territory", "_Test SR Beijing", "territory_manager", REP_A)
		frappe.db.set_value("Territory", "_Test SR Beijing", "sr_purchasing_power_index", 120)
		frappe.db.set_value("Territory", "_Test SR Hebei", "sr_purchasing_power_index", 0)
		make_template(TEMPLATE, [("Net Sales", 80, 500), ("New Customers", 20, 1)])

	def test_sales_person_suggestions_show_their_basis(self):
		rows = {row["party"]: row for row in quota.get_quota_suggestions(2027, 1, team=NORTH)}
		self.assertEqual(set(rows), {REP_A, REP_B})
		a = rows[REP_A]
		self.assertEqual(
			(a["base"], a["base_source"], a["purchasing_power"], a["amount"]),
			(1000, "same_quarter_last_year", 1.2, 1100),
		)
		self.assertEqual(a["basis"][-1]["value"], 1100)
		self.assertTrue(any("Purchasing-power" in step["label"] for step in a["basis"]))
		# the basis as the desk shows it: one translated step a line, with its value
		lines = a["basis_text"].split("\n")
		self.assertEqual(lines[0], "Base: same quarter last year (2026 Q1): 1,000")
		self.assertEqual(lines[1], "Competitor-move reports in the last 4 quarters: 0")
		self.assertIn("Purchasing-power factor = 1 + 0.5 * (1.2 - 1): 1.1", lines)
		self.assertEqual(lines[-1], "Suggested quota (rounded to 1): 1,100")
		b = rows[REP_B]
		self.assertEqual((b["amount"], b["base_source"]), (0, "none"))
		# a quota is one company's: another company's history has none of A's sales
		other = frappe.db.get_value("Company", {"name": ("!=", TEST_COMPANY)})
		rows = {row["party"]: row for row in quota.get_quota_suggestions(2027, 1, team=NORTH, company=other)}
		self.assertEqual((rows[REP_A]["amount"], rows[REP_A]["base_source"]), (0, "none"))
		rows = quota.get_quota_suggestions(2027, 1, team=NORTH, company=TEST_COMPANY)
		self.assertEqual({row["party"]: row["amount"] for row in rows}[REP_A], 1100)

	def test_territory_suggestions(self):
		rows = {row["party"]: row for row in quota.get_quota_suggestions(2027, 1, territory="_Test SR North")}
		self.assertEqual(rows["_Test SR Beijing"]["amount"], 1100)
		self.assertEqual(rows["_Test SR Hebei"]["amount"], 0)
		self.assertTrue(all(row["party_type"] == "Territory" for row in rows.values()))

	def test_every_basis_step_is_translatable(self):
		from sales_reengineering.core.quota import suggest_quota

		flat = {(2025, q): 100.0 for q in range(1, 5)}
		cases = [
			suggest_quota({**flat, **{(2026, q): 300.0 for q in range(1, 5)}}, (2027, 1)),  # clamped up
			suggest_quota({**flat, **{(2026, q): 10.0 for q in range(1, 5)}}, (2027, 1)),  # clamped down
			suggest_quota({(2026, 4): 100.0}, (2027, 1)),  # recent average
			suggest_quota({}, (2027, 1), fallback_amount=50),
			suggest_quota({}, (2027, 1)),
		]
		labels = {step.label for case in cases for step in case.basis}
		untranslatable = [
			label
			for label in labels
			if not any(re.fullmatch(pattern, label) for pattern, _translate in quota.BASIS_LABELS)
		]
		self.assertEqual(untranslatable, [])

	def test_recent_average_when_last_year_is_missing(self):
		# for 2026 Q4 there is no 2025 Q4: the base is the mean of the recorded quarters of the last 4
		rows = {row["party"]: row for row in quota.get_quota_suggestions(2026, 4, team=NORTH)}
		self.assertEqual((rows[REP_A]["base"], rows[REP_A]["base_source"]), (625, "recent_average"))

	def test_competitor_reports_damp_the_suggestion(self):
		if not frappe.db.exists("DocType", "Info Feedback Report"):
			self.skipTest("Info Feedback Report is not installed")
		frappe.db.savepoint("sr_competitor_reports")
		if not frappe.db.exists("Competitor", "_Test SR Rival"):
			frappe.get_doc({"doctype": "Competitor", "competitor_name": "_Test SR Rival"}).insert()
		# 5 approved reports count; a rejected one and a draft do not
		for state in ["Approved"] * 5 + ["Rejected", "Draft"]:
			report = frappe.get_doc(
				{
					"doctype": "Info Feedback Report",
					"title": "Rival discounts",
					"report_type": "Competitor Move",
					"report_date": "2026-10-01",
					"sales_person": REP_A,
					"territory": "_Test SR Beijing",
					"competitor": "_Test SR Rival",
					"content": "A rival cut server prices by 15%.",
				}
			).insert(ignore_permissions=True, ignore_mandatory=True)
			frappe.db.set_value("Info Feedback Report", report.name, "workflow_state", state)
		rows = {row["party"]: row for row in quota.get_quota_suggestions(2027, 1, territory="_Test SR North")}
		# 5 reports of a saturation of 10 -> intensity 0.5 -> factor 1.1 * (1 - 0.1 * 0.5) = 1.045
		self.assertEqual(rows["_Test SR Beijing"]["competitor_reports"], 5)
		self.assertEqual(rows["_Test SR Beijing"]["amount"], 1045)
		frappe.db.rollback(save_point="sr_competitor_reports")

	def test_bad_input(self):
		with self.assertRaises(frappe.ValidationError):
			quota.get_quota_suggestions(2027, 5, team=NORTH)
		with self.assertRaises(frappe.DoesNotExistError):
			quota.get_quota_suggestions(2027, 1, team="_Test SR Nobody")
		with self.assertRaises(InvalidSalesTaskError):
			quota.get_quota_suggestions(2027, 1)

	def test_disabled_salespeople_get_no_suggestion(self):
		frappe.db.set_value("Sales Person", REP_B, "enabled", 0)
		try:
			rows = quota.get_quota_suggestions(2027, 1, team=NORTH)
			self.assertEqual([row["party"] for row in rows], [REP_A])
		finally:
			frappe.db.set_value("Sales Person", REP_B, "enabled", 1)

	def test_accepting_writes_draft_tasks(self):
		result = quota.accept_quota_suggestions(TEMPLATE, 2027, 1, {REP_A: 1100, REP_B: 300})
		self.assertEqual((len(result["created"]), result["updated"], result["skipped"]), (2, [], []))
		targets = {
			row.parent: row.target
			for row in frappe.get_all(
				"Sales Task Target",
				filters={"parent": ("in", result["created"]), "indicator": "Net Sales"},
				fields=["parent", "target"],
			)
		}
		self.assertEqual(sorted(targets.values()), [300, 1100])
		# accepting again edits the same drafts instead of making new ones (as the desk sends it: JSON)
		again = quota.accept_quota_suggestions(TEMPLATE, 2027, 1, json.dumps({REP_A: "1200.5"}))
		self.assertEqual(again["created"], [])
		self.assertEqual(len(again["updated"]), 1)
		self.assertIn(again["updated"][0], result["created"])
		self.assertEqual(
			frappe.db.get_value(
				"Sales Task Target", {"parent": again["updated"][0], "indicator": "Net Sales"}, "target"
			),
			1200.5,
		)
		with self.assertRaises(NegativeTargetError):
			quota.accept_quota_suggestions(TEMPLATE, 2027, 1, {REP_A: -5})
		with self.assertRaises(frappe.ValidationError):
			quota.accept_quota_suggestions(TEMPLATE, 2027, 1, {REP_A: 5}, indicator="Collections")

	def test_accepting_is_all_or_nothing(self):
		def tasks():
			return frappe.db.count("Sales Task", {"template": TEMPLATE, "period_label": "2027-Q3"})

		# a bad amount anywhere is found before anything is written (a malformed argument is refused by
		# the method's argument check, a bad value by the quota rules)
		for amounts in ({REP_A: 100, REP_B: -5}, {REP_A: 100, REP_B: "lots"}, {REP_A: 100, REP_B: None}):
			with (
				self.subTest(amounts=amounts),
				self.assertRaises((InvalidSalesTaskError, InvalidArgumentError)),
			):
				quota.accept_quota_suggestions(TEMPLATE, 2027, 3, amounts)
		for not_a_mapping in ("[100, 200]", "{not json"):
			with self.subTest(amounts=not_a_mapping), self.assertRaises(InvalidArgumentError):
				quota.accept_quota_suggestions(TEMPLATE, 2027, 3, not_a_mapping)
		# a territory's figure is for information: it cannot become a Sales Task
		with self.assertRaises(InvalidSalesTaskError):
			quota.accept_quota_suggestions(TEMPLATE, 2027, 3, {REP_A: 100, "_Test SR Beijing": 50})
		self.assertEqual(tasks(), 0)
		# A's task is written first, then B's clashes with B's July task: A's task is undone
		make_task(REP_B, TEMPLATE, year=2027, quarter=None, month=7)
		with self.assertRaises(OverlappingSalesTaskError):
			quota.accept_quota_suggestions(TEMPLATE, 2027, 3, {REP_A: 100, REP_B: 50}, company=TEST_COMPANY)
		self.assertEqual(tasks(), 0)

	def test_approved_tasks_are_not_changed(self):
		task = make_task(REP_A, TEMPLATE, year=2027, quarter=2, approve=True)
		result = quota.accept_quota_suggestions(TEMPLATE, 2027, 2, {REP_A: 999}, company=TEST_COMPANY)
		self.assertEqual(result, {"created": [], "updated": [], "skipped": [task.name]})

	def test_only_managers_suggest_and_accept(self):
		salesperson = make_user("sr-quota-rep@example.com", ["Sales User"])
		manager = make_user("sr-quota-manager@example.com", ["Sales Manager"])
		try:
			frappe.set_user(salesperson)
			with self.assertRaises(frappe.PermissionError):
				quota.get_quota_suggestions(2027, 1, team=NORTH)
			with self.assertRaises(frappe.PermissionError):
				quota.accept_quota_suggestions(TEMPLATE, 2027, 4, {REP_A: 100})
			frappe.set_user(manager)
			self.assertEqual(len(quota.get_quota_suggestions(2027, 1, team=NORTH)), 2)
			self.assertEqual(
				len(quota.accept_quota_suggestions(TEMPLATE, 2027, 4, {REP_A: 100})["created"]), 1
			)
		finally:
			frappe.set_user("Administrator")
