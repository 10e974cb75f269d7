"""Records this module ships once, at install or through a patch; administrators may edit them
afterwards, so nothing here overwrites an existing record."""

import frappe

FEEDBACK_WORKFLOW = "Info Feedback Review"

WORKFLOW_STATES = {"Draft": "Warning", "Submitted": "Primary", "Approved": "Success", "Rejected": "Danger"}
WORKFLOW_ACTIONS = ("Submit for Review", "Approve", "Reject", "Return to Draft")


def create_feedback_workflow() -> None:
	"""The review workflow of `Info Feedback Report`; created only when missing."""
	for state, style in WORKFLOW_STATES.items():
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
	for action in WORKFLOW_ACTIONS:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)
	if frappe.db.exists("Workflow", FEEDBACK_WORKFLOW):
		return
	frappe.get_doc(
		{
			"doctype": "Workflow",
			"workflow_name": FEEDBACK_WORKFLOW,
			"document_type": "Info Feedback Report",
			"workflow_state_field": "workflow_state",
			"is_active": 1,
			"send_email_alert": 0,
			"states": [
				{"state": "Draft", "doc_status": "0", "allow_edit": "Sales User"},
				{"state": "Submitted", "doc_status": "0", "allow_edit": "Sales Manager"},
				{"state": "Approved", "doc_status": "0", "allow_edit": "Sales Manager"},
				{"state": "Rejected", "doc_status": "0", "allow_edit": "Sales Manager"},
			],
			"transitions": [
				{
					"state": "Draft",
					"action": "Submit for Review",
					"next_state": "Submitted",
					"allowed": "Sales User",
					"allow_self_approval": 1,
				},
				{
					"state": "Submitted",
					"action": "Approve",
					"next_state": "Approved",
					"allowed": "Sales Manager",
					"allow_self_approval": 0,
				},
				{
					"state": "Submitted",
					"action": "Reject",
					"next_state": "Rejected",
					"allowed": "Sales Manager",
					"allow_self_approval": 0,
				},
				{
					"state": "Submitted",
					"action": "Return to Draft",
					"next_state": "Draft",
					"allowed": "Sales Manager",
					"allow_self_approval": 1,
				},
			],
		}
	).insert(ignore_permissions=True)


def after_sync() -> None:
	"""Called from `sales_reengineering.install.sync_setup`."""
	create_feedback_workflow()
