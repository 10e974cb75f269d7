"""Shipped records of the Channel module that administrators may edit afterwards.

The Dealer lifecycle and Deal Registration approval workflows are created once, when missing, from
`sales_reengineering.install.sync_setup` (after_install and the module's patch); later changes an
administrator makes in the Workflow builder are never overwritten.
"""

import frappe

from sales_reengineering.setup.workflows import ensure_workflow

CHANNEL_MANAGER = "Channel Manager"
DEALER_WORKFLOW = "Dealer Lifecycle"
DEAL_REGISTRATION_WORKFLOW = "Deal Registration Approval"
MDF_WORKFLOW = "Market Development Fund Approval"
MDF_CLAIM_WORKFLOW = "MDF Claim Approval"

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
}


def approval_workflow(document_type: str, expires: bool = False) -> dict:
	"""Draft -> Pending Approval (the dealer or the channel manager submits) -> Approved or Rejected by a
	channel manager other than the one who submitted it; cancelled by a channel manager. `expires`: an
	Expired state too (set by the daily job, never by an action), which a channel manager can cancel."""
	expired = [("Expired", "1", CHANNEL_MANAGER)] if expires else []
	return {
		"document_type": document_type,
		"states": [
			("Draft", "0", "All"),
			("Pending Approval", "1", CHANNEL_MANAGER),
			("Approved", "1", CHANNEL_MANAGER),
			("Rejected", "1", CHANNEL_MANAGER),
			*expired,
			("Cancelled", "2", CHANNEL_MANAGER),
		],
		"transitions": [
			("Draft", "Submit", "Pending Approval", "Dealer", 1),
			("Draft", "Submit", "Pending Approval", CHANNEL_MANAGER, 1),
			("Pending Approval", "Approve", "Approved", CHANNEL_MANAGER, 0),
			("Pending Approval", "Reject", "Rejected", CHANNEL_MANAGER, 0),
			("Pending Approval", "Cancel", "Cancelled", CHANNEL_MANAGER, 1),
			("Approved", "Cancel", "Cancelled", CHANNEL_MANAGER, 1),
			*([("Expired", "Cancel", "Cancelled", CHANNEL_MANAGER, 1)] if expires else []),
		],
	}


WORKFLOWS[DEAL_REGISTRATION_WORKFLOW] = approval_workflow("Deal Registration", expires=True)
WORKFLOWS[MDF_WORKFLOW] = approval_workflow("Market Development Fund")
WORKFLOWS[MDF_CLAIM_WORKFLOW] = approval_workflow("MDF Claim")


def create_workflows() -> None:
	"""Idempotent: create the shipped workflows (and their states and actions) only when missing."""
	for name, spec in WORKFLOWS.items():
		ensure_workflow(
			name,
			spec["document_type"],
			states=spec["states"],
			transitions=spec["transitions"],
			styles=STATE_STYLES,
			state_field="status",
			override_status=1,
		)
