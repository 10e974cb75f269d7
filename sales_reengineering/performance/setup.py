"""Records the performance module ships once (admins may edit them afterwards): the built-in KPI
indicators, the Sales Task approval workflow and the default reward tiers in the settings. Every
function is idempotent (creates only what is missing) and is called from
`sales_reengineering.install.sync_setup`."""

import frappe

from sales_reengineering.performance.indicators import BUILT_INS
from sales_reengineering.setup.workflows import ensure_workflow

WORKFLOW_NAME = "Sales Task Approval"
# state -> (docstatus, role allowed to edit the task in this state, indicator colour)
WORKFLOW_STATES = {
	"Draft": (0, "Sales User", "Warning"),
	"Pending Approval": (0, "Sales Manager", "Primary"),
	"Approved": (1, "Sales Manager", "Success"),
	"Rejected": (0, "Sales User", "Danger"),
	"Cancelled": (2, "Sales Manager", "Inverse"),
}
# (state, action, next state, role, allow self approval)
WORKFLOW_TRANSITIONS = [
	("Draft", "Propose", "Pending Approval", "Sales User", 1),
	("Draft", "Propose", "Pending Approval", "Sales Manager", 1),
	("Rejected", "Propose", "Pending Approval", "Sales User", 1),
	("Pending Approval", "Approve", "Approved", "Sales Manager", 0),
	("Pending Approval", "Reject", "Rejected", "Sales Manager", 1),
	("Approved", "Cancel", "Cancelled", "Sales Manager", 1),
]


def create_builtin_indicators() -> None:
	for builtin in BUILT_INS.values():
		if frappe.db.exists("KPI Indicator", builtin.label):
			continue
		frappe.get_doc(
			{
				"doctype": "KPI Indicator",
				"indicator_name": builtin.label,
				"source": "Built-in",
				"builtin_key": builtin.key,
				"unit": builtin.unit,
				"higher_is_better": int(builtin.higher_is_better),
				"rollup_method": builtin.rollup,
				"party_type": builtin.party_type,
				"description": builtin.description,
				"enabled": 1,
			}
		).insert(ignore_permissions=True)


def create_sales_task_workflow() -> None:
	ensure_workflow(
		WORKFLOW_NAME,
		"Sales Task",
		states=[(state, docstatus, role) for state, (docstatus, role, _style) in WORKFLOW_STATES.items()],
		transitions=WORKFLOW_TRANSITIONS,
		styles={state: style for state, (_docstatus, _role, style) in WORKFLOW_STATES.items()},
	)


DEFAULT_REWARD_TIERS = [
	("Top 10%", "Top Percent of Ranking", 10, 1),
	("Beat Target", "Score At Least", 100, 2),
]
# points each shipped tier earns in the rewards ledger (performance.rewards)
DEFAULT_TIER_POINTS = {"Top 10%": 100, "Beat Target": 50}
SETTINGS = "Sales Reengineering Settings"


def create_reward_tiers() -> None:
	"""The shipped reward tiers as rows of the settings, only while the settings have none (an admin's
	table is never touched)."""
	if frappe.db.exists("KPI Reward Tier", {"parenttype": SETTINGS, "parent": SETTINGS}):
		return
	for idx, (name, basis, threshold, priority) in enumerate(DEFAULT_REWARD_TIERS, start=1):
		frappe.get_doc(
			{
				"doctype": "KPI Reward Tier",
				"parent": SETTINGS,
				"parenttype": SETTINGS,
				"parentfield": "reward_tiers",
				"idx": idx,
				"tier_name": name,
				"basis": basis,
				"threshold": threshold,
				"priority": priority,
				"points": DEFAULT_TIER_POINTS.get(name, 0),
				"enabled": 1,
			}
		).db_insert()
	frappe.clear_document_cache(SETTINGS, SETTINGS)


def sync() -> None:
	create_builtin_indicators()
	create_sales_task_workflow()
	create_reward_tiers()
