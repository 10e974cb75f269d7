"""Records this module ships once, at install or through a patch; administrators may edit them
afterwards, so nothing here overwrites an existing record."""

import frappe

from sales_reengineering.setup.workflows import ensure_workflow

FEEDBACK_WORKFLOW = "Info Feedback Review"

WORKFLOW_STATES = {"Draft": "Warning", "Submitted": "Primary", "Approved": "Success", "Rejected": "Danger"}


def create_feedback_workflow() -> None:
	"""The review workflow of `Info Feedback Report`; created only when missing."""
	ensure_workflow(
		FEEDBACK_WORKFLOW,
		"Info Feedback Report",
		states=[
			("Draft", "0", "Sales User"),
			("Submitted", "0", "Sales Manager"),
			("Approved", "0", "Sales Manager"),
			("Rejected", "0", "Sales Manager"),
		],
		transitions=[
			("Draft", "Submit for Review", "Submitted", "Sales User", 1),
			("Submitted", "Approve", "Approved", "Sales Manager", 0),
			("Submitted", "Reject", "Rejected", "Sales Manager", 0),
			("Submitted", "Return to Draft", "Draft", "Sales Manager", 1),
		],
		styles=WORKFLOW_STATES,
	)


def after_sync() -> None:
	"""Called from `sales_reengineering.install.sync_setup`."""
	create_feedback_workflow()
