"""Dealer support requests (ERPNext Issues with the app's sr_dealer): raised from the portal, assigned to
the account manager, due by the settings' response time, reminded when unanswered, and seen by the
dealer's branch only, through every door."""

import frappe
from frappe.desk.reportview import get as reportview_get
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, get_datetime, now_datetime, set_request
from frappe.website.serve import get_response_content

from sales_reengineering.channel import support
from sales_reengineering.exceptions import DealerRequestError
from sales_reengineering.reminders import engine
from sales_reengineering.reminders.engine import DEALER_REQUEST_UNANSWERED, SETTINGS
from sales_reengineering.scope.endpoints import get_count
from sales_reengineering.tests.factories_channel import make_dealer, make_website_user
from sales_reengineering.tests.factories_customer_intelligence import make_team
from sales_reengineering.tests.factories_reminders import logs_for, set_rules

SAVEPOINT = "channel_support_test"


def raise_as(user: str, **kwargs) -> str:
	frappe.set_user(user)
	args = {
		"request_type": "Technical Support",
		"subject": "服务器无法开机",
		"description": "型号 X1\n序列号 123",
	}
	name = support.raise_request(**{**args, **kwargs})["name"]
	frappe.set_user("Administrator")
	return name


class TestSupportRequests(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.team = make_team()
		cls.user_agent, cls.user_a, cls.user_b, cls.outsider = (make_website_user() for _ in range(4))
		# the agent's account manager is rep A; dealer A has none (its requests go up to rep A), dealer B's
		# is rep B
		cls.agent = make_dealer(
			"General Agent", portal_users=[cls.user_agent], account_manager=cls.team.rep_a
		).name
		cls.dealer_a = make_dealer("Provincial Dealer", cls.agent, portal_users=[cls.user_a]).name
		cls.dealer_b = make_dealer(
			"Provincial Dealer", cls.agent, portal_users=[cls.user_b], account_manager=cls.team.rep_b
		).name
		frappe.db.set_single_value(SETTINGS, support.RESPONSE_HOURS_FIELD, 8)

	def setUp(self):
		frappe.db.savepoint(SAVEPOINT)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.form_dict = frappe._dict()
		frappe.db.rollback(save_point=SAVEPOINT)

	# -- raising, assignment, response target ----------------------------------------------------------

	def test_dealer_raises_a_request_assigned_to_the_account_manager(self):
		name = raise_as(self.user_b, request_type="Marketing Material")
		issue = frappe.get_doc("Issue", name)
		self.assertEqual(
			(issue.sr_dealer, issue.sr_request_type, issue.status),
			(self.dealer_b, "Marketing Material", "Open"),
		)
		self.assertEqual(issue.customer, frappe.db.get_value("Dealer", self.dealer_b, "customer"))
		self.assertEqual(issue.raised_by, self.user_b)
		# due the settings' 8 hours after it was raised
		self.assertEqual(get_datetime(issue.response_by), add_to_date(get_datetime(issue.creation), hours=8))
		self.assertEqual(issue.get_assigned_users(), {self.team.rep_b_user})
		# shared with the account manager, who has no role on Issue, to read and answer
		for ptype in ("read", "write"):
			self.assertTrue(frappe.has_permission("Issue", ptype, doc=issue, user=self.team.rep_b_user))
		self.assertFalse(frappe.has_permission("Issue", "read", doc=issue, user=self.team.rep_a_user))

	def test_settings_never_saved_give_the_default_response_time(self):
		# an upgraded site has no stored value: 24 hours, not 'no target' (get_single_value reads it as 0)
		frappe.db.delete("Singles", {"doctype": SETTINGS, "field": support.RESPONSE_HOURS_FIELD})
		self.assertEqual(support.response_hours(), support.DEFAULT_RESPONSE_HOURS)
		issue = frappe.get_doc("Issue", raise_as(self.user_b))
		self.assertEqual(
			get_datetime(issue.response_by),
			add_to_date(get_datetime(issue.creation), hours=support.DEFAULT_RESPONSE_HOURS),
		)
		# a stored 0 still sets no target
		frappe.db.set_single_value(SETTINGS, support.RESPONSE_HOURS_FIELD, 0)
		self.assertEqual(support.response_hours(), 0)
		self.assertIsNone(frappe.get_doc("Issue", raise_as(self.user_b)).response_by)

	def test_the_account_manager_works_on_the_request_from_the_desk(self):
		from sales_reengineering.scope.endpoints import getdoc

		mine, other = raise_as(self.user_b), raise_as(self.user_a)
		frappe.set_user(self.team.rep_b_user)
		# no role on Issue: the list holds what was given to him, and the form opens and saves
		self.assertEqual(set(frappe.get_list("Issue", pluck="name")), {mine})
		getdoc("Issue", mine)
		self.assertEqual(frappe.response.docs[0].name, mine)
		issue = frappe.get_doc("Issue", mine)
		issue.status = "Replied"
		issue.save()
		self.assertIsNotNone(issue.first_responded_on)
		with self.assertRaises(frappe.PermissionError):
			getdoc("Issue", other)

	def test_a_dealer_without_account_manager_goes_to_the_one_above(self):
		name = raise_as(self.user_a)
		self.assertEqual(frappe.get_doc("Issue", name).get_assigned_users(), {self.team.rep_a_user})

	def test_a_dealer_cannot_set_what_the_support_desk_sets(self):
		frappe.set_user(self.user_a)
		doc = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": "直接调用",
				"sr_dealer": self.dealer_a,
				"sr_request_type": "Pre-sales Help",
				"status": "Closed",
				"first_responded_on": now_datetime(),
				# ERPNext's /issues page lists a request by its customer and sender
				"customer": frappe.db.get_value("Dealer", self.dealer_b, "customer"),
				"raised_by": self.user_b,
			}
		).insert()
		self.assertEqual((doc.status, doc.first_responded_on), ("Open", None))
		self.assertEqual(
			(doc.customer, doc.raised_by),
			(frappe.db.get_value("Dealer", self.dealer_a, "customer"), self.user_a),
		)
		self.assertIsNotNone(doc.response_by)

	def test_status_change_is_the_first_response(self):
		name = raise_as(self.user_a)
		issue = frappe.get_doc("Issue", name)
		issue.status = "Replied"
		issue.save()
		self.assertIsNotNone(issue.first_responded_on)

	# -- bad input --------------------------------------------------------------------------------------

	def test_bad_input_is_refused_and_nothing_saved(self):
		before = frappe.db.count("Issue")
		frappe.set_user(self.user_a)
		with self.assertRaises(DealerRequestError):
			support.raise_request(request_type="Free Lunch", subject="x")
		with self.assertRaises(DealerRequestError):
			support.raise_request(request_type="Technical Support", subject="   ")
		with self.assertRaises(frappe.PermissionError):
			support.raise_request(request_type="Technical Support", subject="x", dealer=self.dealer_b)
		frappe.set_user("Administrator")
		with self.assertRaises(DealerRequestError):
			frappe.get_doc({"doctype": "Issue", "subject": "x", "sr_dealer": self.dealer_a}).insert()
		with self.assertRaises(DealerRequestError):
			frappe.get_doc(
				{"doctype": "Issue", "subject": "x", "sr_request_type": "Technical Support"}
			).insert()
		self.assertEqual(frappe.db.count("Issue"), before)

	def test_non_dealer_website_user_is_refused(self):
		request_a = raise_as(self.user_a)
		frappe.set_user(self.outsider)
		with self.assertRaises(frappe.PermissionError):
			support.raise_request(request_type="Technical Support", subject="x")
		with self.assertRaises(frappe.PermissionError):
			frappe.client.get("Issue", request_a)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_list("Issue", pluck="name")

	# -- the scope, through Frappe's generic endpoints ---------------------------------------------------

	def test_second_dealer_cannot_read_list_or_count_the_first_dealers_request(self):
		request_a, request_b = raise_as(self.user_a), raise_as(self.user_b)
		frappe.set_user(self.user_b)
		rows = frappe.client.get_list("Issue", fields=["name"], limit_page_length=0)
		self.assertEqual({row.name for row in rows}, {request_b})
		self.assertEqual(get_count("Issue", filters={"name": request_a}), 0)
		self.assertEqual(get_count("Issue"), 1)
		frappe.local.form_dict = frappe._dict(doctype="Issue", fields='["name"]', filters="[]")
		self.assertEqual({row[0] for row in reportview_get()["values"]}, {request_b})
		with self.assertRaises(frappe.PermissionError):
			frappe.client.get("Issue", request_a)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": "Issue",
					"subject": "x",
					"sr_dealer": self.dealer_a,
					"sr_request_type": "Technical Support",
				}
			).insert()
		self.assertFalse(frappe.has_permission("Issue", "read", doc=frappe.get_doc("Issue", request_a)))
		# the general agent sees its whole branch, as for every other dealer record
		frappe.set_user(self.user_agent)
		self.assertEqual(set(frappe.get_list("Issue", pluck="name")), {request_a, request_b})
		self.assertEqual(frappe.client.get("Issue", request_a)["name"], request_a)

	def test_portal_page_shows_the_branchs_requests_only(self):
		request_a, request_b = raise_as(self.user_a), raise_as(self.user_b, subject="宣传册")
		frappe.set_user(self.user_b)
		set_request(method="GET", path="/dealer/support")
		html = get_response_content("/dealer/support")
		self.assertIn(request_b, html)
		self.assertNotIn(request_a, html)
		self.assertIn('id="support-request-form"', html)
		# the staff's e-mail reply is the first response, and the dealer reads it on the request's page
		frappe.set_user("Administrator")
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent",
				"subject": "Re: 宣传册",
				"content": "<p>已寄出宣传册</p><script>alert(1)</script>",
				"reference_doctype": "Issue",
				"reference_name": request_b,
			}
		).insert(ignore_permissions=True)
		self.assertIsNotNone(frappe.db.get_value("Issue", request_b, "first_responded_on"))
		frappe.set_user(self.user_b)
		frappe.local.form_dict = frappe._dict(name=request_b)
		set_request(method="GET", path="/dealer/support", query_string=f"name={request_b}")
		html = get_response_content("/dealer/support")
		self.assertIn("宣传册", html)
		self.assertIn("已寄出宣传册", html)
		self.assertNotIn("<script>alert(1)", html)
		frappe.set_user(self.user_a)
		with self.assertRaises(frappe.PermissionError):
			support.get_request(request_b)

	# -- the reminder -----------------------------------------------------------------------------------

	def test_reminder_for_an_overdue_request_and_not_an_answered_one(self):
		set_rules(**{DEALER_REQUEST_UNANSWERED: {"notify_owner": 1}})
		overdue, answered, not_yet = raise_as(self.user_b), raise_as(self.user_b), raise_as(self.user_b)
		past = add_to_date(now_datetime(), hours=-2)
		for name in (overdue, answered):
			frappe.db.set_value("Issue", name, "response_by", past, update_modified=False)
		issue = frappe.get_doc("Issue", answered)
		issue.status = "Replied"
		issue.save()

		engine.run(now_datetime())
		self.assertEqual([log.recipient for log in logs_for(overdue)], [self.team.rep_b_user])
		self.assertEqual(logs_for(answered), [])
		self.assertEqual(logs_for(not_yet), [])
		# idempotent: a second run the same day writes nothing new
		engine.run(now_datetime())
		self.assertEqual(len(logs_for(overdue)), 1)

	def test_channel_managers_get_the_reminder_of_a_request_nobody_is_assigned(self):
		from sales_reengineering.tests.factories_customer_intelligence import make_user

		channel_manager = make_user("support-channel-manager@sr-test.invalid", ["Channel Manager"])
		orphan_user = make_website_user()
		make_dealer("General Agent", portal_users=[orphan_user])
		set_rules(**{DEALER_REQUEST_UNANSWERED: {"notify_owner": 1, "notify_role": "Channel Manager"}})
		orphan, assigned = raise_as(orphan_user), raise_as(self.user_b)
		self.assertEqual(frappe.get_doc("Issue", orphan).get_assigned_users(), set())
		past = add_to_date(now_datetime(), hours=-1)
		for name in (orphan, assigned):
			frappe.db.set_value("Issue", name, "response_by", past, update_modified=False)
		engine.run(now_datetime())
		self.assertIn(channel_manager, {log.recipient for log in logs_for(orphan)})
		self.assertEqual(
			{log.recipient for log in logs_for(assigned)} & {self.team.rep_b_user, channel_manager},
			{self.team.rep_b_user, channel_manager},
		)
