# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

from datetime import datetime, timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from sales_reengineering.core.progress import iso_week_bounds
from sales_reengineering.customer_intelligence.activity import log_activity
from sales_reengineering.customer_intelligence.report.weekly_sales_report.weekly_sales_report import execute
from sales_reengineering.exceptions import CustomerIntelligenceError
from sales_reengineering.performance.indicators import activities_logged
from sales_reengineering.tests.factories_channel import make_dealer
from sales_reengineering.tests.factories_customer_intelligence import (
	STAGES,
	make_customer,
	make_opportunity,
	make_team,
)

LOG = "Opportunity Stage Log"


class TestWeeklySalesReport(FrappeTestCase):
	def setUp(self):
		self.team = make_team()
		this_monday, _next = iso_week_bounds(getdate())
		self.week_start = this_monday - timedelta(days=7)
		self.tuesday = datetime.combine(self.week_start + timedelta(days=1), datetime.min.time()) + timedelta(
			hours=10
		)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def event(self, category: str, when: datetime, owner: str, customer: str | None = None) -> None:
		"""An Event of `owner`, logged against `customer`; without one a private calendar entry."""
		participants = [{"reference_doctype": "Customer", "reference_docname": customer}] if customer else []
		doc = frappe.get_doc(
			{
				"doctype": "Event",
				"subject": f"{category} with customer",
				"event_category": category,
				"starts_on": when,
				"event_type": "Private",
				"event_participants": participants,
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value("Event", doc.name, "owner", owner, update_modified=False)

	def make_week(self):
		customer = make_customer(self.team.rep_a)
		self.customer = customer
		for category in ("Event", "Event", "Meeting", "Call", "Other"):
			self.event(category, self.tuesday, self.team.rep_a_user, customer)
		self.event("Call", self.tuesday - timedelta(days=7), self.team.rep_a_user, customer)  # week before
		# private calendar entries (no customer, opportunity or dealer named): not activities
		self.event("Event", self.tuesday, self.team.rep_a_user)
		self.event("Call", self.tuesday, self.team.rep_a_user)
		opp = make_opportunity(sales_stage=STAGES[0], sales_person=self.team.rep_a)
		frappe.db.set_value("Opportunity", opp.name, "creation", self.tuesday, update_modified=False)
		self.opportunity = opp.name
		opp.reload()
		opp.sales_stage = STAGES[2]
		opp.save(ignore_permissions=True)
		frappe.db.set_value(LOG, {"opportunity": opp.name}, "changed_on", self.tuesday)
		frappe.get_doc(
			{
				"doctype": "Info Feedback Report",
				"title": "Competitor discounting",
				"report_type": "Pricing",
				"territory": "_Test SR Beijing",
				"sales_person": self.team.rep_a,
				"report_date": self.week_start,
				"content": "Competitor offers 20% off.",
			}
		).insert(ignore_permissions=True)

	def test_week_per_salesperson(self):
		self.make_week()
		_columns, data, message, chart, summary = execute(
			{"week": self.week_start + timedelta(days=3), "sales_person": self.team.manager}
		)
		(row,) = data
		self.assertEqual(row.sales_person, self.team.rep_a)
		self.assertEqual((row.visits, row.meetings, row.calls, row.other_activities), (2, 1, 1, 1))
		self.assertEqual((row.new_opportunities, row.stage_moves_up, row.won), (1, 1, 0))
		self.assertEqual(row.feedback_reports, 1)
		self.assertIn(frappe.format(self.week_start, "Date"), message)
		self.assertEqual(summary[1]["value"], 5)
		self.assertEqual(chart["data"]["labels"], [self.team.rep_a])
		# the "Activities Logged" KPI counts the same activities
		week = (self.week_start, self.week_start + timedelta(days=6))
		self.assertEqual(activities_logged([self.team.rep_a], *week), {self.team.rep_a: 5})

	def test_activities_logged_against_dealers_count(self):
		dealer = make_dealer(account_manager=self.team.rep_a).name
		customer = make_customer(self.team.rep_a)
		frappe.set_user(self.team.rep_a_user)
		log_activity("Dealer", dealer, "Visit", "Stock check at the dealer", str(self.tuesday))
		log_activity("Dealer", dealer, "Call", "Order follow-up", str(self.tuesday))
		log_activity("Customer", customer, "Meeting", "Kick-off", str(self.tuesday))
		frappe.set_user("Administrator")
		(row,) = execute({"week": self.week_start, "sales_person": self.team.manager})[1]
		self.assertEqual((row.visits, row.meetings, row.calls), (1, 1, 1))

	def test_salesperson_sees_own_row_manager_the_team(self):
		self.make_week()
		filters = {"week": self.week_start, "sales_person": self.team.manager}
		frappe.set_user(self.team.rep_b_user)
		self.assertEqual(execute(filters)[1], [])
		frappe.set_user(self.team.rep_a_user)
		self.assertEqual([row.sales_person for row in execute(filters)[1]], [self.team.rep_a])
		frappe.set_user(self.team.manager_user)
		self.assertEqual([row.sales_person for row in execute(filters)[1]], [self.team.rep_a])

	def details(self, **filters) -> list:
		filters = {"week": self.week_start, "sales_person": self.team.manager, "show_details": 1, **filters}
		return execute(filters)[1]

	def test_details_list_the_weeks_activities_and_stage_moves(self):
		self.make_week()
		dealer = make_dealer(account_manager=self.team.rep_b).name
		frappe.set_user(self.team.rep_b_user)
		log_activity("Dealer", dealer, "Visit", "Stock check at the dealer", str(self.tuesday))
		frappe.set_user("Administrator")
		columns, rows, message, chart, summary = execute(
			{"week": self.week_start, "sales_person": self.team.manager, "show_details": 1}
		)
		self.assertIn("reference_name", [column["fieldname"] for column in columns])
		self.assertIn(frappe.format(self.week_start, "Date"), message)
		self.assertIsNone(chart)

		activities = [row for row in rows if row.event]
		mine = sorted(
			(row.activity_type, row.reference_doctype, row.reference_name, row.customer)
			for row in activities
			if row.sales_person == self.team.rep_a
		)
		# the five Events naming the customer; not last week's call, not the private entries
		self.assertEqual(
			mine,
			sorted(
				(kind, "Customer", self.customer, self.customer)
				for kind in ("Visit", "Visit", "Meeting", "Call", "Other")
			),
		)
		self.assertTrue(all(getdate(row.date) == getdate(self.tuesday) for row in activities))
		(dealer_visit,) = [row for row in activities if row.sales_person == self.team.rep_b]
		self.assertEqual(
			(dealer_visit.activity_type, dealer_visit.subject, dealer_visit.reference_doctype),
			("Visit", "Stock check at the dealer", "Dealer"),
		)
		self.assertEqual(dealer_visit.reference_name, dealer)
		self.assertIsNone(dealer_visit.customer)

		moves = [row for row in rows if not row.event]
		self.assertEqual(
			sorted((row.from_stage or "", row.to_stage, row.direction or "") for row in moves),
			[("", STAGES[0], ""), (STAGES[0], STAGES[2], "Up")],
		)
		for row in moves:
			self.assertEqual(
				(row.sales_person, row.reference_doctype, row.reference_name),
				(self.team.rep_a, "Opportunity", self.opportunity),
			)
			self.assertEqual(row.customer, frappe.db.get_value("Opportunity", self.opportunity, "party_name"))
		self.assertEqual([item["value"] for item in summary], [6, 2])

	def test_details_follow_the_reports_permissions(self):
		self.make_week()
		customer_b = make_customer(self.team.rep_b)
		self.event("Meeting", self.tuesday, self.team.rep_b_user, customer_b)
		frappe.set_user(self.team.rep_a_user)
		self.assertEqual({row.sales_person for row in self.details()}, {self.team.rep_a})
		self.assertNotIn(customer_b, {row.customer for row in self.details()})
		frappe.set_user(self.team.rep_b_user)
		(row,) = self.details()
		self.assertEqual(
			(row.sales_person, row.customer, row.activity_type), (self.team.rep_b, customer_b, "Meeting")
		)
		frappe.set_user(self.team.manager_user)
		self.assertEqual({row.sales_person for row in self.details()}, {self.team.rep_a, self.team.rep_b})
		self.assertEqual(len(self.details()), 8)

	def test_bad_week_is_rejected(self):
		for week in (None, "not a date"):
			with self.subTest(week=week), self.assertRaises(CustomerIntelligenceError):
				execute({"week": week})
