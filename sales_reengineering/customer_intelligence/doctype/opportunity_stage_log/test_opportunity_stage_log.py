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
