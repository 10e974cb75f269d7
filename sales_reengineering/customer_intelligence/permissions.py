"""permission_query_conditions / has_permission for this module's doctypes and for Customer and
Opportunity: a salesperson sees their own records, a manager their Sales Person subtree, Sales Manager
and System Manager everything (see `access.py`)."""

import frappe

from sales_reengineering.customer_intelligence.access import can_see_sales_person, sales_person_condition


def _by_sales_person(doctype: str, fieldname: str = "sales_person"):
	def query(user: str | None = None, doctype_: str | None = None) -> str:
		return sales_person_condition(doctype, fieldname, user)

	def check(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
		if doc.get("__islocal") or not doc.get("creation"):
			return None  # a record being created: the role decides, validate checks the rest
		if can_see_sales_person(doc.get(fieldname), user):
			return None  # fall through to the role permissions
		return False

	return query, check


stage_log_query, stage_log_has_permission = _by_sales_person("Opportunity Stage Log")
snapshot_query, snapshot_has_permission = _by_sales_person("Sales Progress Snapshot")
feedback_query, feedback_has_permission = _by_sales_person("Info Feedback Report")
training_query, training_has_permission = _by_sales_person("Sales Training Record")
career_plan_query, career_plan_has_permission = _by_sales_person("Career Development Plan")


# --- Customer and Opportunity -------------------------------------------------------------------------
# ERPNext lets every Sales User read every customer and opportunity. Users whose sales roles are only
# Sales User (and Sales Assistant) are narrowed to their own and their team's records; an assistant
# also sees the customers they maintain. Managers, telesales and channel staff keep ERPNext's rights.

RESTRICTED_ROLES = {"Sales User", "Sales Assistant"}
UNRESTRICTED_ROLES = {
	"System Manager",
	"Sales Manager",
	"Telesales Agent",
	"Channel Manager",
	"Administrator",
}


def _is_restricted(user: str) -> bool:
	if user == "Administrator":
		return False
	roles = set(frappe.get_roles(user))
	return bool(roles & RESTRICTED_ROLES) and not roles & UNRESTRICTED_ROLES


def _owned_condition(table: str, user: str, assistant_field: str | None) -> str:
	conditions = [sales_person_condition(table, "sr_sales_person", user) or "1=1"]
	conditions.append(f"`tab{table}`.`owner` = {frappe.db.escape(user)}")
	if assistant_field and "Sales Assistant" in frappe.get_roles(user):
		conditions.append(f"`tab{table}`.`{assistant_field}` = {frappe.db.escape(user)}")
	return "(" + " or ".join(conditions) + ")"


def customer_query(user: str | None = None, doctype_: str | None = None) -> str:
	user = user or frappe.session.user
	return _owned_condition("Customer", user, "sr_sales_assistant") if _is_restricted(user) else ""


def opportunity_query(user: str | None = None, doctype_: str | None = None) -> str:
	user = user or frappe.session.user
	return _owned_condition("Opportunity", user, None) if _is_restricted(user) else ""


def _owned(doc, user: str, assistant_field: str | None) -> bool:
	if doc.get("__islocal") or not doc.get("creation"):
		return True  # a record being created: the role decides
	if doc.get("owner") == user:
		return True
	if assistant_field and doc.get(assistant_field) == user and "Sales Assistant" in frappe.get_roles(user):
		return True
	return can_see_sales_person(doc.get("sr_sales_person"), user)


def customer_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if not _is_restricted(user) or _owned(doc, user, "sr_sales_assistant"):
		return None
	return False


def opportunity_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if not _is_restricted(user) or _owned(doc, user, None):
		return None
	return False


# --- Telesales Call -------------------------------------------------------------------------------------
# A Telesales Agent works their own call list; managers see every list.


def is_agent_only(user: str) -> bool:
	roles = set(frappe.get_roles(user))
	return (
		user != "Administrator"
		and "Telesales Agent" in roles
		and not roles & {"Sales Manager", "System Manager"}
	)


def telesales_call_query(user: str | None = None, doctype_: str | None = None) -> str:
	user = user or frappe.session.user
	return f"`tabTelesales Call`.`agent` = {frappe.db.escape(user)}" if is_agent_only(user) else ""


def telesales_call_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if is_agent_only(user) and doc.get("agent") != user:
		return False
	return None
