"""The reminder engine: every rule fires, and fires once; catch-up; rules on/off and their days;
delivery (ToDo, notification, one digest per user and day) and the quiet hours."""

from unittest.mock import patch

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, get_first_day, getdate, random_string, today

from sales_reengineering.exceptions import InvalidReminderRuleError
from sales_reengineering.reminders import engine
from sales_reengineering.reminders.engine import (
	CLOSE_DATE_PASSED,
	CONTRACT_RENEWAL,
	DEAL_EXPIRING,
	DORMANT_CALL,
	LOG,
	MISSING_FEEDBACK,
	MISSING_SELL_THROUGH,
	SALES_TASK,
	SETTINGS,
	STUCK_OPPORTUNITY,
)
from sales_reengineering.tests.factories_channel import make_dealer, make_registration, make_sell_through
from sales_reengineering.tests.factories_customer_intelligence import (
	backdate,
	make_customer,
	make_opportunity,
	make_team,
	make_user,
)
from sales_reengineering.tests.factories_reminders import at, logs_for, set_rules


def stuck_since(opportunity: str, days: int) -> None:
	"""The opportunity was created, and last changed stage, `days` days ago."""
	moment = add_days(frappe.utils.now_datetime(), -days)
	frappe.db.set_value("Opportunity", opportunity, "creation", moment, update_modified=False)
	frappe.db.set_value(
		"Opportunity Stage Log", {"opportunity": opportunity}, "changed_on", moment, update_modified=False
	)


class ReminderTestCase(FrappeTestCase):
	def setUp(self):
		self.team = make_team()

	def tearDown(self):
		frappe.db.rollback()
		frappe.clear_document_cache(SETTINGS, SETTINGS)
		frappe.set_user("Administrator")

	def run_engine(self, now):
		with patch.object(frappe, "sendmail") as sendmail:
			result = engine.run(now)
		result["mails"] = sendmail.call_args_list
		return result

	def recipients(self, reference: str) -> set[str]:
		return {row.recipient for row in logs_for(reference)}


class TestRules(ReminderTestCase):
	def test_stuck_opportunity_fires_once_then_weekly(self):
		set_rules(
			**{STUCK_OPPORTUNITY: {"days": 14, "repeat_days": 7, "notify_owner": 1, "notify_manager": 1}}
		)
		opportunity = make_opportunity(sales_person=self.team.rep_a).name
		fresh = make_opportunity(sales_person=self.team.rep_a).name
		stuck_since(opportunity, 20)  # due 6 days ago, in repeat cycle 0

		self.run_engine(at(0))
		self.assertEqual(self.recipients(opportunity), {self.team.rep_a_user, self.team.manager_user})
		self.assertEqual(logs_for(fresh), [], "an opportunity that moved today is not stuck")

		# nor formats a message: a candidate already logged is compared by its key only
		with patch.object(engine, "_stuck_message", side_effect=AssertionError("message formatted")):
			self.run_engine(at(0, hour=15))
		self.assertEqual(len(logs_for(opportunity)), 2, "a second run on the same day creates nothing")

		self.run_engine(at(1))  # cycle 1 starts 7 days after the due date: remind again
		self.assertEqual(len(logs_for(opportunity)), 4)
		self.run_engine(at(5))  # still cycle 1
		self.assertEqual(len(logs_for(opportunity)), 4)

		# the repeat reuses the open ToDo: one per user and document
		todos = frappe.get_all(
			"ToDo",
			filters={"reference_type": "Opportunity", "reference_name": opportunity, "status": "Open"},
			pluck="allocated_to",
		)
		self.assertEqual(sorted(todos), sorted([self.team.rep_a_user, self.team.manager_user]))
		self.assertEqual(
			frappe.db.count(
				"Notification Log", {"document_name": opportunity, "for_user": self.team.rep_a_user}
			),
			2,
		)

	def test_open_opportunities_are_read_a_page_at_a_time(self):
		set_rules(
			**{
				STUCK_OPPORTUNITY: {"days": 14, "repeat_days": 0, "notify_owner": 1},
				CLOSE_DATE_PASSED: {"days": 0, "repeat_days": 0, "notify_owner": 1},
			}
		)
		late = add_days(today(), -3)
		stuck = [make_opportunity(sales_person=self.team.rep_a, expected_closing=late).name for _ in range(5)]
		for name in stuck:
			stuck_since(name, 20)
		with (
			patch.object(engine, "READ_PAGE", 2),
			patch.object(engine, "rule_candidates", wraps=engine.rule_candidates) as read,
		):
			self.run_engine(at(0))
		for name in stuck:
			self.assertEqual(
				sorted(row.rule for row in logs_for(name)), [CLOSE_DATE_PASSED, STUCK_OPPORTUNITY], name
			)
		pages = [call.args[2] for call in read.call_args_list if call.args[0].rule == STUCK_OPPORTUNITY]
		self.assertGreaterEqual(len(pages), 3, "five opportunities, two a page")
		self.assertEqual(pages[0], None)
		# each page starts after the last one read (in the database's order of names, not Python's)
		self.assertEqual(len(set(pages[1:])), len(pages[1:]), "no page is read twice")
		message = frappe.db.get_value(LOG, {"reference_name": stuck[0], "rule": STUCK_OPPORTUNITY}, "message")
		self.assertIn(stuck[0], message)

	def test_missed_days_are_caught_up(self):
		set_rules(**{STUCK_OPPORTUNITY: {"days": 14, "repeat_days": 0, "notify_owner": 1}})
		opportunity = make_opportunity(sales_person=self.team.rep_a).name
		stuck_since(opportunity, 10)  # due in 4 days

		self.run_engine(at(0))
		self.assertEqual(logs_for(opportunity), [], "not due yet")
		# the scheduler was down on days 4 and 5; the run on day 6 still finds it
		self.run_engine(at(6))
		logs = logs_for(opportunity)
		self.assertEqual([row.recipient for row in logs], [self.team.rep_a_user])
		self.assertEqual(getdate(logs[0].due_date), getdate(add_days(today(), 4)))
		self.run_engine(at(7))
		self.assertEqual(len(logs_for(opportunity)), 1, "without repeat, once is enough")

	def test_close_date_passed(self):
		set_rules(**{CLOSE_DATE_PASSED: {"days": 0, "repeat_days": 0, "notify_owner": 1}})
		late = make_opportunity(sales_person=self.team.rep_a, expected_closing=add_days(today(), -2)).name
		future = make_opportunity(sales_person=self.team.rep_a, expected_closing=add_days(today(), 2)).name
		lost = make_opportunity(sales_person=self.team.rep_a, expected_closing=add_days(today(), -2)).name
		frappe.db.set_value("Opportunity", lost, "status", "Lost")

		self.run_engine(at(0))
		self.assertEqual(self.recipients(late), {self.team.rep_a_user})
		self.assertEqual(logs_for(future), [])
		self.assertEqual(logs_for(lost), [], "a lost opportunity needs no reminder")
		self.run_engine(at(0))
		self.assertEqual(len(logs_for(late)), 1)

	def test_deal_registration_about_to_expire(self):
		channel_manager = make_user(f"cm-{random_string(5).lower()}@sr-test.invalid", ["Channel Manager"])
		set_rules(
			**{
				DEAL_EXPIRING: {
					"days": 14,
					"repeat_days": 0,
					"notify_owner": 1,
					"notify_role": "Channel Manager",
				}
			}
		)
		dealer = make_dealer(account_manager=self.team.rep_a).name
		expiring = make_registration(dealer).name
		later = make_registration(dealer).name
		for name in (expiring, later):
			apply_workflow(frappe.get_doc("Deal Registration", name), "Approve")
		frappe.db.set_value("Deal Registration", expiring, "protected_until", add_days(today(), 5))
		frappe.db.set_value("Deal Registration", later, "protected_until", add_days(today(), 30))

		self.run_engine(at(0))
		recipients = self.recipients(expiring)
		self.assertIn(self.team.rep_a_user, recipients, "the dealer's account manager")
		self.assertIn(channel_manager, recipients, "the role")
		self.assertEqual(logs_for(later), [])
		self.run_engine(at(0))
		self.assertEqual(len(logs_for(expiring)), len(recipients))

	def test_contract_due_for_renewal(self):
		set_rules(**{CONTRACT_RENEWAL: {"days": 30, "repeat_days": 0, "notify_owner": 1}})
		customer = make_customer(self.team.rep_b)

		def contract(**dates):
			return (
				frappe.get_doc(
					{
						"doctype": "Contract",
						"party_type": "Customer",
						"party_name": customer,
						"contract_terms": "Terms",
						"start_date": add_days(today(), -300),
						**dates,
					}
				)
				.insert(ignore_permissions=True)
				.name
			)

		renewal = contract(end_date=add_days(today(), 90), sr_renewal_date=add_days(today(), 10))
		ending = contract(end_date=add_days(today(), 20))
		far = contract(end_date=add_days(today(), 60))

		self.run_engine(at(0))
		self.assertEqual(self.recipients(renewal), {self.team.rep_b_user}, "the renewal date counts")
		self.assertEqual(self.recipients(ending), {self.team.rep_b_user}, "else the end date")
		self.assertEqual(logs_for(far), [])

	def test_contract_renewal_goes_to_the_customers_own_assistant_only(self):
		set_rules(
			**{
				CONTRACT_RENEWAL: {
					"days": 30,
					"repeat_days": 0,
					"notify_owner": 1,
					"notify_role": "Sales Assistant",
				}
			}
		)
		mine = make_user(f"assistant-{random_string(5).lower()}@sr-test.invalid", ["Sales Assistant"])
		other = make_user(f"assistant-{random_string(5).lower()}@sr-test.invalid", ["Sales Assistant"])
		customer = make_customer(self.team.rep_b)
		frappe.db.set_value("Customer", customer, "sr_sales_assistant", mine)
		renewal = (
			frappe.get_doc(
				{
					"doctype": "Contract",
					"party_type": "Customer",
					"party_name": customer,
					"contract_terms": "Terms",
					"start_date": add_days(today(), -300),
					"end_date": add_days(today(), 20),
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		self.run_engine(at(0))
		recipients = self.recipients(renewal)
		self.assertIn(mine, recipients)
		self.assertIn(self.team.rep_b_user, recipients)
		self.assertNotIn(other, recipients, "an assistant who does not maintain the customer")

	def test_dormant_customer_due_for_a_call(self):
		agent = make_user(f"agent-{random_string(5).lower()}@sr-test.invalid", ["Telesales Agent"])
		set_rules(**{DORMANT_CALL: {"days": 3, "repeat_days": 7, "notify_owner": 1}})

		def call():
			return (
				frappe.get_doc(
					{
						"doctype": "Telesales Call",
						"customer": make_customer(),
						"agent": agent,
						"status": "Open",
					}
				)
				.insert(ignore_permissions=True)
				.name
			)

		waiting, new = call(), call()
		backdate("Telesales Call", waiting, 5)

		self.run_engine(at(0))
		self.assertEqual(self.recipients(waiting), {agent})
		self.assertEqual(logs_for(new), [], "listed today: not due yet")
		frappe.db.set_value("Telesales Call", waiting, "status", "Cancelled")
		self.run_engine(at(10))
		self.assertEqual(len(logs_for(waiting)), 1, "a closed call is not reminded again")

	def test_sales_task_awaiting_approval_and_behind_pace(self):
		from sales_reengineering.tests.factories_performance import make_task, make_template

		set_rules(**{SALES_TASK: {"days": 3, "repeat_days": 7, "notify_owner": 1, "notify_manager": 1}})
		template = make_template(f"_Test SR Reminder Template {random_string(5)}", [("Net Sales", 100, 1000)])
		day = getdate(today())
		quarter = (day.month - 1) // 3 + 1
		pending = make_task(self.team.rep_a, template.name, year=day.year, quarter=quarter)
		pending = apply_workflow(pending, "Propose")
		frappe.db.set_value(
			"Sales Task", pending.name, "modified", add_days(today(), -5), update_modified=False
		)
		approved = make_task(self.team.rep_b, template.name, year=day.year, quarter=quarter, approve=True)

		# run on the last day of the quarter: the approved task is due in full and has sold nothing
		end = getdate(approved.to_date)
		self.run_engine(at((end - day).days))
		self.assertEqual(self.recipients(pending.name), {self.team.rep_a_user, self.team.manager_user})
		self.assertEqual(self.recipients(approved.name), {self.team.rep_b_user, self.team.manager_user})

	def test_sales_task_on_pace_is_not_reminded(self):
		from sales_reengineering.tests.factories_performance import make_task, make_template

		set_rules(**{SALES_TASK: {"days": 0, "repeat_days": 0, "notify_owner": 1}})
		# a zero target is met by zero sales: always on pace
		template = make_template(f"_Test SR Reminder Template {random_string(5)}", [("Net Sales", 100, 0)])
		day = getdate(today())
		task = make_task(
			self.team.rep_a, template.name, year=day.year, quarter=(day.month - 1) // 3 + 1, approve=True
		)
		with patch.object(engine, "behind_pace", return_value=False) as pace:
			self.run_engine(at(0))
		self.assertTrue(pace.called)
		self.assertEqual(logs_for(task.name), [])

	def test_missing_weekly_info_feedback(self):
		set_rules(**{MISSING_FEEDBACK: {"days": 7, "repeat_days": 7, "notify_owner": 1}})
		frappe.get_doc(
			{
				"doctype": "Info Feedback Report",
				"title": "Competitor price cut",
				"report_type": "Pricing",
				"report_date": add_days(today(), -2),
				"sales_person": self.team.rep_b,
				"territory": "_Test SR Beijing",
				"content": "Competitor X cut prices by 10%.",
			}
		).insert(ignore_permissions=True)

		self.run_engine(at(0))
		self.assertEqual(self.recipients(self.team.rep_a), {self.team.rep_a_user}, "never reported")
		self.assertEqual(logs_for(self.team.rep_b), [], "reported two days ago")
		self.assertEqual(logs_for(self.team.manager), [], "a manager (group node) is not asked")
		self.run_engine(at(6))  # rep B's report is now 8 days old
		self.assertEqual(self.recipients(self.team.rep_b), {self.team.rep_b_user})

	def test_dealer_without_last_months_sell_through(self):
		set_rules(**{MISSING_SELL_THROUGH: {"days": 1, "repeat_days": 7, "notify_owner": 1}})
		missing = make_dealer(account_manager=self.team.rep_a).name
		reported = make_dealer(account_manager=self.team.rep_a).name
		prospect = make_dealer(account_manager=self.team.rep_a, status="Prospect").name
		for dealer in (missing, reported, prospect):
			backdate("Dealer", dealer, 70)
		last_month = add_months(get_first_day(today()), -1)
		make_sell_through(reported, period=last_month)
		draft = make_dealer(account_manager=self.team.rep_a).name
		backdate("Dealer", draft, 70)
		make_sell_through(draft, period=last_month, submit=False)

		self.run_engine(at(0))
		self.assertEqual(self.recipients(missing), {self.team.rep_a_user})
		self.assertEqual(self.recipients(draft), {self.team.rep_a_user}, "a draft is not submitted")
		self.assertEqual(logs_for(reported), [])
		self.assertEqual(logs_for(prospect), [], "only active dealers report")

	def test_sell_through_waits_for_its_day_of_month(self):
		set_rules(**{MISSING_SELL_THROUGH: {"days": 28, "repeat_days": 0, "notify_owner": 1}})
		dealer = make_dealer(account_manager=self.team.rep_a).name
		backdate("Dealer", dealer, 70)
		first = get_first_day(today())
		self.run_engine(frappe.utils.get_datetime(f"{first} 10:00:00"))
		self.assertEqual(logs_for(dealer), [], "before day 28 of the month")
		self.run_engine(frappe.utils.get_datetime(f"{add_days(first, 27)} 10:00:00"))
		self.assertEqual(self.recipients(dealer), {self.team.rep_a_user})


class TestConfiguration(ReminderTestCase):
	def test_switching_a_rule_off_and_changing_its_days(self):
		opportunity = make_opportunity(sales_person=self.team.rep_a).name
		stuck_since(opportunity, 20)

		set_rules(**{STUCK_OPPORTUNITY: {"enabled": 0, "notify_owner": 1}})
		self.run_engine(at(0))
		self.assertEqual(logs_for(opportunity), [], "switched off")

		set_rules(**{STUCK_OPPORTUNITY: {"days": 30, "repeat_days": 0, "notify_owner": 1}})
		self.run_engine(at(0))
		self.assertEqual(logs_for(opportunity), [], "20 days is not stuck when the rule says 30")

		set_rules(**{STUCK_OPPORTUNITY: {"days": 14, "repeat_days": 0, "notify_owner": 1}})
		self.run_engine(at(0))
		self.assertEqual(self.recipients(opportunity), {self.team.rep_a_user})

	def test_recipients_follow_the_rule(self):
		opportunity = make_opportunity(sales_person=self.team.rep_a).name
		stuck_since(opportunity, 20)
		set_rules(**{STUCK_OPPORTUNITY: {"days": 14, "repeat_days": 0, "notify_manager": 1}})
		self.run_engine(at(0))
		self.assertEqual(self.recipients(opportunity), {self.team.manager_user}, "manager only")

	def test_bad_rules_are_rejected(self):
		with self.assertRaises(InvalidReminderRuleError, msg="notifies nobody"):
			set_rules(**{STUCK_OPPORTUNITY: {"notify_owner": 0, "notify_manager": 0, "notify_role": None}})
		twice = {"rule": CLOSE_DATE_PASSED, "enabled": 1, "notify_owner": 1}
		negative = {"rule": CLOSE_DATE_PASSED, "enabled": 1, "notify_owner": 1, "days": -1}
		for rows in ([twice, twice], [negative]):
			doc = frappe.get_doc(SETTINGS)
			doc.reminder_rules = []
			for row in rows:
				doc.append("reminder_rules", row)
			with self.subTest(rows=rows), self.assertRaises(InvalidReminderRuleError):
				doc.save()
		# a switched-off rule may notify nobody
		set_rules(**{STUCK_OPPORTUNITY: {"enabled": 0}})

	def test_a_salesperson_sees_only_their_own_reminders(self):
		opportunity = make_opportunity(sales_person=self.team.rep_a).name
		stuck_since(opportunity, 20)
		set_rules(
			**{STUCK_OPPORTUNITY: {"days": 14, "repeat_days": 0, "notify_owner": 1, "notify_manager": 1}}
		)
		self.run_engine(at(0))
		manager_log = logs_for(opportunity, recipient=self.team.manager_user)[0].name
		frappe.set_user(self.team.rep_a_user)
		visible = frappe.get_list(LOG, filters={"reference_name": opportunity}, pluck="recipient")
		self.assertEqual(visible, [self.team.rep_a_user])
		self.assertFalse(frappe.has_permission(LOG, "read", doc=manager_log))


class TestDigest(ReminderTestCase):
	def setUp(self):
		super().setUp()
		set_rules(
			**{
				STUCK_OPPORTUNITY: {"days": 14, "repeat_days": 0, "notify_owner": 1},
				CLOSE_DATE_PASSED: {"days": 0, "repeat_days": 0, "notify_owner": 1},
			}
		)
		frappe.db.set_single_value(SETTINGS, "quiet_hours_start", "22:00:00")
		frappe.db.set_single_value(SETTINGS, "quiet_hours_end", "08:00:00")
		self.opportunity = make_opportunity(
			sales_person=self.team.rep_a, expected_closing=add_days(today(), -3)
		).name
		stuck_since(self.opportunity, 20)

	def mails_to(self, result, user):
		email = frappe.db.get_value("User", user, "email")
		return [call for call in result["mails"] if call.kwargs["recipients"] == [email]]

	def test_one_digest_per_user_with_every_item(self):
		result = self.run_engine(at(0, hour=9))
		mails = self.mails_to(result, self.team.rep_a_user)
		self.assertEqual(len(mails), 1, "two reminders, one mail")
		self.assertIn(self.opportunity, mails[0].kwargs["message"])
		self.assertIn("Stuck Opportunity", mails[0].kwargs["message"])
		self.assertIn("Close Date Passed", mails[0].kwargs["message"])
		self.assertTrue(all(row.digest_sent for row in logs_for(self.opportunity)))

		# more reminders later that day wait for tomorrow's digest
		late = make_opportunity(sales_person=self.team.rep_a, expected_closing=add_days(today(), -1)).name
		result = self.run_engine(at(0, hour=15))
		self.assertEqual(self.mails_to(result, self.team.rep_a_user), [])
		self.assertFalse(logs_for(late)[0].digest_sent)
		result = self.run_engine(at(1, hour=9))
		self.assertEqual(len(self.mails_to(result, self.team.rep_a_user)), 1)
		self.assertTrue(logs_for(late)[0].digest_sent)

	def test_quiet_hours_hold_the_digest_until_morning(self):
		result = self.run_engine(at(0, hour=23))
		self.assertEqual(self.mails_to(result, self.team.rep_a_user), [])
		logs = logs_for(self.opportunity)
		self.assertEqual(len(logs), 2, "the ToDos and notifications do not wait")
		self.assertTrue(all(row.todo for row in logs))
		self.assertFalse(any(row.digest_sent for row in logs))

		result = self.run_engine(at(1, hour=7, minute=59))
		self.assertEqual(self.mails_to(result, self.team.rep_a_user), [], "still quiet at 07:59")
		result = self.run_engine(at(1, hour=8))
		self.assertEqual(len(self.mails_to(result, self.team.rep_a_user)), 1, "released at 08:00")
		self.assertEqual(len(logs_for(self.opportunity)), 2, "and nothing new was created")

	def test_quiet_hours_are_configurable(self):
		frappe.db.set_single_value(SETTINGS, "quiet_hours_start", "12:00:00")
		frappe.db.set_single_value(SETTINGS, "quiet_hours_end", "14:00:00")
		self.assertEqual(self.mails_to(self.run_engine(at(0, hour=13)), self.team.rep_a_user), [])
		self.assertEqual(len(self.mails_to(self.run_engine(at(0, hour=23)), self.team.rep_a_user)), 1)

	def test_no_outgoing_email_account_keeps_the_reminders(self):
		"""A site without an outgoing e-mail account (muted or not): the run writes every reminder,
		ToDo and notification, raises nothing, logs why, and the digests wait for a later run."""
		for muted in (True, False):
			with self.subTest(muted=muted):
				savepoint = "no_email_account"
				frappe.db.savepoint(savepoint)
				frappe.db.delete("Email Account")
				frappe.db.delete(
					"Error Log", {"method": frappe._("Sales reminder digests could not be queued")}
				)
				frappe.local.outgoing_email_account = {}
				errors = frappe.db.count("Error Log")
				with patch.dict(frappe.flags, {"mute_emails": muted}):
					result = engine.run(at(0, hour=9))  # the real frappe.sendmail
					again = engine.run(at(0, hour=10))
				frappe.local.outgoing_email_account = {}
				self.assertEqual(again["digests"], 0)
				self.assertEqual(result["digests"], 0)
				logs = logs_for(self.opportunity)
				self.assertEqual(len(logs), 2, "both reminders are written")
				self.assertTrue(all(row.todo for row in logs), "with their ToDos")
				self.assertFalse(any(row.digest_sent for row in logs), "the digest stays pending")
				self.assertTrue(
					frappe.db.exists(
						"Notification Log",
						{"document_name": self.opportunity, "for_user": self.team.rep_a_user},
					)
				)
				self.assertFalse(
					frappe.db.exists("Email Queue", {"reference_doctype": engine.LOG}), "no half-queued mail"
				)
				self.assertEqual(frappe.db.count("Error Log"), errors + 1, "one Error Log a day, not a run")
				frappe.db.rollback(save_point=savepoint)
		# with an account again, the pending digest goes out on the next run
		frappe.db.delete("Sales Reminder Log", {"reference_name": self.opportunity})
		self.assertEqual(len(self.mails_to(self.run_engine(at(0, hour=9)), self.team.rep_a_user)), 1)

	def test_digests_go_out_a_batch_of_users_at_a_time(self):
		other = make_opportunity(sales_person=self.team.rep_b, expected_closing=add_days(today(), -3)).name
		with patch.object(engine, "DIGEST_USERS", 1):
			# the first mail that cannot be queued stops the run, and every digest stays pending
			with patch.object(frappe, "sendmail", side_effect=frappe.OutgoingEmailError) as sendmail:
				engine.run(at(0, hour=9))
			self.assertEqual(sendmail.call_count, 1)
			self.assertFalse(any(row.digest_sent for row in logs_for(self.opportunity) + logs_for(other)))
			result = self.run_engine(at(0, hour=10))
		for user, opportunity in ((self.team.rep_a_user, self.opportunity), (self.team.rep_b_user, other)):
			mails = self.mails_to(result, user)
			self.assertEqual(len(mails), 1, user)
			self.assertIn(opportunity, mails[0].kwargs["message"])
			self.assertTrue(all(row.digest_sent for row in logs_for(opportunity)))

	def test_digest_in_the_users_language(self):
		frappe.db.set_value("User", self.team.rep_a_user, "language", "zh")
		mails = self.mails_to(self.run_engine(at(0, hour=9)), self.team.rep_a_user)
		self.assertEqual(len(mails), 1)
		self.assertIn("销售提醒", mails[0].kwargs["subject"])
		self.assertIn(self.opportunity, mails[0].kwargs["message"])


class TestBulkDelivery(ReminderTestCase):
	"""The ToDos, comments and notifications go in as multi-row INSERTs: what each row gets must still be
	what Frappe's own documents would have written (`sales_reengineering.notify`)."""

	def test_todos_comments_assignments_and_notifications(self):
		set_rules(
			**{STUCK_OPPORTUNITY: {"days": 14, "repeat_days": 7, "notify_owner": 1, "notify_manager": 1}}
		)
		opportunities = [make_opportunity(sales_person=self.team.rep_a).name for _i in range(2)]
		for opportunity in opportunities:
			stuck_since(opportunity, 20)
		users = sorted([self.team.rep_a_user, self.team.manager_user])
		for user in users:
			if not frappe.db.exists("Notification Settings", user):
				frappe.get_doc({"doctype": "Notification Settings", "name": user}).insert(
					ignore_permissions=True
				)
			frappe.db.set_value("Notification Settings", user, "seen", 1, update_modified=False)
		# a ToDo someone else assigned by hand stays in `_assign`, before the reminders' users
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": "Administrator",
				"reference_type": "Opportunity",
				"reference_name": opportunities[0],
				"description": "by hand",
			}
		).insert(ignore_permissions=True)
		with patch.object(frappe, "publish_realtime") as realtime:
			self.run_engine(at(0))
		names = dict(
			frappe.get_all(
				"User", filters={"name": ("in", users)}, fields=["name", "full_name"], as_list=True
			)
		)
		for opportunity in opportunities:
			logs = logs_for(opportunity)
			self.assertEqual(sorted(row.recipient for row in logs), users)
			for log in logs:
				todo = frappe.get_doc("ToDo", log.todo)
				message = frappe.db.get_value(LOG, log.name, "message")
				self.assertEqual(
					(todo.allocated_to, todo.reference_type, todo.reference_name, todo.status, todo.priority),
					(log.recipient, "Opportunity", opportunity, "Open", "Medium"),
				)
				self.assertEqual(
					(todo.assigned_by, todo.owner, todo.description),
					("Administrator", "Administrator", message),
				)
				self.assertEqual(
					todo.assigned_by_full_name, frappe.db.get_value("User", "Administrator", "full_name")
				)
				self.assertEqual(getdate(todo.date), getdate(today()))
				self.assertTrue(todo.creation and todo.modified)
				comment = frappe.get_all(
					"Comment",
					filters={
						"reference_doctype": "Opportunity",
						"reference_name": opportunity,
						"comment_type": "Assigned",
						"content": ("like", f"%{names[log.recipient] or log.recipient}%"),
					},
					pluck="content",
				)
				self.assertEqual(len(comment), 1, comment)
				self.assertIn(message, comment[0])
				notification = frappe.get_all(
					"Notification Log",
					filters={"document_name": opportunity, "for_user": log.recipient},
					fields=["type", "subject", "read", "from_user", "document_type"],
				)
				self.assertEqual(
					[tuple(row.values()) for row in notification],
					[("Alert", message, 0, "Administrator", "Opportunity")],
				)
			assigned = frappe.parse_json(frappe.db.get_value("Opportunity", opportunity, "_assign"))
			expected = (["Administrator"] if opportunity == opportunities[0] else []) + users
			self.assertEqual(assigned[: len(expected) - len(users)], expected[: len(expected) - len(users)])
			self.assertEqual(sorted(assigned), sorted(expected))
		for user in users:
			self.assertEqual(frappe.db.get_value("Notification Settings", user, "seen"), 0, "the bell rings")
		pushes = [
			call.kwargs.get("user") for call in realtime.call_args_list if call.args[:1] == ("notification",)
		]
		# the run covers the whole site: records another test left due may notify other users too
		self.assertEqual(
			len(pushes), len(set(pushes)), "one realtime push per recipient, not per notification"
		)
		self.assertEqual(sorted(push for push in pushes if push in users), users)

		# a second run the same day writes nothing more and pushes nothing
		with patch.object(frappe, "publish_realtime") as realtime:
			self.run_engine(at(0, hour=15))
		self.assertEqual(realtime.call_args_list, [])
		self.assertEqual(
			frappe.db.count("ToDo", {"reference_name": ("in", opportunities), "allocated_to": ("in", users)}),
			4,
		)
