"""The shipped channel workflows are created once and an administrator's edits survive re-runs."""

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.channel.setup import DEAL_REGISTRATION_WORKFLOW, DEALER_WORKFLOW, create_workflows


class TestChannelSetup(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()
		# the rolled-back edits must not live on in the caches other tests read workflows from
		for name, doctype in ((DEALER_WORKFLOW, "Dealer"), (DEAL_REGISTRATION_WORKFLOW, "Deal Registration")):
			frappe.clear_document_cache("Workflow", name)
			frappe.cache.hdel("workflow", doctype)
			frappe.clear_cache(doctype=doctype)

	def test_workflows_exist_and_are_active(self):
		create_workflows()
		for name, doctype in ((DEALER_WORKFLOW, "Dealer"), (DEAL_REGISTRATION_WORKFLOW, "Deal Registration")):
			workflow = frappe.get_doc("Workflow", name)
			self.assertEqual((workflow.document_type, workflow.is_active), (doctype, 1))
			self.assertEqual(workflow.workflow_state_field, "status")

	def test_admin_edits_are_kept(self):
		workflow = frappe.get_doc("Workflow", DEALER_WORKFLOW)
		workflow.transitions[0].allowed = "System Manager"
		workflow.save()
		create_workflows()
		create_workflows()
		self.assertEqual(frappe.get_doc("Workflow", DEALER_WORKFLOW).transitions[0].allowed, "System Manager")
		self.assertEqual(frappe.db.count("Workflow", {"document_type": "Dealer"}), 1)

	def test_missing_workflow_is_recreated(self):
		frappe.delete_doc("Workflow", DEAL_REGISTRATION_WORKFLOW, force=True)
		create_workflows()
		self.assertTrue(frappe.db.exists("Workflow", DEAL_REGISTRATION_WORKFLOW))
