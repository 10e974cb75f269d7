"""The permission matrix: who may read, write, create, delete, submit and cancel what, asserted over HTTP
on the real WSGI stack for every role, doctype, child table, report, portal page and whitelisted method
of the app (issue 10, item 3).

Every request goes through `frappe.app.application` as a logged-in user (`tests/http_client.py`), with
the fixtures of `tests/matrix_fixtures.py` committed: side A and side B of every salesperson, team,
dealer branch and document.

The expectations below are DATA, meant to be read by a person:

- `RIGHTS`: per doctype, which roles may list it at all, create it, submit and cancel it;
- `RECORDS`: per fixture record, which roles may read it, write it and delete it;
- `CHILD_TABLES`: each child table follows the records of its parent (minus `hidden` rows);
- `REPORTS`, `PORTAL_PAGES`, `PORTAL_SEES`, `METHODS`: the other doors;
- `REPORT_CASES`, `METHOD_CASES`, `CREATE_CASES`, `WRITE_CASES`: record-level cells where a filter, an
  argument or a field points at the other side (Rep B's figures, Dealer B's branch, Customer B).

Role names are the keys of `ROLE_KEYS`; a spec string may also use the groups of `GROUPS`. Each test
collects every cell that disagrees and fails once with the full list (role, door, record, what came
back), so one run shows every hole. Allowed cells are asserted as firmly as refusals: an allowed read
must return the record, an allowed write must save, an allowed report must run.
"""

import time
import typing

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, get_first_day, get_year_start, getdate, today

from sales_reengineering.tests.http_client import HTTPUser, Reply
from sales_reengineering.tests.matrix_fixtures import PASSWORD, World, purge_rows

# -- roles -------------------------------------------------------------------------------------------------

# key: who it is. Desk users are tied to Sales Persons through Sales Person.employee -> Employee.user_id;
# dealer users through the Dealer's Portal Users table.
ROLE_KEYS = {
	"guest": "not logged in",
	"agent_a": "Dealer: portal user of General Agent A (sees its Provincial Dealer A and Sub-Dealer A)",
	"dealer_a": "Dealer: portal user of Provincial Dealer A (under General Agent A)",
	"sub_a": "Dealer: portal user of Sub-Dealer A (under Provincial Dealer A)",
	"dealer_b": "Dealer: portal user of Provincial Dealer B (the other branch)",
	"sales_a": "Sales User, salesperson Rep A (team A)",
	"sales_b": "Sales User, salesperson Rep B (team B)",
	"manager_a": "Sales User, salesperson Team A: the group above Rep A and Rep A2, not above team B",
	"sales_manager": "Sales Manager (with Sales User)",
	"assistant": "Sales Assistant, maintains Customer A",
	"telesales": "Telesales Agent: an open call on Customer B, a cancelled one on Customer A",
	"channel_manager": "Channel Manager",
	"system_manager": "System Manager (that role only)",
	"order_desk": "Sales User and Order Desk, no salesperson: every customer's orders, nobody's opportunities",
}
ROLES = tuple(ROLE_KEYS)
GROUPS = {
	"sales_users": "sales_a sales_b manager_a sales_manager order_desk",  # every holder of the Sales User role
	"dealers": "agent_a dealer_a sub_a dealer_b",
	"logged_in": " ".join(role for role in ROLES if role != "guest"),
}


def roles(spec: str | None) -> frozenset:
	"""'sales_users assistant' -> the role keys it names."""
	found = set()
	for word in (spec or "").split():
		found |= set(roles(GROUPS[word])) if word in GROUPS else {word}
	unknown = found - set(ROLES)
	if unknown:
		raise ValueError(f"unknown roles {unknown} in {spec!r}")
	return frozenset(found)


# -- doctype rights: may the role list / create / submit / cancel the doctype at all -----------------------

RIGHTS = {
	# ERPNext doctypes that follow the customer rule
	"Customer": {
		"read": "sales_users assistant telesales channel_manager system_manager",
		"create": "sales_users assistant channel_manager",
	},
	"Opportunity": {
		"read": "sales_users assistant telesales channel_manager system_manager",
		"create": "sales_users telesales",
	},
	"Quotation": {
		"read": "sales_users assistant telesales channel_manager system_manager",
		"create": "sales_users telesales",
		"submit": "sales_users",
		"cancel": "sales_users",
	},
	"Sales Order": {
		"read": "sales_users assistant telesales channel_manager system_manager",
		"create": "sales_users",
		"submit": "sales_users",
		"cancel": "sales_users",
	},
	"Delivery Note": {
		"read": "sales_users",
		"create": "sales_users",
		"submit": "sales_users",
		"cancel": "sales_users",
	},
	"Sales Invoice": {
		"read": "sales_users assistant telesales channel_manager system_manager",
		# the order desk drafts invoices; accounts submit them
		"create": "order_desk",
		"submit": "",
		"cancel": "",
	},
	"Contract": {
		"read": "sales_users assistant channel_manager system_manager",
		"create": "sales_manager assistant channel_manager system_manager",
		"submit": "sales_manager system_manager",
		"cancel": "sales_manager system_manager",
	},
	# ERPNext's "All" role may keep its own contacts and addresses: every logged-in user may list them
	"Contact": {"read": "logged_in", "create": "logged_in"},
	"Address": {"read": "logged_in", "create": "logged_in"},
	# channel
	"Channel Price Exception": {
		"read": "sales_users channel_manager system_manager",
		"create": "sales_users channel_manager system_manager",
		# through the approval workflow: only a Sales Manager approves and cancels
		"submit": "sales_manager",
		"cancel": "sales_manager",
	},
	"Channel Price Policy": {
		"read": "sales_users channel_manager system_manager",
		"create": "sales_manager channel_manager system_manager",
	},
	"Deal Registration": {
		"read": "sales_users channel_manager system_manager dealers",
		"create": "channel_manager system_manager dealers",
		# through the approval workflow: a dealer or the Channel Manager submits, the Channel Manager cancels
		"submit": "dealers channel_manager",
		"cancel": "channel_manager",
	},
	"Dealer": {
		"read": "sales_users assistant channel_manager system_manager dealers",
		"create": "channel_manager system_manager",
	},
	"Dealer Announcement": {
		"read": "sales_manager channel_manager system_manager",
		"create": "channel_manager system_manager",
	},
	"Dealer Tier": {
		"read": "sales_users channel_manager system_manager dealers",
		"create": "channel_manager system_manager",
	},
	# market development funds (applied for by a dealer for its own dealer) and staff certifications
	"Market Development Fund": {
		"read": "sales_manager channel_manager system_manager dealers",
		"create": "channel_manager system_manager dealers",
	},
	"Dealer Staff Certification": {
		"read": "sales_manager channel_manager system_manager dealers",
		"create": "channel_manager system_manager",
	},
	# a dealer's support request (ERPNext's Issue): dealers raise them, the Channel Manager and the
	# account manager it is shared with (Rep A for Provincial Dealer A, Rep B for B) answer them
	"Issue": {"read": "sales_a sales_b channel_manager dealers"},
	"Dealer Tier Review": {
		"read": "sales_manager channel_manager system_manager",
		"create": "channel_manager system_manager",
		"submit": "channel_manager system_manager",
		"cancel": "channel_manager system_manager",
	},
	"Sell Through Report": {
		"read": "sales_users channel_manager system_manager dealers",
		"create": "channel_manager system_manager dealers",
		"submit": "channel_manager system_manager dealers",
		"cancel": "channel_manager system_manager",
	},
	# customer intelligence
	"Account Handover": {
		"read": "sales_users assistant system_manager",
		"create": "sales_manager system_manager",
		"submit": "sales_manager system_manager",
		"cancel": "",
	},
	"Career Development Plan": {
		"read": "sales_users system_manager",
		"create": "sales_manager system_manager",
	},
	"Customer Completeness Rule": {
		"read": "sales_users assistant channel_manager system_manager",
		"create": "sales_manager system_manager",
	},
	"Info Feedback Report": {
		"read": "sales_users channel_manager system_manager",
		"create": "sales_users channel_manager system_manager",
	},
	"Opportunity Stage Log": {"read": "sales_users assistant channel_manager system_manager", "create": ""},
	"Sales Progress Snapshot": {"read": "sales_users assistant system_manager", "create": ""},
	"Sales Training Record": {"read": "sales_users system_manager", "create": "sales_manager system_manager"},
	# keyed by a salesperson: the own, the team's (manager) and the Sales Manager's; CREATE_CASES for
	# a plan or an adjustment of someone else's
	"Visit Plan": {"read": "sales_users system_manager"},
	"Reward Ledger Entry": {"read": "sales_users system_manager"},
	"Telesales Call": {
		"read": "sales_manager telesales system_manager",
		"create": "sales_manager system_manager",
	},
	# performance
	"KPI Indicator": {
		"read": "sales_users assistant telesales channel_manager system_manager",
		"create": "sales_manager system_manager",
	},
	"KPI Manual Entry": {"read": "sales_users system_manager", "create": "sales_manager system_manager"},
	"KPI Scorecard": {
		"read": "sales_users assistant telesales channel_manager system_manager",
		"create": "sales_manager system_manager",
	},
	"KPI Template": {
		"read": "sales_users assistant telesales channel_manager system_manager",
		"create": "sales_manager system_manager",
	},
	"Sales Ranking": {
		"read": "sales_users channel_manager system_manager",
		"create": "sales_manager system_manager",
	},
	"Sales Task": {
		"read": "sales_users assistant telesales channel_manager system_manager",
		"create": "sales_users channel_manager system_manager",
		# through the approval workflow: only a Sales Manager approves and cancels
		"submit": "sales_manager",
		"cancel": "sales_manager",
	},
	# reminders and settings
	"Sales Reminder Log": {
		"read": "sales_users assistant telesales channel_manager system_manager",
		"create": "",
	},
	"Sales Reengineering Settings": {
		"read": "sales_users assistant telesales channel_manager system_manager"
	},
}
WORKFLOW_SUBMIT = {  # doctype -> (state to start from, submit action, cancel action)
	"Channel Price Exception": ("Pending Approval", "Approve", "Cancel"),
	"Deal Registration": ("Draft", "Submit", "Cancel"),
	"Sales Task": ("Pending Approval", "Approve", "Cancel"),
}

# -- records: who reads, writes and deletes each fixture record ---------------------------------------------
# Roles not named are refused; an empty `write` or `delete` means nobody may, None that the door is not
# tried on that record. An allowed delete runs on a fresh copy of the record, one per allowed role.
# `errors`: a permitted role that a business rule refuses (the exception expected); `blocked`: the error
# every permitted delete meets on the record itself (submitted, or linked). `page`: print view too.


def R(read: str, write=None, delete=None, errors: dict | None = None, blocked: str | None = None, page=False):
	return {
		"read": read,
		"write": write,
		"delete": delete,
		"errors": errors or {},
		"blocked": blocked,
		"page": page,
	}


SALES_A = "sales_a manager_a sales_manager"  # Rep A, their manager, the Sales Manager
SALES_B = "sales_b sales_manager"
SEES_ALL = "sales_manager channel_manager"  # who sees and edits every customer
READS_ALL = f"{SEES_ALL} system_manager"  # System Manager reads them (the app grants read, for its reports)
# the Order Desk: every customer's quotations, orders, delivery notes and invoices, and reads every
# customer, contact and address; no opportunity, contract, price exception or call of anyone else's
OD = "order_desk"
WORKFLOW_EDITOR = {"system_manager": "OwnershipError"}  # not the role the workflow state lets edit
SUBMITTED = "ValidationError"  # "Submitted Record cannot be deleted"

RECORDS = {
	"cust_a": R(f"{SALES_A} assistant channel_manager system_manager {OD}", f"{SALES_A} assistant channel_manager", delete=""),
	"cust_b": R(f"{SALES_B} telesales channel_manager system_manager {OD}", f"{SALES_B} channel_manager", page=True),
	"cust_a2": R(f"manager_a sales_manager channel_manager system_manager {OD}", "manager_a sales_manager channel_manager"),
	"cust_end": R(f"{SALES_A} channel_manager system_manager {OD}"),
	"cust_ga_a": R(f"{READS_ALL} {OD}"),
	"cust_pd_a": R(f"{READS_ALL} {OD}", SEES_ALL),
	"cust_sd_a": R(f"{READS_ALL} {OD}"),
	"cust_ga_b": R(f"{READS_ALL} {OD}"),
	"cust_pd_b": R(f"{READS_ALL} {OD}"),
	# deletable with the stage history logged on insert (0e2d7ba): its salesperson deletes a fresh copy
	"opp_a": R(f"{SALES_A} channel_manager system_manager", f"{SALES_A} channel_manager", delete=SALES_A),
	"opp_b": R(f"{SALES_B} telesales channel_manager system_manager", f"{SALES_B} telesales channel_manager", page=True),
	"opp_end": R(f"{SALES_A} channel_manager system_manager"),
	# submitted documents: a save after submit needs the submit right as well
	"qtn_a": R(
		f"{SALES_A} assistant channel_manager system_manager {OD}",
		f"{SALES_A} {OD}",
		delete=f"{SALES_A} {OD}",
		blocked=SUBMITTED,
	),
	"qtn_b": R(f"{SALES_B} telesales channel_manager system_manager {OD}", f"{SALES_B} {OD}", page=True),
	"so_a": R(
		f"{SALES_A} assistant channel_manager system_manager {OD}",
		f"{SALES_A} {OD}",
		delete=f"{SALES_A} {OD}",
		blocked=SUBMITTED,
	),
	"so_b": R(f"{SALES_B} telesales channel_manager system_manager {OD}", f"{SALES_B} {OD}", page=True),
	"so_pd_a": R(f"{READS_ALL} {OD}"),
	"so_pd_b": R(f"{READS_ALL} {OD}"),
	# submitted: the order desk, which may draft invoices but not submit them, saves none after submit
	"sinv_a": R(f"{SALES_A} assistant channel_manager system_manager {OD}", "", delete=""),
	"sinv_b": R(f"{SALES_B} telesales channel_manager system_manager {OD}", ""),
	# B's customer, Rep A shares the credit on its Sales Team
	"sinv_shared": R(f"{SALES_A} sales_b telesales channel_manager system_manager {OD}", "", page=True),
	"sinv_pd_a": R(f"{READS_ALL} {OD}"),
	"sinv_pd_b": R(f"{READS_ALL} {OD}"),
	"dn_a": R(f"{SALES_A} {OD}", f"{SALES_A} {OD}", delete=f"{SALES_A} {OD}"),
	"dn_b": R(f"{SALES_B} {OD}", f"{SALES_B} {OD}", page=True),
	"contract_a": R(
		f"{SALES_A} assistant channel_manager system_manager",
		"sales_manager system_manager",
		delete="sales_manager system_manager",
		blocked=SUBMITTED,
	),
	"contract_b": R(f"{SALES_B} channel_manager system_manager", "sales_manager system_manager", page=True),
	"contact_a": R(
		f"{SALES_A} assistant channel_manager system_manager {OD}",
		f"{SALES_A} assistant channel_manager system_manager",
		delete="system_manager",
	),
	"contact_b": R(
		f"{SALES_B} telesales channel_manager system_manager {OD}",
		f"{SALES_B} telesales channel_manager system_manager",
		page=True,
	),
	"address_a": R(
		f"{SALES_A} assistant channel_manager system_manager {OD}",
		f"{SALES_A} assistant channel_manager system_manager",
		delete="system_manager",
	),
	"address_b": R(
		f"{SALES_B} telesales channel_manager system_manager {OD}",
		f"{SALES_B} channel_manager system_manager",
		page=True,
	),
	"cpe_a": R(
		f"{SALES_A} channel_manager system_manager",
		f"{SALES_A} channel_manager system_manager",
		delete="sales_manager system_manager",
	),
	"cpe_b": R(
		f"{SALES_B} channel_manager system_manager",
		f"{SALES_B} channel_manager system_manager",
		page=True,
	),
	"call_b": R(
		"telesales sales_manager system_manager",
		"telesales sales_manager system_manager",
		delete="sales_manager system_manager",
		page=True,
	),
	"call_a_cancelled": R("telesales sales_manager system_manager", "telesales sales_manager system_manager"),
	"call_other": R("sales_manager system_manager", "sales_manager system_manager"),
	"ga_a": R(
		"sales_users assistant channel_manager system_manager agent_a", "channel_manager system_manager"
	),
	"pd_a": R(
		"sales_users assistant channel_manager system_manager agent_a dealer_a",
		"channel_manager system_manager",
	),
	"sd_a": R(
		"sales_users assistant channel_manager system_manager agent_a dealer_a sub_a",
		"channel_manager system_manager",
		delete="channel_manager system_manager",
	),
	"ga_b": R("sales_users assistant channel_manager system_manager"),
	"pd_b": R(
		"sales_users assistant channel_manager system_manager dealer_b",
		"channel_manager system_manager",
		page=True,
	),
	"dr_a": R(
		"sales_users channel_manager system_manager agent_a dealer_a",
		"channel_manager system_manager agent_a dealer_a",
		delete="channel_manager system_manager",
		blocked=SUBMITTED,
	),
	"dr_sub": R(
		"sales_users channel_manager system_manager agent_a dealer_a sub_a",
		"channel_manager system_manager agent_a dealer_a sub_a",
	),
	"dr_b": R(
		"sales_users channel_manager system_manager dealer_b",
		"channel_manager system_manager dealer_b",
		page=True,
	),
	"st_a": R(
		"sales_users channel_manager system_manager agent_a dealer_a",
		"channel_manager system_manager agent_a dealer_a",
		delete="channel_manager system_manager",
		blocked=SUBMITTED,
	),
	"st_b": R(
		"sales_users channel_manager system_manager dealer_b",
		"channel_manager system_manager dealer_b",
		page=True,
	),
	"mdf_a": R("sales_manager channel_manager system_manager agent_a dealer_a"),
	"mdf_b": R("sales_manager channel_manager system_manager dealer_b"),
	"cert_a": R(
		"sales_manager channel_manager system_manager agent_a dealer_a",
		"channel_manager system_manager",
		delete="channel_manager system_manager",
	),
	"cert_b": R("sales_manager channel_manager system_manager dealer_b", "channel_manager system_manager"),
	"sreq_a": R("sales_a channel_manager agent_a dealer_a", "sales_a channel_manager"),
	"sreq_b": R("sales_b channel_manager dealer_b", "sales_b channel_manager"),
	"tier": R(
		"sales_users channel_manager system_manager dealers",
		"channel_manager system_manager",
		delete="channel_manager system_manager",
	),
	"announcement": R(
		"sales_manager channel_manager system_manager",
		"channel_manager system_manager",
		delete="channel_manager system_manager",
	),
	"tier_review": R(
		"sales_manager channel_manager system_manager",
		"channel_manager system_manager",
		delete="channel_manager system_manager",
		page=True,
	),
	"price_policy": R(
		"sales_users channel_manager system_manager",
		"sales_manager channel_manager system_manager",
		delete="sales_manager system_manager",
	),
	"task_a": R(
		f"{SALES_A} system_manager", SALES_A, delete="sales_manager system_manager", errors=WORKFLOW_EDITOR
	),
	"task_b": R(f"{SALES_B} system_manager", SALES_B, errors=WORKFLOW_EDITOR, page=True),
	# after approval only the Sales Manager's and System Manager's submit right lets a save through
	"task_a_approved": R(f"{SALES_A} system_manager", "sales_manager system_manager"),
	"task_b_approved": R(f"{SALES_B} system_manager", "sales_manager system_manager"),
	# a scorecard follows its assignee: Telesales Agents, Sales Assistants and Channel Managers may read
	# scorecards but have none of a salesperson's
	"sc_a": R(f"{SALES_A} system_manager", "sales_manager system_manager"),
	"sc_b": R(f"{SALES_B} system_manager", "sales_manager system_manager", page=True),
	"me_a": R(
		f"{SALES_A} system_manager", "sales_manager system_manager", delete="sales_manager system_manager"
	),
	"me_b": R(f"{SALES_B} system_manager", "sales_manager system_manager", page=True),
	"indicator": R(
		"sales_users assistant telesales channel_manager system_manager",
		"sales_manager system_manager",
		delete="sales_manager system_manager",
	),
	"template": R(
		"sales_users assistant telesales channel_manager system_manager",
		"sales_manager system_manager",
		delete="sales_manager system_manager",
	),
	# rankings are published to the whole sales force on purpose
	"ranking": R(
		"sales_users channel_manager system_manager",
		"sales_manager system_manager",
		delete="sales_manager system_manager",
		page=True,
	),
	# records keyed by a salesperson follow the Sales Person tree only: the Sales Assistant and the Channel
	# Manager, who hold the read right and no salesperson, see none (though the Channel Manager sees every
	# opportunity and may file feedback reports)
	"stage_log_a": R(f"{SALES_A} system_manager", "", delete="system_manager"),
	"stage_log_b": R(f"{SALES_B} system_manager", "", page=True),
	"snapshot_a": R(f"{SALES_A} system_manager", "", delete="sales_manager system_manager"),
	"snapshot_b": R(f"{SALES_B} system_manager", "", page=True),
	"feedback_a": R(
		f"{SALES_A} system_manager", SALES_A, delete="sales_manager system_manager", errors=WORKFLOW_EDITOR
	),
	"feedback_b": R(f"{SALES_B} system_manager", SALES_B, errors=WORKFLOW_EDITOR, page=True),
	"training_a": R(
		f"{SALES_A} system_manager", "sales_manager system_manager", delete="sales_manager system_manager"
	),
	"training_b": R(f"{SALES_B} system_manager", "sales_manager system_manager", page=True),
	"vp_a": R(
		f"{SALES_A} system_manager", f"{SALES_A} system_manager", delete="sales_manager system_manager"
	),
	"vp_b": R(f"{SALES_B} system_manager", f"{SALES_B} system_manager", page=True),
	# a pending manual adjustment: nobody adjusts their own points, so Rep A may read it, not save it
	"rle_a": R(
		f"{SALES_A} system_manager",
		f"{SALES_A} system_manager",
		errors={"sales_a": "InvalidRewardEntryError"},
	),
	"rle_b": R(
		f"{SALES_B} system_manager",
		f"{SALES_B} system_manager",
		errors={"sales_b": "InvalidRewardEntryError"},
		page=True,
	),
	"career_plan_a": R(
		f"{SALES_A} system_manager", "sales_manager system_manager", delete="sales_manager system_manager"
	),
	"career_plan_b": R(f"{SALES_B} system_manager", "sales_manager system_manager", page=True),
	"handover_a": R(
		f"{SALES_A} system_manager", "sales_manager system_manager", delete="sales_manager system_manager"
	),
	"handover_b": R(f"{SALES_B} system_manager", "sales_manager system_manager", page=True),
	"completeness_rule": R(
		"sales_users assistant channel_manager system_manager",
		"sales_manager system_manager",
		delete="sales_manager system_manager",
	),
	# a reminder is its recipient's: not even the recipient's manager reads it
	"reminder_log_a": R("sales_a sales_manager system_manager", "", delete="system_manager"),
	"reminder_log_b": R("sales_b sales_manager system_manager", "", page=True),
	"settings": R(
		"sales_users assistant telesales channel_manager system_manager", "sales_manager system_manager"
	),
}

# -- child tables: rows follow the records of their parent ------------------------------------------------
# (child doctype, parent doctype, parent records, roles from whom the rows are hidden although they read
# the parent: a table field of a higher permission level)
CHILD_TABLES = [
	("Sales Team", "Sales Invoice", "sinv_a sinv_b sinv_shared", ""),
	("Sales Team", "Sales Order", "so_a so_b", ""),
	("Sales Invoice Item", "Sales Invoice", "sinv_a sinv_b sinv_shared sinv_pd_a sinv_pd_b", ""),
	("Sales Order Item", "Sales Order", "so_a so_b so_pd_a so_pd_b", ""),
	("Quotation Item", "Quotation", "qtn_a qtn_b", ""),
	("Delivery Note Item", "Delivery Note", "dn_a dn_b", ""),
	("Dynamic Link", "Contact", "contact_a contact_b", ""),
	("Dynamic Link", "Address", "address_a address_b", ""),
	("Portal User", "Customer", "cust_ga_a cust_pd_a cust_sd_a cust_pd_b", ""),
	("Deal Registration Item", "Deal Registration", "dr_a dr_sub dr_b", ""),
	# a dealer sees that its registration conflicts, not with whom
	("Deal Registration Conflict", "Deal Registration", "dr_a dr_b", "dealers"),
	("Sell Through Report Item", "Sell Through Report", "st_a st_b", ""),
	("Dealer Portal User", "Dealer", "ga_a pd_a sd_a pd_b", ""),
	("Dealer Tier Review Item", "Dealer Tier Review", "tier_review", ""),
	("Sales Task Target", "Sales Task", "task_a task_b task_a_approved task_b_approved", ""),
	("KPI Scorecard Row", "KPI Scorecard", "sc_a sc_b", ""),
	("KPI Template Indicator", "KPI Template", "template", ""),
	("Sales Ranking Entry", "Sales Ranking", "ranking", ""),
	("Sales Progress Snapshot Item", "Sales Progress Snapshot", "snapshot_a snapshot_b", ""),
	("Career Development Goal", "Career Development Plan", "career_plan_a career_plan_b", ""),
	("Career Development Review", "Career Development Plan", "career_plan_a career_plan_b", ""),
	("Account Handover Customer", "Account Handover", "handover_a handover_b", ""),
	("KPI Reward Tier", "Sales Reengineering Settings", "settings", ""),
	("Reminder Rule", "Sales Reengineering Settings", "settings", ""),
]

# -- reports ----------------------------------------------------------------------------------------------
# report -> (roles that may run it: the roles the report declares, filters). Every run's output may name
# only records the role reads (RECORDS), except the reports in PUBLISHED_REPORTS.
YEAR_START = str(get_year_start(today()))
REPORTS = {
	"Deal Registration Conflicts": ("sales_manager channel_manager system_manager", {}),
	"Dealer Performance": (
		"sales_manager channel_manager system_manager",
		{"company": "@company", "from_date": YEAR_START, "to_date": today()},
	),
	"Price Exceptions": ("sales_manager channel_manager system_manager", {}),
	"Sell Through Reconciliation": (
		"sales_manager channel_manager system_manager",
		{"company": "@company", "from_date": YEAR_START, "to_date": today()},
	),
	# the terminal market: restricted sales users see their own customers' lines; dealers never run them
	"Below-Floor Sales": (
		"sales_users channel_manager system_manager",
		{"company": "@company", "from_date": YEAR_START, "to_date": today()},
	),
	"Terminal Price Spread": (
		"sales_users channel_manager system_manager",
		{"from_date": YEAR_START, "to_date": today()},
	),
	# the company's prices to its agents: managers only
	"Channel Margin": (
		"sales_manager channel_manager system_manager",
		{"company": "@company", "from_date": YEAR_START, "to_date": today()},
	),
	"Contract Renewals": (
		"sales_users assistant channel_manager system_manager",
		{"days_ahead": 400, "include_overdue": 1},
	),
	# on each role's own customer (OWN_SIDE)
	"Customer Transaction History": (
		"sales_users assistant telesales channel_manager system_manager",
		{"customer": "@own"},
	),
	"Info Feedback Summary": (
		"sales_users channel_manager system_manager",
		{"from_date": YEAR_START, "to_date": today(), "group_by": "Type"},
	),
	"Stuck Opportunities": ("sales_users channel_manager system_manager", {"stuck_days": 1}),
	"Telesales Conversion": (
		"sales_manager telesales system_manager",
		{"from_date": YEAR_START, "to_date": today()},
	),
	"Weekly Sales Report": ("sales_users system_manager", {"week": today(), "show_details": 1}),
	"Orders Without Opportunity": (
		"sales_users system_manager",
		{"company": "@company", "from_date": YEAR_START, "to_date": today(), "by_sales_person": 0},
	),
	"KPI Ranking": (
		"sales_users channel_manager system_manager",
		{"period_type": "Quarter", "year": 2031, "period": 2, "level": "Individuals"},
	),
	"Scorecard Trend": (
		"sales_users channel_manager system_manager",
		{"period_type": "Quarter", "from_date": "2031-01-01", "to_date": "2031-12-31"},
	),
	"Task Attainment": (
		"sales_users channel_manager system_manager",
		{"period_type": "Quarter", "year": 2031, "period": 2, "group_by": "Sales Person"},
	),
	# ERPNext's own selling reports ignore the customer rule: taken off the restricted roles (Custom Role)
	"Sales Person-wise Transaction Summary": (
		"sales_manager",
		{"doc_type": "Sales Order", "from_date": YEAR_START, "to_date": today(), "company": "@company"},
	),
	"Address And Contacts": ("sales_manager", {"party_type": "Customer"}),
	"Customer Acquisition and Loyalty": (
		"sales_manager",
		{"company": "@company", "from_date": YEAR_START, "to_date": today(), "view_type": "Monthly"},
	),
	"Inactive Customers": ("sales_manager", {"doctype": "Sales Order", "days_since_last_order": 30}),
	"Sales Pipeline Analytics": (
		"sales_manager",
		{
			"pipeline_by": "Owner",
			"from_date": YEAR_START,
			"to_date": today(),
			"range": "Monthly",
			"based_on": "Number",
			"status": "Open",
		},
	),
}
PUBLISHED_REPORTS = {"KPI Ranking"}  # a ranking names everyone on it
# (report, role) -> Link columns the report leaves empty for that role
REPORT_LINKS_LEFT_EMPTY = {
	# an order's or invoice's contract, for who may not read contracts
	("Customer Transaction History", "telesales"): {"Contract"},
}

# (role, report, filters, expected): record-level report cells. expected: "denied" (403), "nothing"
# (403 or no rows: a filter outside the role's scope) or the records the output must contain.
REPORT_CASES = [
	("sales_a", "Customer Transaction History", {"customer": "cust_a"}, "qtn_a so_a sinv_a"),
	("sales_a", "Customer Transaction History", {"customer": "cust_b"}, "denied"),
	("manager_a", "Customer Transaction History", {"customer": "cust_a"}, "sinv_a"),
	("manager_a", "Customer Transaction History", {"customer": "cust_b"}, "denied"),
	("sales_b", "Customer Transaction History", {"customer": "cust_b"}, "qtn_b so_b sinv_b sinv_shared"),
	("assistant", "Customer Transaction History", {"customer": "cust_a"}, "sinv_a"),
	("assistant", "Customer Transaction History", {"customer": "cust_b"}, "denied"),
	("telesales", "Customer Transaction History", {"customer": "cust_b"}, "sinv_b"),
	("telesales", "Customer Transaction History", {"customer": "cust_a"}, "denied"),
	("sales_manager", "Customer Transaction History", {"customer": "cust_b"}, "sinv_b"),
	("sales_a", "Contract Renewals", {"days_ahead": 400}, "contract_a"),
	("sales_b", "Contract Renewals", {"days_ahead": 400}, "contract_b"),
	("sales_a", "Stuck Opportunities", {"stuck_days": 1}, "opp_a"),
	("manager_a", "Stuck Opportunities", {"stuck_days": 1}, "opp_a"),
	("sales_b", "Stuck Opportunities", {"stuck_days": 1}, "opp_b"),
	("sales_a", "Stuck Opportunities", {"stuck_days": 1, "sales_person": "rep_b"}, "nothing"),
	("sales_a", "Weekly Sales Report", {"week": today(), "sales_person": "rep_b"}, "nothing"),
	(
		"sales_a",
		"Info Feedback Summary",
		{"from_date": YEAR_START, "to_date": today(), "group_by": "Type", "sales_person": "rep_b"},
		"nothing",
	),
	(
		"sales_a",
		"Scorecard Trend",
		{
			"period_type": "Quarter",
			"from_date": "2031-01-01",
			"to_date": "2031-12-31",
			"sales_person": "rep_b",
		},
		"denied",
	),
	(
		"manager_a",
		"Task Attainment",
		{
			"period_type": "Quarter",
			"year": 2031,
			"period": 2,
			"group_by": "Sales Person",
			"sales_person": "rep_b",
		},
		"denied",
	),
	(
		"manager_a",
		"Task Attainment",
		{
			"period_type": "Quarter",
			"year": 2031,
			"period": 2,
			"group_by": "Sales Person",
			"sales_person": "team_a",
		},
		"",
	),
	("dealer_a", "Deal Registration Conflicts", {}, "denied"),
	(
		"sales_a",
		"Below-Floor Sales",
		{"company": "@company", "from_date": YEAR_START, "to_date": today(), "sales_person": "rep_b"},
		"denied",
	),
	("channel_manager", "Deal Registration Conflicts", {}, "dr_b"),
	(
		"channel_manager",
		"Sell Through Reconciliation",
		{"company": "@company", "from_date": YEAR_START, "to_date": today(), "dealer": "pd_b"},
		"pd_b",
	),
]

# -- portal -------------------------------------------------------------------------------------------------
# page -> roles that may open it. What a dealer's pages may name is PORTAL_SEES.
PORTAL_PAGES = {
	"/dealer": "dealers",
	"/dealer/registrations": "dealers",
	"/dealer/register": "dealers",
	"/dealer/sell-through": "dealers",
	"/dealer/funds": "dealers",
	"/dealer/support": "dealers",
	# ERPNext's customer portal: a dealer user is a portal user of its branch's customers; a desk user
	# who reads orders (invoices) gets the list of those it reads
	"/orders": "dealers sales_users assistant telesales channel_manager system_manager",
	"/invoices": "dealers sales_users assistant telesales channel_manager system_manager",
}
PORTAL_SEES = {  # records a dealer's portal pages may name (its branch, its branch's documents)
	"agent_a": "ga_a pd_a sd_a cust_ga_a cust_pd_a cust_sd_a dr_a dr_sub st_a mdf_a sreq_a so_pd_a sinv_pd_a cust_end tier",
	"dealer_a": "pd_a sd_a cust_pd_a cust_sd_a dr_a dr_sub st_a mdf_a sreq_a so_pd_a sinv_pd_a cust_end tier",
	"sub_a": "sd_a cust_sd_a dr_sub tier",
	"dealer_b": "pd_b cust_pd_b dr_b st_b mdf_b sreq_b so_pd_b sinv_pd_b cust_end tier",
}
PORTAL_MUST_SHOW = {  # (role, page) -> records the page must name
	("agent_a", "/dealer"): "pd_a sd_a",
	("dealer_a", "/dealer/registrations"): "dr_a dr_sub",
	("sub_a", "/dealer/registrations"): "dr_sub",
	("dealer_b", "/dealer/registrations"): "dr_b",
	("dealer_a", "/dealer/sell-through"): "st_a",
	("dealer_b", "/dealer/sell-through"): "st_b",
	("agent_a", "/dealer/funds"): "mdf_a",
	("dealer_b", "/dealer/funds"): "mdf_b",
	("agent_a", "/dealer/support"): "sreq_a",
	("dealer_a", "/dealer/support"): "sreq_a",
	("dealer_b", "/dealer/support"): "sreq_b",
	("dealer_a", "/orders"): "so_pd_a",
	("agent_a", "/orders"): "so_pd_a",
	("dealer_b", "/orders"): "so_pd_b",
	("dealer_a", "/invoices"): "sinv_pd_a",
	("dealer_b", "/invoices"): "sinv_pd_b",
}
# ERPNext's portal detail pages: (page, record) -> roles that may open it
PORTAL_DOCUMENTS = {  # the branch's dealers, and the desk users who read the document
	("/orders", "so_pd_a"): "agent_a dealer_a sales_manager channel_manager system_manager order_desk",
	("/orders", "so_pd_b"): "dealer_b sales_manager channel_manager system_manager order_desk",
	("/invoices", "sinv_pd_a"): "agent_a dealer_a sales_manager channel_manager system_manager order_desk",
	("/invoices", "sinv_b"): "sales_b sales_manager telesales channel_manager system_manager order_desk",
}

# -- whitelisted methods --------------------------------------------------------------------------------------
# short name -> (path, HTTP verb, roles that get an answer). Each is called with valid arguments on the
# role's own records (TestPermissionMatrix.method_args).
SR = "sales_reengineering"
METHODS = {
	"register_deal": (f"{SR}.channel.portal.register_deal", "POST", "dealers"),
	"submit_sell_through": (f"{SR}.channel.portal.submit_sell_through", "POST", "dealers"),
	"extend_protection": (
		f"{SR}.channel.doctype.deal_registration.deal_registration.extend_protection",
		"POST",
		"channel_manager system_manager",
	),
	# Dealer Tier Review.get_proposals, a controller method
	"run_doc_method": ("run_doc_method", "POST", "channel_manager system_manager"),
	"run_now": (f"{SR}.reminders.engine.run_now", "POST", "system_manager"),
	# for Team A: its manager (and the Sales Manager); not Rep A, not another team
	"create_team_tasks": (
		f"{SR}.performance.doctype.sales_task.sales_task.create_team_tasks",
		"POST",
		"manager_a sales_manager system_manager",
	),
	"get_quota_suggestions": (
		f"{SR}.performance.quota.get_quota_suggestions",
		"GET",
		"sales_manager system_manager",
	),
	"accept_quota_suggestions": (
		f"{SR}.performance.quota.accept_quota_suggestions",
		"POST",
		"sales_manager system_manager",
	),
	"recompute_ranking": (
		f"{SR}.performance.ranking.recompute_ranking",
		"POST",
		"sales_manager system_manager",
	),
	"get_scorecard_leaderboard": (
		f"{SR}.performance.ranking.get_scorecard_leaderboard",
		"GET",
		"sales_users assistant telesales channel_manager system_manager",
	),
	# on Rep A's approved task and its scorecard
	"refresh_scorecard": (
		f"{SR}.performance.scorecard.refresh_scorecard",
		"POST",
		f"{SALES_A} system_manager",
	),
	"refresh_all_scorecards": (
		f"{SR}.performance.scorecard.refresh_all_scorecards",
		"POST",
		"sales_manager system_manager",
	),
	"get_drilldown": (f"{SR}.performance.scorecard.get_drilldown", "GET", f"{SALES_A} system_manager"),
	# on the role's own customer (OWN_SIDE)
	"log_activity": (
		f"{SR}.customer_intelligence.activity.log_activity",
		"POST",
		"sales_users assistant telesales channel_manager system_manager",
	),
	"recompute_snapshots": (
		f"{SR}.customer_intelligence.progress.recompute_snapshots",
		"POST",
		"sales_manager system_manager",
	),
	"recompute_completeness": (
		f"{SR}.customer_intelligence.completeness.recompute_completeness",
		"POST",
		"sales_manager system_manager",
	),
	"generate_calls": (
		f"{SR}.customer_intelligence.telesales.generate_calls",
		"POST",
		"sales_manager system_manager",
	),
	# on a call of the role's own
	"make_opportunity": (
		f"{SR}.customer_intelligence.telesales.make_opportunity",
		"POST",
		"telesales sales_manager",
	),
	"make_quotation": (
		f"{SR}.customer_intelligence.call_conversion.make_quotation",
		"POST",
		"telesales sales_manager",
	),
	# a Telesales Agent may not create sales orders (ERPNext's role rights)
	"make_sales_order": (
		f"{SR}.customer_intelligence.call_conversion.make_sales_order",
		"POST",
		"sales_manager",
	),
}
# (role, method, arguments changed from the valid ones, expected outcome): record-level method cells
METHOD_CASES = [
	("dealer_a", "register_deal", {"dealer": "pd_b"}, "denied"),
	("dealer_a", "register_deal", {"dealer": "sd_a"}, "ok"),
	("sub_a", "register_deal", {"dealer": "pd_a"}, "denied"),
	("dealer_b", "submit_sell_through", {"dealer": "pd_a"}, "denied"),
	("agent_a", "submit_sell_through", {"dealer": "sd_a"}, "ok"),
	("sales_b", "refresh_scorecard", {"sales_task": "task_a_approved"}, "denied"),
	("sales_a", "get_drilldown", {"scorecard": "sc_b"}, "denied"),
	("manager_a", "get_drilldown", {"scorecard": "sc_b"}, "denied"),
	("sales_a", "log_activity", {"reference_name": "cust_b"}, "denied"),
	("assistant", "log_activity", {"reference_name": "cust_b"}, "denied"),
	("telesales", "log_activity", {"reference_name": "cust_a"}, "denied"),
	("telesales", "log_activity", {"reference_doctype": "Opportunity", "reference_name": "opp_b"}, "ok"),
	("telesales", "make_opportunity", {"call": "call_other"}, "denied"),
	("telesales", "make_quotation", {"call": "call_other"}, "denied"),
	("sales_b", "make_quotation", {"call": "call_b"}, "denied"),
	("sales_b", "make_sales_order", {"call": "call_b"}, "denied"),
]

# -- create, write, submit: the cells that a scope or a business rule decides -------------------------------
# (doctype, role) -> the error a permitted role meets creating its own record
CREATE_ERRORS = {
	# a feedback report is filed for one's own salesperson: a Channel Manager has none
	("Info Feedback Report", "channel_manager"): "InvalidFeedbackError",
	("Info Feedback Report", "order_desk"): "InvalidFeedbackError",
	# a Channel Manager plans dealers' tasks; Rep A is not theirs to plan
	("Sales Task", "channel_manager"): "denied",
	# nor does the Order Desk, which has no salesperson and no team
	("Sales Task", "order_desk"): "denied",
}
# (role, doctype, fields changed from the role's own valid record, expected)
CREATE_CASES = [
	("sales_a", "Customer", {"sr_sales_person": "rep_b"}, "OwnershipError"),
	("manager_a", "Customer", {"sr_sales_person": "rep_a2"}, "ok"),
	("sales_a", "Opportunity", {"sr_sales_person": "rep_b"}, "OwnershipError"),
	("sales_a", "Info Feedback Report", {"sales_person": "rep_b"}, "InvalidFeedbackError"),
	("sales_a", "Visit Plan", {}, "ok"),
	("sales_a", "Visit Plan", {"sales_person": "rep_b"}, "InvalidVisitPlanError"),
	("manager_a", "Visit Plan", {}, "ok"),
	("manager_a", "Reward Ledger Entry", {}, "ok"),
	("manager_a", "Reward Ledger Entry", {"sales_person": "rep_b"}, "InvalidRewardEntryError"),
	("sales_a", "Reward Ledger Entry", {}, "InvalidRewardEntryError"),
	("sales_a", "Reward Ledger Entry", {"sales_person": "rep_b"}, "InvalidRewardEntryError"),
	("manager_a", "Info Feedback Report", {"sales_person": "rep_a2"}, "ok"),
	("sales_a", "Channel Price Exception", {"reference_name": "qtn_b"}, "PriceExceptionError"),
	# the order desk may order for B's customer; a salesperson may not (CustomerRuleError, a 403)
	("order_desk", "Sales Order", {"customer": "cust_b"}, "ok"),
	("sales_a", "Sales Order", {"customer": "cust_b"}, "denied"),
	("dealer_a", "Deal Registration", {"dealer": "pd_b"}, "denied"),
	("agent_a", "Deal Registration", {"dealer": "sd_a"}, "ok"),
	# the customer field is not the dealer's to set: dropped, and nothing of the customer comes back
	("dealer_a", "Deal Registration", {"customer": "cust_b"}, "ok"),
	("dealer_a", "Sell Through Report", {"dealer": "pd_b"}, "denied"),
	("sub_a", "Sell Through Report", {"dealer": "pd_a"}, "denied"),
]
# (role, record, fields sent, expected, whether the record must stay as it was)
WRITE_CASES = [
	("sales_a", "cust_a", {"sr_sales_person": "rep_b"}, "OwnershipError", True),
	# the order desk reads every customer and edits none of a salesperson's
	("order_desk", "cust_b", {"website": "https://example.invalid"}, "denied", True),
	("assistant", "cust_a", {"sr_sales_person": "rep_b"}, "OwnershipError", True),
	("manager_a", "cust_a", {"sr_sales_person": "rep_a2"}, "ok", False),
	("sales_a", "opp_a", {"sr_sales_person": "rep_b"}, "OwnershipError", True),
	("telesales", "call_b", {"customer": "cust_a"}, "OwnershipError", True),
	("telesales", "call_a_cancelled", {"status": "Open"}, "OwnershipError", True),
	("dealer_b", "dr_b", {"protected_until": "2099-12-31"}, "DealApprovalError", True),
	("dealer_a", "dr_a", {"approved_by": "@me"}, "DealApprovalError", True),
	("dealer_a", "dr_a", {"protected_from": "2000-01-01"}, "DealApprovalError", True),
	("sub_a", "dr_sub", {"status": "Approved"}, "WorkflowPermissionError", True),
	("sub_a", "dr_sub", {"customer": "cust_b"}, "ok", True),
]
# how a refused submit or cancel may answer: 403, or the workflow refusing the action
REFUSALS = {"denied", "WorkflowTransitionError", "WorkflowPermissionError"}

# what each role works on when a door needs "its own" record
OWN_SIDE = {"sales_b": "b", "telesales": "b", "dealer_b": "b"}
OWN_DEALER = {"agent_a": "ga_a", "dealer_a": "pd_a", "sub_a": "sd_a", "dealer_b": "pd_b"}
NAMES_OF_PEOPLE = ("rep_a", "rep_b", "rep_a2", "rep_b2", "team_a", "team_b")


def side(role: str) -> str:
	return OWN_SIDE.get(role, "a")


class Cells:
	"""Counts the cells asserted and collects the ones that disagree."""

	total: typing.ClassVar[dict[str, int]] = {}

	def __init__(self, test: FrappeTestCase, kind: str):
		self.test, self.kind, self.failures = test, kind, []

	def check(
		self, ok: bool, role: str, door: str, target: str, expected, reply: Reply | None, note: str = ""
	):
		Cells.total[self.kind] = Cells.total.get(self.kind, 0) + 1
		if not ok:
			got = reply.short(240) if reply is not None else note
			self.failures.append(
				f"[{role}] {door} {target}: expected {expected}; got {got} {note if reply else ''}"
			)

	def done(self):
		if self.failures:
			self.test.fail(f"{len(self.failures)} {self.kind} cell(s) disagree:\n" + "\n".join(self.failures))


def outcome(reply: Reply) -> str:
	if 200 <= reply.status < 300:
		return "ok"
	if reply.status == 403:
		return "denied"
	return reply.exc_type or f"HTTP {reply.status}"


class TestPermissionMatrix(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.started = time.monotonic()
		cls.extra: list[tuple[str, str]] = []  # records the doors created, removed with the fixtures
		cls.world = World()
		try:
			cls.world.build()
			cls.clients = {"guest": HTTPUser("Guest")}
			for role in ROLES[1:]:
				cls.clients[role] = HTTPUser(cls.world.users[role], PASSWORD).login()
		except Exception:
			cls.world.purge()
			raise
		cls.world.names["settings"] = "Sales Reengineering Settings"
		cls.world.doctype_of["settings"] = "Sales Reengineering Settings"
		# document name -> the record keys of that name (a scorecard is named after its task)
		cls.keys_of: dict[str, set] = {}
		for key, name in cls.world.names.items():
			cls.keys_of.setdefault(name, set()).add(key)
		cls.built = time.monotonic()

	@classmethod
	def tearDownClass(cls):
		try:
			for client in cls.clients.values():
				client.logout()
		finally:
			cls.world.purge(cls.extra)
			total = sum(Cells.total.values())
			parts = ", ".join(f"{kind} {count}" for kind, count in Cells.total.items())
			print(
				f"\nPermission matrix: {total} cells asserted ({parts}); {len(ROLES)} roles, "
				f"{len(RIGHTS)} doctypes, {len(RECORDS)} records, {len(CHILD_TABLES)} child tables, "
				f"{len(REPORTS)} reports, {len(PORTAL_PAGES)} portal pages; fixtures "
				f"{cls.built - cls.started:.0f}s, total {time.monotonic() - cls.started:.0f}s"
			)
			super().tearDownClass()

	# -- helpers ------------------------------------------------------------------------------------------

	def name(self, key: str) -> str:
		return self.world.names[key]

	def records_of(self, doctype: str) -> list[str]:
		return [key for key in RECORDS if self.world.doctype_of.get(key) == doctype]

	def key(self, doctype: str, name: str) -> str:
		"""The record key of `name` of `doctype` (the name itself when it is not a fixture)."""
		for key in self.keys_of.get(name, ()):
			if self.world.doctype_of[key] == doctype:
				return key
		return name

	def keys_in(self, values) -> set[str]:
		"""The fixture records named anywhere in `values` (a decoded JSON body or page text)."""
		if isinstance(values, str):
			return {key for name, keys in self.keys_of.items() if name in values for key in keys}
		found = set()

		def walk(value):
			if isinstance(value, dict):
				for item in value.values():
					walk(item)
			elif isinstance(value, list | tuple):
				for item in value:
					walk(item)
			elif isinstance(value, str) and value in self.keys_of:
				found.update(self.keys_of[value])

		walk(values)
		return found

	def first_reader(self, key: str) -> str:
		"""The role named first among a record's readers: the one the print view is rendered for (a
		render costs a tenth of a second; every other reader's right is the read right checked above)."""
		return next(role for role in ROLES if role in self.readers(key))

	def readers(self, key: str) -> frozenset:
		return roles(RECORDS[key]["read"])

	def forget(self, doctype: str, name: str | None):
		"""Remove a record a door created, at once (as Administrator, committed)."""
		if name:
			frappe.db.rollback()
			purge_rows(doctype, [name])
			frappe.db.commit()

	# -- 1. list doors on every doctype -------------------------------------------------------------------

	def test_01_list_doors(self):
		"""GET /api/resource, frappe.client.get_list and get_count, frappe.desk.reportview.get and get_count:
		each role gets exactly the records it may read, or 403 when it may not list the doctype."""
		cells = Cells(self, "list")
		for doctype, rights in RIGHTS.items():
			keys = self.records_of(doctype)
			names = [self.name(key) for key in keys]
			if not names or doctype == "Sales Reengineering Settings":
				continue
			filters = {"name": ["in", names]}
			for role, client in self.clients.items():
				if role not in roles(rights["read"]):
					expected = "denied"
				else:
					expected = {key for key in keys if role in self.readers(key)}
				doors = {
					"GET /api/resource": lambda c=client: c.get(
						f"/api/resource/{doctype}",
						params={
							"fields": ["name"],
							"filters": [["name", "in", names]],
							"limit_page_length": 0,
						},
					),
					"frappe.client.get_list": lambda c=client: c.call(
						"frappe.client.get_list",
						doctype=doctype,
						fields=["name"],
						filters=filters,
						limit_page_length=0,
					),
					"frappe.client.get_count": lambda c=client: c.call(
						"frappe.client.get_count", doctype=doctype, filters=filters
					),
					"frappe.desk.reportview.get": lambda c=client: c.call(
						"frappe.desk.reportview.get",
						doctype=doctype,
						fields=[f"`tab{doctype}`.`name`"],
						filters=[[doctype, "name", "in", names]],
						page_length=500,
					),
					"frappe.desk.reportview.get_count": lambda c=client: c.call(
						"frappe.desk.reportview.get_count",
						doctype=doctype,
						filters=[[doctype, "name", "in", names]],
					),
				}
				for door, send in doors.items():
					reply = send()
					got = self.list_result(doctype, door, reply)
					if expected == "denied":
						ok = reply.status == 403
					elif "count" in door:
						ok = got == len(expected)
					else:
						ok = got == expected
					cells.check(
						ok,
						role,
						door,
						doctype,
						sorted(expected) if expected != "denied" else expected,
						reply,
						"" if reply.status != 200 else f"-> {sorted(got) if isinstance(got, set) else got}",
					)
		cells.done()

	def list_result(self, doctype: str, door: str, reply: Reply):
		if reply.status != 200:
			return None
		if door == "GET /api/resource":
			rows = reply.data.get("data") or []
			return {self.key(doctype, row["name"]) for row in rows}
		message = reply.message
		if "count" in door:
			return message
		if door == "frappe.desk.reportview.get":
			values = (message or {}).get("values", []) if isinstance(message, dict) else []
			return {self.key(doctype, row[0]) for row in values}
		return {self.key(doctype, row["name"]) for row in message or []}

	# -- 2. child tables ----------------------------------------------------------------------------------

	def test_02_child_tables(self):
		"""Child rows through the same five doors with parent=...: only the rows of parents the role reads."""
		cells = Cells(self, "child")
		for child, parent, parent_keys, hidden in CHILD_TABLES:
			keys = parent_keys.split()
			names = [self.name(key) for key in keys]
			rows = {
				key: frappe.db.count(child, {"parenttype": parent, "parent": self.name(key)}) for key in keys
			}
			self.assertTrue(any(rows.values()), f"fixture has no {child} rows under {parent}")
			filters = {"parenttype": parent, "parent": ["in", names]}
			list_filters = [[child, "parenttype", "=", parent], [child, "parent", "in", names]]
			for role, client in self.clients.items():
				if role not in roles(RIGHTS[parent]["read"]):
					expected = "denied"
				else:
					visible = {key for key in keys if role in self.readers(key) and role not in roles(hidden)}
					expected = {key for key in visible if rows[key]}
				doors = {
					"GET /api/resource": lambda c=client: c.get(
						f"/api/resource/{child}",
						params={
							"parent": parent,
							"fields": ["parent"],
							"filters": filters,
							"limit_page_length": 0,
						},
					),
					"frappe.client.get_list": lambda c=client: c.call(
						"frappe.client.get_list",
						doctype=child,
						parent=parent,
						fields=["parent"],
						filters=filters,
						limit_page_length=0,
					),
					"frappe.client.get_count": lambda c=client: c.call(
						"frappe.client.get_count", doctype=child, filters=filters, parent=parent
					),
					"frappe.desk.reportview.get": lambda c=client: c.call(
						"frappe.desk.reportview.get",
						doctype=child,
						parent_doctype=parent,
						fields=[f"`tab{child}`.`parent`"],
						filters=list_filters,
						page_length=500,
					),
					"frappe.desk.reportview.get_count": lambda c=client: c.call(
						"frappe.desk.reportview.get_count",
						doctype=child,
						parent_doctype=parent,
						filters=list_filters,
					),
				}
				for door, send in doors.items():
					reply = send()
					if expected == "denied":
						ok, got = reply.status == 403, None
					elif reply.status != 200:
						ok, got = False, None
					elif "count" in door:
						got = reply.message
						ok = got == sum(rows[key] for key in expected)
					else:
						got = self.child_parents(parent, door, reply)
						ok = got == expected
					cells.check(
						ok,
						role,
						door,
						f"{child} of {parent}",
						expected if expected == "denied" else sorted(expected),
						reply,
						f"-> {sorted(got) if isinstance(got, set) else got}",
					)
				# one row by its parent, as link fields and forms ask for it
				if expected != "denied":
					for key in keys:
						if not rows[key]:
							continue
						reply = client.call(
							"frappe.client.get_value",
							doctype=child,
							fieldname="parent",
							filters={"parenttype": parent, "parent": self.name(key)},
							parent=parent,
						)
						got = (reply.message or {}).get("parent") if reply.status == 200 else None
						cells.check(
							got == (self.name(key) if key in expected else None),
							role,
							"frappe.client.get_value",
							f"{child} of {key}",
							"the row" if key in expected else "nothing",
							reply,
						)
		cells.done()

	def child_parents(self, parent: str, door: str, reply: Reply) -> set:
		if door == "GET /api/resource":
			rows = reply.data.get("data") or []
			return {self.key(parent, row["parent"]) for row in rows}
		message = reply.message
		if door == "frappe.desk.reportview.get":
			values = (message or {}).get("values", []) if isinstance(message, dict) else []
			return {self.key(parent, row[0]) for row in values}
		return {self.key(parent, row["parent"]) for row in message or []}

	# -- 3. one document at a time ------------------------------------------------------------------------

	def test_03_document_doors(self):
		"""GET /api/resource/<doctype>/<name> and frappe.client.get_value on every record; frappe.client.get
		and the print view on one record per doctype (`page`)."""
		cells = Cells(self, "document")
		for key, spec in RECORDS.items():
			doctype, name = self.world.doctype_of[key], self.name(key)
			readers = roles(spec["read"])
			for role, client in self.clients.items():
				allowed = role in readers
				reply = client.get(f"/api/resource/{doctype}/{name}")
				ok = reply.status == 200 and (reply.data or {}).get("data", {}).get("name") == name
				cells.check(
					ok if allowed else reply.status == 403,
					role,
					"GET /api/resource/<doc>",
					key,
					"the document" if allowed else "403",
					reply,
				)
				if doctype != "Sales Reengineering Settings":
					reply = client.call(
						"frappe.client.get_value", doctype=doctype, fieldname="name", filters={"name": name}
					)
					if allowed:
						ok = reply.status == 200 and (reply.message or {}).get("name") == name
					elif role in roles(RIGHTS[doctype]["read"]):
						ok = reply.status == 200 and not reply.message
					else:
						ok = reply.status == 403
					cells.check(
						ok, role, "frappe.client.get_value", key, "the name" if allowed else "nothing", reply
					)
				if spec["page"] and doctype != "Sales Reengineering Settings":
					reply = client.call("frappe.client.get", "GET", doctype=doctype, name=name)
					ok = reply.status == 200 and (reply.message or {}).get("name") == name
					cells.check(
						ok if allowed else reply.status == 403,
						role,
						"frappe.client.get",
						key,
						"the document" if allowed else "403",
						reply,
					)
				if spec["page"] and (not allowed or role == self.first_reader(key)):
					reply = client.call("frappe.www.printview.get_html_and_style", doc=doctype, name=name)
					shows = reply.status == 200 and name in ((reply.message or {}).get("html") or "")
					cells.check(
						shows if allowed else reply.status == 403,
						role,
						"printview.get_html_and_style",
						key,
						"the print view" if allowed else "403",
						reply,
					)
		cells.done()

	# -- 4. reports ---------------------------------------------------------------------------------------

	def values(self, role: str, filters: dict) -> dict:
		"""Filters with record keys, '@own' (the role's customer) and '@company' replaced by names."""
		from sales_reengineering.tests.setup import TEST_COMPANY

		values = {}
		for field, value in filters.items():
			if value == "@own":
				value = self.name(f"cust_{side(role)}")
			elif value == "@me":
				value = self.world.users[role]
			elif value == "@company":
				value = TEST_COMPANY
			elif isinstance(value, str) and value in self.world.names:
				value = self.name(value)
			values[field] = value
		return values

	def run_report(self, role: str, report: str, filters: dict) -> Reply:
		return self.clients[role].call(
			"frappe.desk.query_report.run",
			report_name=report,
			filters=self.values(role, filters),
			ignore_prepared_report=1,
		)

	def report_rows(self, reply: Reply):
		if reply.status == 200 and isinstance(reply.message, dict) and "result" in reply.message:
			return reply.message["result"]
		return None

	def test_04_reports(self):
		"""Each report runs for every role that should use it and answers 403 to the others; what it
		shows names only records the role may read; record-level cases (REPORT_CASES)."""
		cells = Cells(self, "report")
		for report, (allowed, filters) in REPORTS.items():
			for role in ROLES:
				reply = self.run_report(role, report, filters)
				rows = self.report_rows(reply)
				may = role in roles(allowed)
				cells.check(
					rows is not None if may else reply.status == 403,
					role,
					"query_report.run",
					report,
					"it runs" if may else "403",
					reply,
				)
				if rows is not None and report not in PUBLISHED_REPORTS:
					leaked = sorted(
						k for k in self.keys_in(rows) if k in RECORDS and role not in self.readers(k)
					)
					cells.check(
						not leaked,
						role,
						"query_report.run output",
						report,
						"only records the role reads",
						None,
						f"it names {leaked}",
					)
		for role, report, filters, expected in REPORT_CASES:
			reply = self.run_report(role, report, filters)
			rows = self.report_rows(reply)
			if expected == "denied":
				ok = reply.status == 403
			elif expected == "nothing":
				ok = reply.status == 403 or rows == []
			else:
				ok = rows is not None and set(expected.split()) <= self.keys_in(rows)
			cells.check(
				ok,
				role,
				"query_report.run",
				f"{report} {filters}",
				expected or "it runs",
				reply,
				f"names {sorted(self.keys_in(rows)) if rows is not None else None}",
			)
		cells.done()

	# -- 5. portal ----------------------------------------------------------------------------------------

	def named_on_page(self, text: str) -> set[str]:
		return {key for key in self.keys_in(text) if key in RECORDS or key in NAMES_OF_PEOPLE}

	def test_05_portal(self):
		"""Dealer portal pages and ERPNext's /orders and /invoices: each dealer sees its branch only, and
		nobody else gets in; the detail pages and print views follow."""
		cells = Cells(self, "portal")
		for page, allowed in PORTAL_PAGES.items():
			for role, client in self.clients.items():
				reply = client.get(page)
				may = role in roles(allowed)
				cells.check(
					reply.status == 200 if may else reply.status in (403, 404),
					role,
					f"GET {page}",
					"",
					"the page" if may else "403",
					reply,
				)
				if reply.status != 200:
					continue
				sees = set(PORTAL_SEES.get(role, "").split()) or {
					k for k in RECORDS if role in self.readers(k)
				}
				leaked = sorted(self.named_on_page(reply.text) - sees)
				cells.check(
					not leaked, role, f"GET {page}", "content", "only its branch", None, f"names {leaked}"
				)
				must = set(PORTAL_MUST_SHOW.get((role, page), "").split())
				if must:
					missing = sorted(must - self.named_on_page(reply.text))
					cells.check(
						not missing, role, f"GET {page}", "content", sorted(must), None, f"misses {missing}"
					)
		for (page, key), allowed in PORTAL_DOCUMENTS.items():
			for role, client in self.clients.items():
				reply = client.get(f"{page}/{self.name(key)}")
				may = role in roles(allowed)
				ok = reply.status == 200 and self.name(key) in reply.text
				cells.check(
					ok if may else reply.status in (403, 404),
					role,
					f"GET {page}/<name>",
					key,
					"the page" if may else "403",
					reply,
				)
		# a dealer prints its own registration: no conflict rows, no salesperson, no other dealer
		for role, key in (("dealer_b", "dr_b"), ("dealer_a", "dr_a"), ("agent_a", "dr_sub")):
			reply = self.clients[role].get(
				"/printview", params={"doctype": "Deal Registration", "name": self.name(key)}
			)
			leaked = sorted(self.named_on_page(reply.text) - set(PORTAL_SEES[role].split()))
			cells.check(
				reply.status == 200 and not leaked,
				role,
				"GET /printview",
				key,
				"its registration without conflicts",
				reply if reply.status != 200 else None,
				f"names {leaked}",
			)
		cells.done()

	# -- 6. whitelisted methods ---------------------------------------------------------------------------

	def method_args(self, method: str, role: str) -> dict:
		"""Valid arguments of `method` for `role`, on the role's own records."""
		world, n = self.world, self.world.next()
		own_customer = self.name(f"cust_{side(role)}")
		if method == "register_deal":
			return {
				"company_name": world.label(f"Portal Deal {n}"),
				"city": "北京",
				"expected_close_date": add_days(today(), 30),
				"items": [{"item_code": world["item"], "qty": 1, "rate": 10}],
			}
		if method == "submit_sell_through":
			return {
				"period": world.next_month(),
				"items": [
					{"item_code": world["item"], "qty": 1, "amount": 10, "city": "北京", "stock_on_hand": 0}
				],
			}
		if method == "extend_protection":
			frappe.db.rollback()
			until = frappe.db.get_value("Deal Registration", world["dr_a"], "protected_until")
			return {"registration": world["dr_a"], "until": str(add_days(until, 1))}
		if method == "run_doc_method":
			return {"dt": "Dealer Tier Review", "dn": world["tier_review"], "method": "get_proposals"}
		if method == "create_team_tasks":
			return {
				"team": world["team_a"],
				"template": world["template"],
				"period_type": "Quarter",
				**world.next_period("year", "period"),
			}
		if method == "get_quota_suggestions":
			return {"year": 2031, "quarter": 1, "team": world["team_a"]}
		if method == "accept_quota_suggestions":
			return {
				"template": world["template"],
				**world.next_period(),
				"amounts": {world["rep_a2"]: 100},
				"indicator": world["indicator"],
			}
		if method == "recompute_ranking":
			return {"period_type": "Quarter", "year": 2031, "period": 2, "level": "Individuals"}
		if method == "get_scorecard_leaderboard":
			return {"date_range": ["2031-01-01", "2031-12-31"]}
		if method == "refresh_scorecard":
			return {"sales_task": world["task_a_approved"]}
		if method == "get_drilldown":
			return {"scorecard": world["sc_a"], "indicator": world["indicator"]}
		if method == "log_activity":
			return {
				"reference_doctype": "Customer",
				"reference_name": own_customer,
				"activity_type": "Call",
				"subject": "Matrix call",
			}
		if method == "recompute_snapshots":
			return {"week_start": "2031-01-06"}
		if method == "make_opportunity":
			# a call of its own for the roles that may convert one, B's call for the others
			if role in ("telesales", "sales_manager"):
				agent = "telesales" if role == "telesales" else "other_agent"
				return {"call": world.telesales_call(None, agent, self.name("cust_b"))}
			return {"call": world["call_b"]}
		if method in ("make_quotation", "make_sales_order"):
			# as make_opportunity: a fresh open call of its own, else B's
			items = [{"item_code": world["item"], "qty": 1, "rate": 1000}]
			if role in ("telesales", "sales_manager"):
				agent = "telesales" if role == "telesales" else "other_agent"
				return {"call": world.telesales_call(None, agent, self.name("cust_b")), "items": items}
			return {"call": world["call_b"], "items": items}
		return {}

	def test_06_methods(self):
		"""Every whitelisted method of the app: allowed roles get an answer, the others 403; what the
		allowed ones create is removed again at once (METHOD_CASES: record-level cases)."""
		cells = Cells(self, "method")
		for method, (path, verb, allowed) in METHODS.items():
			for role in ROLES:
				started = frappe.utils.now_datetime()
				args = self.method_args(method, role)
				frappe.db.commit()
				reply = self.clients[role].call(path, verb, **args)
				may = role in roles(allowed)
				cells.check(
					reply.status == 200 if may else reply.status == 403,
					role,
					method,
					"",
					"an answer" if may else "403",
					reply,
				)
				if reply.status == 200 and method == "get_scorecard_leaderboard":
					shown = {k for k in self.keys_in(reply.message) if k in ("sc_a", "sc_b")}
					expected = {k for k in ("sc_a", "sc_b") if role in self.readers(k)}
					cells.check(
						shown == expected,
						role,
						method,
						"its scorecards",
						sorted(expected),
						None,
						f"shows {sorted(shown)}",
					)
				self.undo(method, started, reply)
		for role, method, changes, expected in METHOD_CASES:
			started = frappe.utils.now_datetime()
			args = {**self.method_args(method, role), **self.values(role, changes)}
			frappe.db.commit()
			reply = self.clients[role].call(METHODS[method][0], METHODS[method][1], **args)
			cells.check(outcome(reply) == expected, role, method, str(changes), expected, reply)
			self.undo(method, started, reply)
		cells.done()

	def undo(self, method: str, since, reply: Reply):
		"""Remove what a method call created (as Administrator, committed)."""
		frappe.db.rollback()
		created = {
			"register_deal": ["Deal Registration"],
			"submit_sell_through": ["Sell Through Report"],
			"create_team_tasks": ["Sales Task", "KPI Scorecard"],
			"accept_quota_suggestions": ["Sales Task"],
			"recompute_ranking": ["Sales Ranking", "Notification Log"],
			"log_activity": ["Event"],
			"recompute_snapshots": ["Sales Progress Snapshot"],
			"generate_calls": ["Telesales Call"],
			"make_opportunity": ["Opportunity", "Opportunity Stage Log"],
			"make_quotation": ["Quotation"],
			"make_sales_order": ["Sales Order"],
			"run_now": ["Sales Reminder Log", "ToDo", "Notification Log", "Email Queue", "Communication"],
		}.get(method, [])
		mine = set(self.world.names.values())
		for doctype in created:
			names = frappe.get_all(doctype, filters={"creation": (">=", since)}, pluck="name")
			purge_rows(doctype, [name for name in names if name not in mine])
		if method == "extend_protection" and reply.status == 200:
			pass  # the protection of A's registration only grew
		frappe.db.commit()

	# -- 7. create ----------------------------------------------------------------------------------------

	def create_body(self, doctype: str, role: str) -> dict:
		"""A valid new record of `doctype` on `role`'s own side."""
		world, n = self.world, self.world.next()
		s = side(role)
		customer, rep = self.name(f"cust_{s}"), self.name(f"rep_{s}")
		item = [{"item_code": world["item"], "qty": 1, "rate": 1000}]
		money = world.money()
		bodies = {
			"Customer": {
				"customer_name": world.label(f"New Customer {n}"),
				"customer_type": "Company",
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
				"territory": "_Test SR Beijing",
			},
			"Opportunity": {
				"opportunity_from": "Customer",
				"party_name": customer,
				"company": money["company"],
			},
			"Quotation": {"quotation_to": "Customer", "party_name": customer, **money, "items": item},
			"Sales Order": {
				"customer": customer,
				**money,
				"delivery_date": add_days(today(), 9),
				"items": item,
			},
			"Delivery Note": {"customer": customer, **money, "items": item},
			"Sales Invoice": {"customer": customer, **money, "due_date": add_days(today(), 9), "items": item},
			"Contract": {
				"party_type": "Customer",
				"party_name": customer,
				"start_date": today(),
				"end_date": add_days(today(), 90),
				"contract_terms": "Matrix",
			},
			"Contact": {"first_name": world.label(f"New Contact {n}")},
			"Address": {
				"address_title": world.label(f"New Address {n}"),
				"address_type": "Billing",
				"address_line1": "2 Matrix Road",
				"city": "Beijing",
				"country": "China",
			},
			"Channel Price Exception": {
				"reference_doctype": "Quotation",
				"reference_name": self.name(f"qtn_{s}"),
				"item_code": world["item"],
				"approved_rate": 900,
				"reason": "Matrix",
			},
			"Channel Price Policy": {
				"channel_level": "Direct",
				"policy_type": "Floor Price",
				"item_code": world["item"],
				"floor_price": 1,
				"enabled": 0,
			},
			"Deal Registration": {
				"dealer": self.name(OWN_DEALER.get(role, "pd_a")),
				"registration_date": today(),
				"expected_close_date": add_days(today(), 30),
				"company_name": world.label(f"New Prospect {n}"),
				"city": "北京",
				"items": [{"item_code": world["item"], "qty": 1, "rate": 10}],
			},
			"Dealer": {
				"dealer_name": world.label(f"New Dealer {n}"),
				"dealer_level": "General Agent",
				"status": "Prospect",
			},
			"Dealer Announcement": {"title": world.label(f"New News {n}"), "content": "Hello"},
			"Dealer Tier": {"tier_name": world.label(f"New Tier {n}"), "tier_rank": 7},
			"Market Development Fund": {
				"dealer": self.name(OWN_DEALER.get(role, "pd_a")),
				"company": money["company"],
				"fiscal_year": world.fiscal_year(),
				"purpose": world.label(f"New Fund {n}"),
				"activities": [{"activity": "Flyers", "planned_cost": 10}],
			},
			"Dealer Staff Certification": {
				"dealer": self.name(OWN_DEALER.get(role, "pd_a")),
				"staff_name": world.label(f"New Staff {n}"),
				"course": "Matrix",
				"certified_on": today(),
			},
			"Dealer Tier Review": {
				"from_date": add_days(today(), -30),
				"to_date": today(),
				"promote_at": 100,
				"demote_below": 50,
			},
			"Sell Through Report": lambda: {
				"dealer": self.name(OWN_DEALER.get(role, "pd_a")),
				"period": world.next_month(),
				"items": [{"item_code": world["item"], "qty": 1, "amount": 10, "city": "北京"}],
			},
			"Account Handover": {
				"from_sales_person": self.name("rep_b2"),
				"to_sales_person": self.name("rep_a2"),
				"scope": "All Accounts",
				"handover_date": today(),
				"move_todos": 0,
			},
			"Career Development Plan": {
				"sales_person": rep,
				"status": "Completed",
				"from_date": today(),
				"to_date": add_days(today(), 30),
			},
			"Customer Completeness Rule": {
				"rule_name": world.label(f"New Rule {n}"),
				"weight": 1,
				"rule_type": "Customer Field",
				"fieldname": "website",
				"enabled": 0,
			},
			"Info Feedback Report": {
				"title": world.label(f"New Feedback {n}"),
				"report_type": "Customer Demand",
				"report_date": today(),
				"sales_person": rep,
				"territory": "_Test SR Beijing",
				"content": "x",
			},
			"Opportunity Stage Log": {
				"opportunity": self.name(f"opp_{s}"),
				"sales_person": rep,
				"changed_on": str(frappe.utils.now_datetime()),
			},
			"Sales Progress Snapshot": {"sales_person": rep, "week_start": "2030-01-07"},
			"Visit Plan": {
				"sales_person": rep,
				"week_start": add_days("2031-01-06", 7 * n),
				"items": [
					{
						"party_type": "Customer",
						"party": customer,
						"planned_date": add_days("2031-01-07", 7 * n),
						"purpose": "Relationship Visit",
					}
				],
			},
			"Reward Ledger Entry": {
				"sales_person": rep,
				"posting_date": today(),
				"points": 5,
				"source_type": "Manual Adjustment",
				"reason": "Matrix",
			},
			"Sales Training Record": {
				"sales_person": rep,
				"training_title": world.label(f"New Training {n}"),
				"training_type": "Product Knowledge",
				"start_date": today(),
				"hours": 1,
			},
			"Telesales Call": {
				"customer": self.name("cust_a"),
				"agent": world.users["other_agent"],
				"status": "Open",
				"reason": "Manual",
			},
			"KPI Indicator": {
				"indicator_name": world.label(f"New Indicator {n}"),
				"source": "Manual",
				"party_type": "Sales Person",
				"unit": "Number",
				"rollup_method": "Sum",
				"description": "x",
			},
			"KPI Manual Entry": {
				"indicator": world["indicator"],
				"party_type": "Sales Person",
				"party": rep,
				"entry_date": today(),
				"value": 1,
				"remarks": "x",
			},
			# a draft task of its own to score (made only when this body is asked for)
			"KPI Scorecard": lambda: {"sales_task": world.sales_task(None, rep, *self.quarter_of(world))},
			"KPI Template": {
				"template_name": world.label(f"New Template {n}"),
				"applies_to": "Salesperson",
				"scoring_method": "Capped",
				"indicators": [{"indicator": world["indicator"], "weight": 100}],
			},
			"Sales Ranking": {
				"period_type": "Quarter",
				"period_label": world.label(f"New Quarter {n}"),
				"level": "Individuals",
			},
			"Sales Task": lambda: {
				"assignee_type": "Sales Person",
				"assignee": rep,
				"template": world["template"],
				"period_type": "Quarter",
				**world.next_period(),
			},
			"Sales Reminder Log": {
				"rule": "Stuck Opportunity",
				"reference_doctype": "Opportunity",
				"reference_name": self.name(f"opp_{s}"),
				"recipient": world.users.get(role, "Administrator"),
			},
		}
		body = bodies[doctype]
		return body() if callable(body) else body

	@staticmethod
	def quarter_of(world) -> tuple:
		year, quarter = world.next_quarter()
		return quarter, False, year

	def post(self, role: str, doctype: str, body: dict, cells: Cells, expected: str, target: str = ""):
		frappe.db.commit()
		reply = self.clients[role].post(f"/api/resource/{doctype}", body)
		created = (reply.data or {}).get("data", {}).get("name") if reply.status == 200 else None
		cells.check(
			outcome(reply) == expected, role, f"POST /api/resource/{doctype}", target, expected, reply
		)
		self.forget(doctype, created)
		return reply

	def test_07_create(self):
		"""POST /api/resource/<doctype> with a valid record of the role's own side: created for the roles
		that may create (and removed again), 403 for the others; CREATE_CASES for the scope rules."""
		cells = Cells(self, "create")
		for doctype, rights in RIGHTS.items():
			if "create" not in rights:
				continue
			for role in ROLES:
				expected = CREATE_ERRORS.get((doctype, role)) or (
					"ok" if role in roles(rights["create"]) else "denied"
				)
				self.post(role, doctype, self.create_body(doctype, role), cells, expected)
		for role, doctype, changes, expected in CREATE_CASES:
			body = {**self.create_body(doctype, role), **self.values(role, changes)}
			reply = self.post(role, doctype, body, cells, expected, str(changes))
			if "customer" in changes and role in roles("dealers"):
				# nothing of the customer comes back to a dealer: neither its name nor its tax ID (a desk
				# user's refusal names the customer and whose it is, on purpose)
				name = self.name(changes["customer"])
				cells.check(
					name not in reply.text,
					role,
					f"POST /api/resource/{doctype}",
					str(changes),
					"no word of the customer",
					reply,
				)
		cells.done()

	# -- 8. write -----------------------------------------------------------------------------------------

	def put(self, role: str, key: str, body: dict) -> Reply:
		doctype, name = self.world.doctype_of[key], self.name(key)
		frappe.db.commit()
		return self.clients[role].put(f"/api/resource/{doctype}/{name}", body)

	def modified(self, key: str):
		frappe.db.rollback()
		doctype, name = self.world.doctype_of[key], self.name(key)
		return frappe.db.get_value(doctype, name, "modified")

	def test_08_write(self):
		"""PUT /api/resource/<doctype>/<name> on every record: saved for the roles that may write it, 403
		(and the record untouched) for the others; WRITE_CASES for edits that would widen a scope."""
		cells = Cells(self, "write")
		for key, spec in RECORDS.items():
			if spec["write"] is None:
				continue
			writers = roles(spec["write"])
			for role in ROLES:
				expected = spec["errors"].get(role) or ("ok" if role in writers else "denied")
				before = self.modified(key)
				reply = self.put(role, key, {})
				ok = outcome(reply) == expected
				if expected != "ok":
					ok = ok and self.modified(key) == before
				cells.check(ok, role, "PUT /api/resource/<doc>", key, expected, reply)
		for role, key, changes, expected, unchanged in WRITE_CASES:
			frappe.db.rollback()
			doctype, name = self.world.doctype_of[key], self.name(key)
			fields = list(changes)
			before = frappe.db.get_value(doctype, name, fields, as_dict=True)
			reply = self.put(role, key, self.values(role, changes))
			frappe.db.rollback()
			after = frappe.db.get_value(doctype, name, fields, as_dict=True)
			ok = outcome(reply) == expected and (not unchanged or after == before)
			leaked = [self.name(v) for v in changes.values() if v in self.world.names and unchanged]
			ok = ok and not any(value in reply.text for value in leaked)
			cells.check(
				ok,
				role,
				"PUT /api/resource/<doc>",
				f"{key} {changes}",
				f"{expected}{', unchanged' if unchanged else ''}",
				reply,
				f"now {after}",
			)
			if after != before:  # an allowed change: put the record back as it was
				frappe.db.set_value(doctype, name, before, update_modified=False)
				frappe.db.commit()
		cells.done()

	# -- 9. submit and cancel -----------------------------------------------------------------------------

	def submit_door(self, role: str, doctype: str, name: str, cancel: bool = False) -> Reply:
		frappe.db.commit()
		client = self.clients[role]
		if doctype in WORKFLOW_SUBMIT:
			action = WORKFLOW_SUBMIT[doctype][2 if cancel else 1]
			return client.call(
				"frappe.model.workflow.apply_workflow", doc={"doctype": doctype, "name": name}, action=action
			)
		if cancel:
			return client.call("frappe.client.cancel", doctype=doctype, name=name)
		doc = frappe.get_doc(doctype, name).as_dict(convert_dates_to_str=True)
		return client.call("frappe.client.submit", doc=doc)

	def docstatus(self, doctype: str, name: str) -> int:
		frappe.db.rollback()
		return frappe.db.get_value(doctype, name, "docstatus")

	def test_09_submit_and_cancel(self):
		"""frappe.client.submit / cancel, or the approval workflow's action where the doctype has one: each
		allowed role submits (cancels) a record of its own side, the others are refused on a shared one."""
		cells = Cells(self, "submit")
		for doctype, rights in RIGHTS.items():
			for action in ("submit", "cancel"):
				if action not in rights:
					continue
				allowed = roles(rights[action])
				cancel = action == "cancel"
				shared = self.world.draft(doctype, "a", submitted=cancel)
				frappe.db.commit()
				for role in ROLES:
					if role in allowed:
						target = self.world.draft(
							doctype,
							side(role),
							OWN_DEALER.get(role) and self.name(OWN_DEALER[role]),
							submitted=cancel,
						)
					else:
						target = shared
					frappe.db.commit()
					reply = self.submit_door(role, doctype, target, cancel)
					after = self.docstatus(doctype, target)
					done = after == (2 if cancel else 1)
					if role in allowed:
						ok = reply.status == 200 and done
					else:
						ok = reply.status in (403, 417) and not done and outcome(reply) in REFUSALS
					cells.check(
						ok,
						role,
						action,
						f"{doctype} {target}",
						"done" if role in allowed else "refused",
						reply,
						f"docstatus {after}",
					)
		cells.done()

	# -- 10. delete ---------------------------------------------------------------------------------------

	def test_10_delete(self):
		"""DELETE /api/resource/<doctype>/<name>: each allowed role deletes a fresh copy of the record, the
		others get 403 on the record itself, which stays."""
		cells = Cells(self, "delete")
		for key, spec in RECORDS.items():
			if spec["delete"] is None:
				continue
			doctype = self.world.doctype_of[key]
			deleters = roles(spec["delete"])
			for role in ROLES:
				fresh = role in deleters and not spec["blocked"]
				target = self.world.clone(key) if fresh else self.name(key)
				frappe.db.commit()
				reply = self.clients[role].delete(f"/api/resource/{doctype}/{target}")
				frappe.db.rollback()
				exists = bool(frappe.db.exists(doctype, target))
				if fresh:
					expected, ok = "deleted", reply.status == 202 and not exists
				elif role in deleters:
					expected, ok = spec["blocked"], outcome(reply) == spec["blocked"] and exists
				else:
					expected, ok = "403", reply.status == 403 and exists
				cells.check(ok, role, "DELETE /api/resource/<doc>", key, expected, reply, f"exists: {exists}")
		cells.done()

	# -- 11. refusals carry no traceback ------------------------------------------------------------------

	def test_11_refusals_are_clean(self):
		"""A refusal tells the caller no more than that: no traceback (with the code, the query and the
		values it ran on) in the body, whichever door refused."""
		cells = Cells(self, "clean refusal")
		refusals = {
			"GET /api/resource/<doc>": (
				"dealer_a",
				lambda c: c.get(f"/api/resource/Deal Registration/{self.name('dr_b')}"),
			),
			"GET /api/resource": ("dealer_a", lambda c: c.get("/api/resource/Customer")),
			"frappe.client.get_list": (
				"sales_a",
				lambda c: c.call("frappe.client.get_list", doctype="Telesales Call"),
			),
			"frappe.client.get_count": (
				"dealer_b",
				lambda c: c.call("frappe.client.get_count", doctype="Sales Invoice"),
			),
			"frappe.desk.reportview.get": (
				"sub_a",
				lambda c: c.call(
					"frappe.desk.reportview.get",
					doctype="Sales Team",
					parent_doctype="Sales Invoice",
					fields=["parent"],
				),
			),
			"PUT /api/resource/<doc>": (
				"sales_a",
				lambda c: c.put(f"/api/resource/Customer/{self.name('cust_b')}", {}),
			),
			"DELETE /api/resource/<doc>": (
				"telesales",
				lambda c: c.delete(f"/api/resource/Telesales Call/{self.name('call_b')}"),
			),
			"query_report.run": (
				"dealer_b",
				lambda c: c.call(
					"frappe.desk.query_report.run",
					report_name="Dealer Performance",
					filters={"from_date": YEAR_START, "to_date": today()},
				),
			),
			"printview.get_html_and_style": (
				"sales_b",
				lambda c: c.call(
					"frappe.www.printview.get_html_and_style", doc="Customer", name=self.name("cust_a")
				),
			),
			"register_deal": (
				"sales_a",
				lambda c: c.call(METHODS["register_deal"][0], **self.method_args("register_deal", "sales_a")),
			),
		}
		for door, (role, send) in refusals.items():
			reply = send(self.clients[role])
			cells.check(
				reply.status == 403 and "Traceback" not in reply.text,
				role,
				door,
				"refused",
				"403 without a traceback",
				reply,
			)
		cells.done()

	# -- 12. what a report links, its users may read ------------------------------------------------------

	def test_12_report_link_columns(self):
		"""Frappe's report runner refuses the whole report (403 "No permission to read X") as soon as one
		row has a value in a Link column to a doctype the user may not read. So every Link column of
		every app report must point at a doctype each role that runs the report may read, whatever rows a
		given day happens to produce (the runs in test_04 only meet the columns that have values)."""
		cells = Cells(self, "report column")
		for report, (allowed, filters) in REPORTS.items():
			module = frappe.db.get_value("Report", report, "module")
			if module not in frappe.get_module_list("sales_reengineering"):
				continue
			execute = frappe.get_attr(
				f"sales_reengineering.{frappe.scrub(module)}.report.{frappe.scrub(report)}.{frappe.scrub(report)}.execute"
			)
			columns = execute(frappe._dict(self.values("sales_manager", filters)))[0]
			linked = sorted(
				{c["options"] for c in columns if isinstance(c, dict) and c.get("fieldtype") == "Link"}
			)
			for role in sorted(roles(allowed)):
				empty = REPORT_LINKS_LEFT_EMPTY.get((report, role), set())
				unreadable = [
					dt
					for dt in linked
					if dt not in empty and not frappe.has_permission(dt, "read", user=self.world.users[role])
				]
				cells.check(
					not unreadable,
					role,
					"report Link columns",
					report,
					"readable",
					None,
					f"links {unreadable}, which the role may not read",
				)
		cells.done()
