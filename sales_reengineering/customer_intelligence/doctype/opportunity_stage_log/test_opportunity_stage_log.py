# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from sales_reengineering.tests.factories_customer_intelligence import STAGES, make_opportunity, make_team

LOG = "Opportunity Stage Log"


def logs_of(opportunity: str) -> list[dict]:
	return frappe.get_all(
		LOG,
		filters={"opportunity": opportunity},
		fields=["*"],
		order_by="creation asc",
	)


class TestOpportunityStageLog(FrappeTestCase):
	def setUp(self):
		# per test: tearDown rolls back everything, the team included
		self.team = make_team()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_insert_logs_first_stage(self):
		opp = make_opportunity(sales_stage=STAGES[1], sales_person=self.team.rep_a)
		(log,) = logs_of(opp.name)
		self.assertIsNone(log.from_stage)
		self.assertEqual(log.to_stage, STAGES[1])
		self.assertEqual(log.to_order, 2)
		self.assertEqual(log.sales_person, self.team.rep_a)
		self.assertEqual(log.stage_changed, 1)
		self.assertEqual(log.changed_by, "Administrator")
		self.assertFalse(log.outcome)

	def test_stage_change_logs_from_to_and_days_in_previous_stage(self):
		opp = make_opportunity(sales_stage=STAGES[0], sales_person=self.team.rep_a)
		first = logs_of(opp.name)[0]
		frappe.db.set_value(LOG, first.name, "changed_on", add_days(now_datetime(), -3))

		opp.reload()
		opp.sales_stage = STAGES[2]
		opp.save(ignore_permissions=True)

		logs = logs_of(opp.name)
		self.assertEqual(len(logs), 2)
		self.assertEqual((logs[1].from_stage, logs[1].to_stage), (STAGES[0], STAGES[2]))
		self.assertEqual((logs[1].from_order, logs[1].to_order), (1, 3))
		self.assertAlmostEqual(logs[1].days_in_previous_stage, 3, delta=0.05)

	def test_save_without_stage_change_writes_nothing(self):
		opp = make_opportunity(sales_stage=STAGES[0], sales_person=self.team.rep_a)
		opp.reload()
		opp.opportunity_amount = 5000
		opp.save(ignore_permissions=True)
		self.assertEqual(len(logs_of(opp.name)), 1)

	def test_close_and_reopen_log_outcomes(self):
		opp = make_opportunity(sales_stage=STAGES[1], sales_person=self.team.rep_a)
		opp.reload()
		opp.status = "Closed"
		opp.save(ignore_permissions=True)
		opp.reload()
		opp.status = "Open"
		opp.save(ignore_permissions=True)

		logs = logs_of(opp.name)
		self.assertEqual([log.outcome or None for log in logs], [None, "Closed", "Open"])
		self.assertEqual([log.stage_changed for log in logs], [1, 0, 0])
		self.assertEqual(logs[1].to_stage, STAGES[1])

	def test_insert_already_lost_logs_the_outcome(self):
		opp = make_opportunity(sales_stage=STAGES[0], sales_person=self.team.rep_a, status="Closed")
		(log,) = logs_of(opp.name)
		self.assertEqual((log.to_stage, log.stage_changed, log.outcome), (STAGES[0], 1, "Closed"))

	def test_salesperson_sees_own_and_manager_sees_team_logs(self):
		opp = make_opportunity(sales_stage=STAGES[0], sales_person=self.team.rep_a)
		log_name = logs_of(opp.name)[0].name
		filters = {"opportunity": opp.name}

		frappe.set_user(self.team.rep_b_user)
		self.assertEqual(frappe.get_list(LOG, filters=filters), [])
		self.assertFalse(frappe.has_permission(LOG, "read", doc=log_name))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(LOG, log_name).check_permission("read")

		for user in (self.team.rep_a_user, self.team.manager_user):
			frappe.set_user(user)
			self.assertEqual(frappe.get_list(LOG, filters=filters, pluck="name"), [log_name])
			self.assertTrue(frappe.has_permission(LOG, "read", doc=log_name))

	def test_users_cannot_edit_logs(self):
		opp = make_opportunity(sales_stage=STAGES[0], sales_person=self.team.rep_a)
		frappe.set_user(self.team.manager_user)
		self.assertFalse(frappe.has_permission(LOG, "write"))
		self.assertFalse(frappe.has_permission(LOG, "create"))
		self.assertTrue(logs_of(opp.name))


class TestDeletingAnOpportunity(FrappeTestCase):
	"""Deleting an opportunity (by someone who may) takes the app's history of it along; it used to
	fail with LinkExistsError on the stage logs."""

	def setUp(self):
		self.team = make_team()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def snapshot(self, week_start: str, opportunities: list[str]) -> str:
		doc = frappe.new_doc("Sales Progress Snapshot")
		doc.update({"sales_person": self.team.rep_a, "week_start": week_start, "total_opportunities": 2})
		for name in opportunities:
			doc.append("opportunities", {"opportunity": name, "result": "Progressed"})
		return doc.insert(ignore_permissions=True).name

	def reminder(self, opportunity: str) -> str:
		log = frappe.get_doc(
			{
				"doctype": "Sales Reminder Log",
				"rule": "Stuck Opportunity",
				"reference_doctype": "Opportunity",
				"reference_name": opportunity,
				"recipient": self.team.rep_a_user,
				"log_key": frappe.generate_hash(),
				"period_key": "x",
				"due_date": frappe.utils.today(),
				"message": "stuck",
			}
		)
		log.db_insert()
		return log.name

	def test_history_goes_with_the_opportunity(self):
		opp = make_opportunity(sales_stage=STAGES[0], sales_person=self.team.rep_a).name
		other = make_opportunity(sales_stage=STAGES[0], sales_person=self.team.rep_a).name
		frappe.get_doc("Opportunity", opp).update({"sales_stage": STAGES[1]}).save(ignore_permissions=True)
		own = self.snapshot("2026-11-02", [opp])
		shared = self.snapshot("2026-11-09", [opp, other])
		reminder = self.reminder(opp)
		self.assertEqual(len(logs_of(opp)), 2)

		# someone outside the opportunity's scope may not delete it, and nothing of it goes
		frappe.set_user(self.team.rep_b_user)
		with self.assertRaises(frappe.PermissionError):
			frappe.delete_doc("Opportunity", opp)
		frappe.set_user("Administrator")
		self.assertTrue(frappe.db.exists("Opportunity", opp))
		self.assertEqual(len(logs_of(opp)), 2)
		self.assertTrue(frappe.db.exists("Sales Reminder Log", reminder))

		# its own salesperson (Sales User may delete opportunities) can, with no LinkExistsError
		frappe.set_user(self.team.rep_a_user)
		frappe.delete_doc("Opportunity", opp)
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Opportunity", opp))
		self.assertEqual(logs_of(opp), [])
		self.assertFalse(frappe.db.exists("Sales Reminder Log", reminder))
		self.assertFalse(frappe.db.exists("Sales Progress Snapshot", own), "it held only this opportunity")
		rows = frappe.get_all("Sales Progress Snapshot Item", filters={"parent": shared}, pluck="opportunity")
		self.assertEqual(rows, [other], "a shared snapshot keeps the other opportunity")
		self.assertEqual(len(logs_of(other)), 1, "another opportunity's history stays")

	def test_a_role_without_delete_rights_cannot_delete(self):
		from sales_reengineering.tests.factories_customer_intelligence import make_user

		opp = make_opportunity(sales_stage=STAGES[0], sales_person=self.team.rep_a).name
		viewer = make_user(f"sr-viewer-{frappe.generate_hash(length=6)}@sr-test.invalid", ["Sales Assistant"])
		frappe.set_user(viewer)
		with self.assertRaises(frappe.PermissionError):
			frappe.delete_doc("Opportunity", opp)
		frappe.set_user("Administrator")
		self.assertTrue(frappe.db.exists("Opportunity", opp))
		self.assertEqual(len(logs_of(opp)), 1)
