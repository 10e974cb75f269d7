# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from sales_reengineering.customer_intelligence.feedback import get_feedback_stats, get_purchasing_power_index
from sales_reengineering.customer_intelligence.report.info_feedback_summary.info_feedback_summary import (
	execute,
)
from sales_reengineering.customer_intelligence.setup import create_feedback_workflow
from sales_reengineering.exceptions import CustomerIntelligenceError, InvalidFeedbackError
from sales_reengineering.tests.factories_customer_intelligence import make_team, make_user

FEEDBACK = "Info Feedback Report"
TERRITORY = "_Test SR Hebei"


def make_feedback(report_type: str = "Customer Demand", **kwargs):
	return frappe.get_doc(
		{
			"doctype": FEEDBACK,
			"title": kwargs.pop("title", "Demand for storage"),
			"report_type": report_type,
			"territory": kwargs.pop("territory", TERRITORY),
			"content": "<p>Customers ask for all-flash arrays.</p>",
			**kwargs,
		}
	).insert()


def make_competitor() -> str:
	name = "_Test SR Competitor"
	if not frappe.db.exists("Competitor", name):
		frappe.get_doc({"doctype": "Competitor", "competitor_name": name}).insert(ignore_permissions=True)
	return name


class TestInfoFeedbackReport(FrappeTestCase):
	def setUp(self):
		create_feedback_workflow()
		self.team = make_team()
		self.reviewer = make_user("reviewer.ci@sr-test.invalid", ["Sales User", "Sales Manager"])

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def submit_and_review(self, doc, action: str = "Approve", rating: int = 4, points: int = 0):
		frappe.set_user(doc.owner)
		doc = apply_workflow(frappe.get_doc(FEEDBACK, doc.name), "Submit for Review")
		frappe.set_user(self.reviewer)
		doc = frappe.get_doc(FEEDBACK, doc.name)
		doc.quality_rating = rating
		doc.reward_points = points
		doc.save()
		doc = apply_workflow(doc, action)
		frappe.set_user("Administrator")
		return doc

	def test_workflow_review_with_rating_and_points(self):
		frappe.set_user(self.team.rep_a_user)
		doc = make_feedback()
		self.assertEqual(doc.sales_person, self.team.rep_a)  # defaulted from the user
		self.assertEqual(doc.workflow_state, "Draft")

		doc = self.submit_and_review(doc, rating=5, points=10)
		self.assertEqual(doc.workflow_state, "Approved")
		self.assertEqual(doc.reviewed_by, self.reviewer)
		self.assertTrue(doc.reviewed_on)

	def test_approval_needs_a_rating(self):
		frappe.set_user(self.team.rep_a_user)
		doc = apply_workflow(make_feedback(), "Submit for Review")
		frappe.set_user(self.reviewer)
		with self.assertRaises(InvalidFeedbackError):
			apply_workflow(frappe.get_doc(FEEDBACK, doc.name), "Approve")

	def test_salesperson_cannot_rate_or_review(self):
		frappe.set_user(self.team.rep_a_user)
		with self.assertRaises(InvalidFeedbackError):
			make_feedback(quality_rating=5)
		doc = apply_workflow(make_feedback(), "Submit for Review")
		from frappe.model.workflow import WorkflowTransitionError

		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(frappe.get_doc(FEEDBACK, doc.name), "Approve")
		self.assertEqual(frappe.db.get_value(FEEDBACK, doc.name, "workflow_state"), "Submitted")

	def test_bad_input_is_rejected(self):
		frappe.set_user(self.team.rep_a_user)
		cases = {
			"competitor move without competitor": dict(report_type="Competitor Move"),
			"no index": dict(report_type="Regional Purchasing Power"),
			"negative index": dict(report_type="Regional Purchasing Power", purchasing_power_index=-5),
			"someone else's report": dict(sales_person="_Test SR Rep Shanghai"),
		}
		for label, case in cases.items():
			with self.subTest(label), self.assertRaises(InvalidFeedbackError):
				make_feedback(**case)
		frappe.set_user(self.reviewer)
		doc = make_feedback(sales_person=self.team.rep_a)
		for field, value in (("quality_rating", 6), ("reward_points", 500)):
			doc.reload()
			doc.set(field, value)
			with self.subTest(field), self.assertRaises(InvalidFeedbackError):
				doc.save()
		competitor_move = make_feedback(
			"Competitor Move", competitor=make_competitor(), sales_person=self.team.rep_a
		)
		self.assertEqual(competitor_move.competitor, "_Test SR Competitor")

	def test_approved_estimates_maintain_the_territory_index(self):
		frappe.set_user(self.team.rep_a_user)
		high = make_feedback("Regional Purchasing Power", purchasing_power_index=140)
		low = make_feedback("Regional Purchasing Power", purchasing_power_index=120)
		pending = make_feedback("Regional Purchasing Power", purchasing_power_index=500)
		frappe.set_user(self.team.rep_b_user)
		rejected = make_feedback("Regional Purchasing Power", purchasing_power_index=10)
		self.submit_and_review(high)
		self.submit_and_review(low)
		self.submit_and_review(rejected, action="Reject", rating=1)
		self.assertTrue(pending.name)

		self.assertEqual(frappe.db.get_value("Territory", TERRITORY, "sr_purchasing_power_index"), 130)
		self.assertEqual(frappe.db.get_value("Territory", TERRITORY, "sr_purchasing_power_reports"), 2)
		self.assertEqual(get_purchasing_power_index(TERRITORY), 130)
		frappe.db.set_value("Territory", "_Test SR North", "sr_purchasing_power_index", 110)
		self.assertEqual(get_purchasing_power_index("_Test SR Beijing"), 110)  # from the parent

	def test_kpi_stats_per_salesperson(self):
		frappe.set_user(self.team.rep_a_user)
		first, second, draft = make_feedback(), make_feedback(), make_feedback()
		frappe.set_user(self.team.rep_b_user)
		other = make_feedback()
		self.submit_and_review(first, rating=5, points=10)
		self.submit_and_review(second, action="Reject", rating=2, points=-5)
		self.submit_and_review(other, rating=3)
		self.assertTrue(draft.name)

		stats = get_feedback_stats(add_days(today(), -13), today(), [self.team.rep_a, self.team.rep_b])
		self.assertEqual(
			stats[self.team.rep_a],
			{"submitted": 2, "approved": 1, "weekly_frequency": 0.5, "average_rating": 3.5, "points": 5},
		)
		self.assertEqual(stats[self.team.rep_b]["approved"], 1)
		self.assertEqual(get_feedback_stats(today(), today(), []), {})

	def test_summary_report_groups_and_respects_the_team(self):
		frappe.set_user(self.team.rep_a_user)
		mine = make_feedback("Competitor Move", competitor=make_competitor())
		make_feedback()  # draft: not counted
		frappe.set_user(self.team.rep_b_user)
		theirs = make_feedback("Pricing")
		self.submit_and_review(mine, rating=4)
		frappe.set_user(self.team.rep_b_user)
		apply_workflow(frappe.get_doc(FEEDBACK, theirs.name), "Submit for Review")

		filters = {"from_date": today(), "to_date": today(), "sales_person": self.team.manager}
		frappe.set_user(self.team.manager_user)
		_columns, data, _message, chart, summary = execute({**filters, "group_by": "Type"})
		by_type = {row.group: row for row in data}
		self.assertEqual(set(by_type), {"Competitor Move", "Pricing"})
		self.assertEqual(
			(by_type["Competitor Move"].approved, by_type["Competitor Move"].average_rating), (1, 4)
		)
		self.assertEqual(by_type["Pricing"].pending, 1)
		self.assertEqual(summary[0]["value"], 2)
		self.assertEqual(sorted(chart["data"]["labels"]), ["Competitor Move", "Pricing"])

		_columns, data, *_rest = execute({**filters, "group_by": "Competitor"})
		self.assertIn("_Test SR Competitor", [row.group for row in data])

		frappe.set_user(self.team.rep_a_user)
		_columns, data, *_rest = execute({**filters, "group_by": "Sales Person"})
		self.assertEqual([row.group for row in data], [self.team.rep_a])
		self.assertFalse(frappe.has_permission(FEEDBACK, "read", doc=theirs.name))

		for bad in ({"group_by": "Colour"}, {"from_date": today(), "to_date": add_days(today(), -1)}):
			with self.assertRaises(CustomerIntelligenceError):
				execute({**filters, **bad})
