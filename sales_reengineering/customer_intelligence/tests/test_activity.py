"""Sales activities (visits, calls, meetings) logged against a Customer, an Opportunity or a Dealer."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, get_datetime, now_datetime, today

from sales_reengineering.customer_intelligence.activity import log_activity
from sales_reengineering.exceptions import InvalidActivityError
from sales_reengineering.performance.indicators import activities_logged
from sales_reengineering.tests.factories_channel import make_dealer
from sales_reengineering.tests.factories_customer_intelligence import (
	make_customer,
	make_opportunity,
	make_team,
	make_user,
)


class TestSalesActivity(FrappeTestCase):
	def setUp(self):
		self.team = make_team()
		self.customer = make_customer(self.team.rep_a)
		self.opportunity = make_opportunity(self.customer, sales_person=self.team.rep_a).name
		self.dealer = make_dealer(account_manager=self.team.rep_a).name

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_activities_against_customer_opportunity_and_dealer(self):
		frappe.set_user(self.team.rep_a_user)
		when = add_days(now_datetime(), -1).replace(microsecond=0)
		cases = [
			("Customer", self.customer, "Visit", "Event"),
			("Opportunity", self.opportunity, "Call", "Call"),
			("Dealer", self.dealer, "Meeting", "Meeting"),
		]
		for doctype, name, activity_type, category in cases:
			with self.subTest(doctype=doctype):
				event = frappe.get_doc(
					"Event",
					log_activity(
						doctype, name, activity_type, f"{activity_type} at {name}", str(when), "Notes"
					),
				)
				self.assertEqual((event.owner, event.event_category), (self.team.rep_a_user, category))
				self.assertEqual((event.status, get_datetime(event.starts_on)), ("Completed", when))
				self.assertEqual(
					[(row.reference_doctype, row.reference_docname) for row in event.event_participants],
					[(doctype, name)],
				)
				# on the document's timeline
				self.assertTrue(
					frappe.db.exists(
						"Communication Link",
						{"link_doctype": doctype, "link_name": name, "parenttype": "Communication"},
					)
				)
		# a dealer activity counts for the "Activities Logged" indicator like the others
		counted = activities_logged([self.team.rep_a, self.team.rep_b], when.date(), when.date())
		self.assertEqual(counted.get(self.team.rep_a), 3)
		self.assertNotIn(self.team.rep_b, counted)

	def test_a_planned_activity_stays_open(self):
		frappe.set_user(self.team.rep_a_user)
		name = log_activity(
			"Dealer", self.dealer, "Visit", "Quarterly review", f"{add_days(today(), 3)} 10:00:00"
		)
		self.assertEqual(frappe.db.get_value("Event", name, "status"), "Open")

	def test_only_documents_the_user_may_read(self):
		others_customer = make_customer(self.team.rep_b)
		no_dealers = make_user("sr.activity.no.dealer@sr-test.invalid", ["Telesales Agent"])
		frappe.set_user(self.team.rep_a_user)
		with self.assertRaises(frappe.PermissionError):
			log_activity("Customer", others_customer, "Visit", "Visit")

		frappe.set_user(no_dealers)
		with self.assertRaises(frappe.PermissionError):
			log_activity("Dealer", self.dealer, "Call", "Call")
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Event Participants", {"reference_docname": others_customer}))
		self.assertFalse(frappe.db.exists("Event", {"owner": no_dealers, "subject": "Call"}))

	def test_bad_input_is_refused(self):
		frappe.set_user(self.team.rep_a_user)
		cases = {
			"unknown type": ("Customer", self.customer, "Lunch", "Lunch"),
			"no subject": ("Customer", self.customer, "Visit", ""),
			"blank subject": ("Dealer", self.dealer, "Visit", "   "),
			"other doctype": ("Item", "anything", "Visit", "Visit"),
			"no document": ("Dealer", "", "Visit", "Visit"),
		}
		for label, args in cases.items():
			with self.subTest(label), self.assertRaises(InvalidActivityError):
				log_activity(*args)
		with self.assertRaises(InvalidActivityError):
			log_activity("Customer", self.customer, "Visit", "Visit", starts_on="not a date")
		with self.assertRaises(frappe.DoesNotExistError):
			log_activity("Dealer", "_Test SR No Such Dealer", "Visit", "Visit")
