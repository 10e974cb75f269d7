"""Shipped workflows: created once, never overwritten.

Every module describes its workflows as plain data and calls `ensure_workflow`; an administrator's later
edits in the Workflow builder survive `bench migrate`, because an existing workflow is left alone.
"""

from collections.abc import Iterable

import frappe

# (state, doc_status "0"/"1"/"2", role allowed to edit in that state)
State = tuple[str, str, str]
# (state, action, next state, role allowed, allow self approval)
Transition = tuple[str, str, str, str, int]


def ensure_states_and_actions(styles: dict[str, str], actions: Iterable[str]) -> None:
	"""The Workflow State (with its style) and Workflow Action Master records a workflow refers to."""
	for state, style in styles.items():
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
	for action in actions:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)


def ensure_workflow(
	name: str,
	document_type: str,
	states: Iterable[State],
	transitions: Iterable[Transition],
	styles: dict[str, str] | None = None,
	state_field: str = "workflow_state",
	override_status: int = 0,
	skip_if_doctype_has_one: bool = False,
) -> bool:
	"""Create workflow `name` on `document_type` unless it exists; True when created.

	`skip_if_doctype_has_one` also leaves alone a doctype that has any workflow (an admin's own)."""
	states, transitions = list(states), list(transitions)
	ensure_states_and_actions(
		styles or {state: "" for state, _docstatus, _role in states}, {row[1] for row in transitions}
	)
	if frappe.db.exists("Workflow", name) or not frappe.db.exists("DocType", document_type):
		return False
	if skip_if_doctype_has_one and frappe.db.exists("Workflow", {"document_type": document_type}):
		return False
	frappe.get_doc(
		{
			"doctype": "Workflow",
			"workflow_name": name,
			"document_type": document_type,
			"workflow_state_field": state_field,
			"is_active": 1,
			"override_status": override_status,
			"send_email_alert": 0,
			"states": [
				{"state": state, "doc_status": str(doc_status), "allow_edit": role}
				for state, doc_status, role in states
			],
			"transitions": [
				{
					"state": state,
					"action": action,
					"next_state": next_state,
					"allowed": role,
					"allow_self_approval": self_approval,
				}
				for state, action, next_state, role, self_approval in transitions
			],
		}
	).insert(ignore_permissions=True)
	return True
