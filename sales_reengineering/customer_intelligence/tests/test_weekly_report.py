# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""The Monday e-mail of the Weekly Sales Report: one per user (own report for a rep, the team's for a
manager), sent once per week, switched by the "Weekly Sales Report" reminder rule."""

import email
from datetime import datetime, timedelta
from email.header import decode_header, make_header

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from sales_reengineering.core.progress import iso_week_bounds
from sales_reengineering.customer_intelligence.weekly_report import get_audience, send_weekly_reports
from sales_reengineering.reminders.engine import LOG, SETTINGS, WEEKLY_SALES_REPORT
from sales_reengineering.tests.factories_customer_intelligence import (
	STAGES,
	make_customer,
	make_opportunity,
	make_team,
)
from sales_reengineering.tests.factories_reminders import set_rules
from sales_reengineering.tests.utils import make_user


def read_mail(raw: str) -> tuple[str, str]:
	"""(subject, html body) of an Email Queue message."""
	message = email.message_from_string(raw)
	html = next(
		part.get_payload(decode=True).decode()
		for part in message.walk()
		if part.get_content_type() == "text/html"
	)
	return str(make_header(decode_header(message["Subject"]))), html


class TestWeeklyReportMail(FrappeTestCase):
	def setUp(self):
		self.team = make_team()
		self.this_monday, _next = iso_week_bounds(getdate())
		self.week_start = self.this_monday - timedelta(days=7)
		self.tuesday = datetime.combine(self.week_start + timedelta(days=1), datetime.min.time()) + timedelta(
			hours=10
		)
		set_rules(**{WEEKLY_SALES_REPORT: {"notify_owner": 1, "notify_manager": 1}})
		# muted: the mails are queued but never sent; a fresh site has no outgoing account (rolled back)
		self.muted = frappe.flags.mute_emails
		frappe.flags.mute_emails = True
		if not frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}):
			frappe.get_doc(
				{
					"doctype": "Email Account",
					"email_account_name": "_Test SR Weekly Report",
					"email_id": "weekly-report@sr-test.invalid",
					"enable_outgoing": 1,
					"default_outgoing": 1,
					"smtp_server": "localhost",
					"no_smtp_authentication": 1,
				}
			).insert(ignore_permissions=True)
			frappe.local.outgoing_email_account = {}

	def tearDown(self):
		frappe.flags.mute_emails = self.muted
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.local.outgoing_email_account = {}  # the cached account may have been rolled back
		frappe.clear_document_cache(SETTINGS, SETTINGS)

	def event(self, category: str, when: datetime, owner: str, customer: str, subject: str) -> None:
		doc = frappe.get_doc(
			{
				"doctype": "Event",
				"subject": subject,
				"event_category": category,
				"starts_on": when,
				"event_type": "Private",
				"event_participants": [{"reference_doctype": "Customer", "reference_docname": customer}],
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value("Event", doc.name, "owner", owner, update_modified=False)

	def make_week(self):
		self.customer_a = make_customer(self.team.rep_a)
		self.customer_b = make_customer(self.team.rep_b)
		self.event("Event", self.tuesday, self.team.rep_a_user, self.customer_a, "Site visit A1")
		self.event("Call", self.tuesday, self.team.rep_a_user, self.customer_a, "Price call A2")
		self.event("Call", self.tuesday - timedelta(days=7), self.team.rep_a_user, self.customer_a, "Old A0")
		self.event("Meeting", self.tuesday, self.team.rep_b_user, self.customer_b, "Kick-off B1")
		opp = make_opportunity(self.customer_a, sales_stage=STAGES[0], sales_person=self.team.rep_a)
		opp.sales_stage = STAGES[2]
		opp.save(ignore_permissions=True)
		frappe.db.set_value("Opportunity Stage Log", {"opportunity": opp.name}, "changed_on", self.tuesday)
		self.opportunity = opp.name

	def mails(self) -> dict[str, list[tuple[str, str]]]:
		"""user -> [(subject, html)] of the weekly report e-mails queued for the team's users."""
		users = [self.team.rep_a_user, self.team.rep_b_user, self.team.manager_user, self.outsider]
		queued = {user: [] for user in users}
		for row in frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "User", "reference_name": ("in", users)},
			fields=["reference_name", "message"],
		):
			queued[row.reference_name].append(read_mail(row.message))
		return queued

	def test_one_mail_per_user_with_their_rows_and_only_once(self):
		self.outsider = make_user("_test_sr_weekly_no_sp@sr-test.invalid", ["Sales User"])
		self.make_week()
		# a user without a Sales Person logs an activity too: still no report for them
		self.event("Event", self.tuesday, self.outsider, self.customer_a, "Outsider visit")

		sent = send_weekly_reports(self.this_monday)

		mails = self.mails()
		self.assertEqual(mails[self.outsider], [])
		for user in (self.team.rep_a_user, self.team.rep_b_user, self.team.manager_user):
			self.assertEqual(len(mails[user]), 1, user)
		self.assertGreaterEqual(sent, 3)

		subject, rep_a = mails[self.team.rep_a_user][0]
		self.assertIn(frappe.format(self.week_start, "Date"), subject)
		for text in ("Site visit A1", "Price call A2", self.customer_a, self.opportunity, STAGES[2], "Up"):
			self.assertIn(text, rep_a)
		for text in ("Old A0", "Kick-off B1", self.customer_b, "Outsider visit", self.team.rep_b):
			self.assertNotIn(text, rep_a)

		_subject, rep_b = mails[self.team.rep_b_user][0]
		self.assertIn("Kick-off B1", rep_b)
		self.assertNotIn("Site visit A1", rep_b)
		self.assertNotIn(self.opportunity, rep_b)

		_subject, manager = mails[self.team.manager_user][0]
		for text in ("Site visit A1", "Price call A2", "Kick-off B1", self.team.rep_a, self.team.rep_b):
			self.assertIn(text, manager)
		self.assertNotIn("Outsider visit", manager)

		logs = frappe.get_all(
			LOG,
			filters={"rule": WEEKLY_SALES_REPORT, "recipient": self.team.rep_a_user},
			fields=["period_key", "digest_sent"],
		)
		self.assertEqual(logs, [{"period_key": self.week_start.isoformat(), "digest_sent": 1}])

		# the second run for the same week sends nothing
		self.assertEqual(send_weekly_reports(self.this_monday + timedelta(days=2)), 0)
		self.assertEqual(
			{user: len(rows) for user, rows in self.mails().items()},
			{
				self.team.rep_a_user: 1,
				self.team.rep_b_user: 1,
				self.team.manager_user: 1,
				self.outsider: 0,
			},
		)

	def test_the_reminder_rule_switches_it(self):
		self.outsider = "nobody@sr-test.invalid"
		self.make_week()
		set_rules(**{WEEKLY_SALES_REPORT: {"enabled": 0, "notify_owner": 1, "notify_manager": 1}})
		self.assertEqual(send_weekly_reports(self.this_monday), 0)
		set_rules(**{"Stuck Opportunity": {"notify_owner": 1}})  # no weekly report row at all
		self.assertEqual(send_weekly_reports(self.this_monday), 0)
		self.assertFalse(any(self.mails().values()))

		# reps only: the manager gets nothing
		set_rules(**{WEEKLY_SALES_REPORT: {"notify_owner": 1, "notify_manager": 0}})
		send_weekly_reports(self.this_monday)
		counts = {user: len(rows) for user, rows in self.mails().items()}
		self.assertEqual((counts[self.team.rep_a_user], counts[self.team.manager_user]), (1, 0))

	def test_audience(self):
		audience = get_audience(owners=True, managers=True)
		self.assertEqual(audience[self.team.rep_a_user], [self.team.rep_a])
		self.assertEqual(audience[self.team.manager_user], sorted([self.team.rep_a, self.team.rep_b]))
		frappe.db.set_value("Sales Person", self.team.rep_b, "enabled", 0)
		audience = get_audience(owners=True, managers=False)
		self.assertNotIn(self.team.rep_b_user, audience)
		self.assertNotIn(self.team.manager_user, audience)
		self.assertEqual(get_audience(owners=False, managers=True)[self.team.manager_user], [self.team.rep_a])
