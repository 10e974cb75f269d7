"""Shipped records are created once: an administrator's edits survive `bench migrate` (which runs the
module's patch, i.e. `install.sync_setup`), and whatever is missing is created again."""

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.install import sync_setup
from sales_reengineering.reminders.engine import DEFAULT_RULES, DIGEST_TEMPLATE, SETTINGS
from sales_reengineering.reminders.setup import (
	EMAIL_TEMPLATES,
	NOTIFICATIONS,
	PRICE_EXCEPTION_WORKFLOW,
	add_shipped_rule,
	remove_shipped_records,
	seed_reminder_rules,
)

SHIPPED_WORKFLOWS = {
	"Dealer Lifecycle": "Dealer",
	"Deal Registration Approval": "Deal Registration",
	"Sales Task Approval": "Sales Task",
	PRICE_EXCEPTION_WORKFLOW: "Channel Price Exception",
	"Info Feedback Review": "Info Feedback Report",
}


class TestShippedRecords(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()
		frappe.clear_document_cache(SETTINGS, SETTINGS)

	def rules(self):
		return frappe.get_all(
			"Reminder Rule",
			filters={"parent": SETTINGS, "parenttype": SETTINGS},
			fields=["rule", "days", "enabled"],
			order_by="idx",
		)

	def test_the_five_workflows_exist(self):
		for name, doctype in SHIPPED_WORKFLOWS.items():
			with self.subTest(workflow=name):
				self.assertEqual(frappe.db.get_value("Workflow", name, "document_type"), doctype)

	def test_an_admins_workflow_edit_survives_migrate(self):
		workflow = frappe.get_doc("Workflow", PRICE_EXCEPTION_WORKFLOW)
		approve = next(row for row in workflow.transitions if row.action == "Approve")
		approve.allowed = "System Manager"
		workflow.append(
			"transitions",
			{"state": "Rejected", "action": "Approve", "next_state": "Approved", "allowed": "System Manager"},
		)
		workflow.save()
		others = {}
		for name in SHIPPED_WORKFLOWS:
			doc = frappe.get_doc("Workflow", name)
			doc.is_active = 0
			doc.save()
			others[name] = len(doc.transitions)

		sync_setup()  # what the patch and after_install run

		workflow = frappe.get_doc("Workflow", PRICE_EXCEPTION_WORKFLOW)
		self.assertEqual(
			{row.allowed for row in workflow.transitions if row.action == "Approve"}, {"System Manager"}
		)
		for name, transitions in others.items():
			doc = frappe.get_doc("Workflow", name)
			with self.subTest(workflow=name):
				self.assertEqual(doc.is_active, 0, "the admin switched it off; migrate must not switch it on")
				self.assertEqual(len(doc.transitions), transitions)

	def test_a_deleted_workflow_is_created_again(self):
		frappe.delete_doc("Workflow", PRICE_EXCEPTION_WORKFLOW, force=True)
		sync_setup()
		self.assertTrue(frappe.db.exists("Workflow", PRICE_EXCEPTION_WORKFLOW))

	def test_no_price_workflow_next_to_an_admins_own(self):
		frappe.delete_doc("Workflow", PRICE_EXCEPTION_WORKFLOW, force=True)
		frappe.get_doc(
			{
				"doctype": "Workflow",
				"workflow_name": "_Test SR Own Price Workflow",
				"document_type": "Channel Price Exception",
				"workflow_state_field": "workflow_state",
				"is_active": 1,
				"states": [{"state": "Draft", "doc_status": "0", "allow_edit": "Sales User"}],
			}
		).insert()
		sync_setup()
		self.assertFalse(frappe.db.exists("Workflow", PRICE_EXCEPTION_WORKFLOW))

	def test_email_templates_and_notifications_are_kept(self):
		template = frappe.get_doc("Email Template", f"{DIGEST_TEMPLATE} - zh")
		template.subject = "我的提醒 {{ count }}"
		template.save()
		name = next(iter(NOTIFICATIONS))
		notification = frappe.get_doc("Notification", name)
		notification.enabled = 0
		notification.save()
		frappe.delete_doc("Email Template", DIGEST_TEMPLATE, force=True)

		sync_setup()

		self.assertEqual(
			frappe.db.get_value("Email Template", f"{DIGEST_TEMPLATE} - zh", "subject"), template.subject
		)
		self.assertEqual(frappe.db.get_value("Notification", name, "enabled"), 0)
		self.assertTrue(frappe.db.exists("Email Template", DIGEST_TEMPLATE), "a missing one comes back")
		for name, spec in NOTIFICATIONS.items():
			with self.subTest(notification=name):
				self.assertEqual(
					frappe.db.get_value("Notification", name, "document_type"), spec["document_type"]
				)

	def test_uninstall_removes_notifications_and_templates(self):
		remove_shipped_records()
		for name in NOTIFICATIONS:
			self.assertFalse(frappe.db.exists("Notification", name), name)
		for name in EMAIL_TEMPLATES:
			self.assertFalse(frappe.db.exists("Email Template", name), name)

	def test_rules_are_seeded_only_into_an_empty_table(self):
		self.assertEqual([row.rule for row in self.rules()], list(DEFAULT_RULES))
		settings = frappe.get_doc(SETTINGS)
		settings.reminder_rules = settings.reminder_rules[:1]
		settings.reminder_rules[0].days = 99
		settings.save()
		seed_reminder_rules()
		self.assertEqual([(row.rule, row.days) for row in self.rules()], [(next(iter(DEFAULT_RULES)), 99)])

		settings = frappe.get_doc(SETTINGS)
		settings.reminder_rules = []
		settings.save()
		seed_reminder_rules()
		self.assertEqual(len(self.rules()), len(DEFAULT_RULES))

	def test_a_new_shipped_rule_joins_a_seeded_table_once(self):
		newest = list(DEFAULT_RULES)[-1]
		settings = frappe.get_doc(SETTINGS)
		settings.reminder_rules = [row for row in settings.reminder_rules if row.rule != newest]
		settings.reminder_rules[0].days = 99  # an administrator's edit
		settings.save()
		add_shipped_rule(newest)
		add_shipped_rule(newest)  # a second call adds nothing
		rules = self.rules()
		self.assertEqual([row.rule for row in rules].count(newest), 1)
		self.assertEqual((rules[-1].rule, rules[-1].days), (newest, DEFAULT_RULES[newest].get("days", 0)))
		self.assertEqual(rules[0].days, 99)

		settings = frappe.get_doc(SETTINGS)
		settings.reminder_rules = []  # an emptied table is seeded whole, not by a patch
		settings.save()
		add_shipped_rule(newest)
		self.assertEqual(self.rules(), [])

	def test_workflow_notification_reaches_the_approver(self):
		from frappe.model.workflow import apply_workflow

		from sales_reengineering.tests.factories_customer_intelligence import make_team
		from sales_reengineering.tests.factories_performance import make_task, make_template

		team = make_team()
		template = make_template(
			f"_Test SR Notify Template {frappe.generate_hash(length=5)}", [("Net Sales", 100, 1)]
		)
		task = make_task(team.rep_a, template.name, year=2027, quarter=1)
		manager = frappe.get_all(
			"Has Role", filters={"role": "Sales Manager", "parenttype": "User"}, pluck="parent"
		)
		before = frappe.db.count("Notification Log", {"document_name": task.name})
		apply_workflow(task, "Propose")
		after = frappe.get_all("Notification Log", filters={"document_name": task.name}, pluck="for_user")
		self.assertGreater(len(after), before)
		self.assertTrue(set(after) & set(manager))
