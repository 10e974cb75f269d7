"""Shipped records of the Channel module that administrators may edit afterwards.

The Dealer lifecycle and Deal Registration approval workflows are created once, when missing, from
`sales_reengineering.install.sync_setup` (after_install and the module's patch); later changes an
administrator makes in the Workflow builder are never overwritten.
"""

import frappe

CHANNEL_MANAGER = "Channel Manager"
DEALER_WORKFLOW = "Dealer Lifecycle"
DEAL_REGISTRATION_WORKFLOW = "Deal Registration Approval"

# state -> Workflow State style
STATE_STYLES = {
	"Prospect": "Info",
	"Active": "Success",
	"Suspended": "Warning",
	"Terminated": "Danger",
	"Draft": "",
	"Pending Approval": "Warning",
	"Approved": "Success",
	"Rejected": "Danger",
	"Expired": "Inverse",
	"Cancelled": "Danger",
}
ACTIONS = ("Activate", "Suspend", "Reactivate", "Terminate", "Submit", "Approve", "Reject", "Cancel")

WORKFLOWS = {
	DEALER_WORKFLOW: {
		"document_type": "Dealer",
		"states": [
			("Prospect", "0", CHANNEL_MANAGER),
			("Active", "0", CHANNEL_MANAGER),
			("Suspended", "0", CHANNEL_MANAGER),
			("Terminated", "0", CHANNEL_MANAGER),
		],
		# (state, action, next state, allowed role, allow self approval)
		"transitions": [
			("Prospect", "Activate", "Active", CHANNEL_MANAGER, 1),
			("Prospect", "Terminate", "Terminated", CHANNEL_MANAGER, 1),
			("Active", "Suspend", "Suspended", CHANNEL_MANAGER, 1),
			("Active", "Terminate", "Terminated", CHANNEL_MANAGER, 1),
			("Suspended", "Reactivate", "Active", CHANNEL_MANAGER, 1),
			("Suspended", "Terminate", "Terminated", CHANNEL_MANAGER, 1),
		],
	},
	DEAL_REGISTRATION_WORKFLOW: {
		"document_type": "Deal Registration",
		"states": [
			("Draft", "0", "All"),
			("Pending Approval", "1", CHANNEL_MANAGER),
			("Approved", "1", CHANNEL_MANAGER),
			("Rejected", "1", CHANNEL_MANAGER),
			("Expired", "1", CHANNEL_MANAGER),
			("Cancelled", "2", CHANNEL_MANAGER),
		],
		"transitions": [
			("Draft", "Submit", "Pending Approval", "Dealer", 1),
			("Draft", "Submit", "Pending Approval", CHANNEL_MANAGER, 1),
			("Pending Approval", "Approve", "Approved", CHANNEL_MANAGER, 0),
			("Pending Approval", "Reject", "Rejected", CHANNEL_MANAGER, 0),
			("Pending Approval", "Cancel", "Cancelled", CHANNEL_MANAGER, 1),
			("Approved", "Cancel", "Cancelled", CHANNEL_MANAGER, 1),
			("Expired", "Cancel", "Cancelled", CHANNEL_MANAGER, 1),
		],
	},
}


def create_workflows() -> None:
	"""Idempotent: create the shipped workflows (and their states and actions) only when missing."""
	for state, style in STATE_STYLES.items():
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
	for action in ACTIONS:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)
	for name, spec in WORKFLOWS.items():
		if frappe.db.exists("Workflow", name) or not frappe.db.exists("DocType", spec["document_type"]):
			continue
		frappe.get_doc(
			{
				"doctype": "Workflow",
				"workflow_name": name,
				"document_type": spec["document_type"],
				"workflow_state_field": "status",
				"is_active": 1,
				"override_status": 1,
				"send_email_alert": 0,
				"states": [
					{"state": state, "doc_status": doc_status, "allow_edit": role}
					for state, doc_status, role in spec["states"]
				],
				"transitions": [
					{
						"state": state,
						"action": action,
						"next_state": next_state,
						"allowed": role,
						"allow_self_approval": self_approval,
					}
					for state, action, next_state, role, self_approval in spec["transitions"]
				],
			}
		).insert(ignore_permissions=True)
