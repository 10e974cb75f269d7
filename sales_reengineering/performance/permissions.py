"""Who sees which targets and scores.

Sales Managers and System Managers see everything. Anyone else sees the tasks and scorecards of the
Sales Persons linked to their user (Sales Person → Employee → User) and of everyone below them in the
Sales Person tree, plus what they created themselves; Channel Managers also see dealer tasks.
"""

import frappe

from sales_reengineering.customer_intelligence.access import get_subtree, get_user_sales_persons

ALL_ACCESS_ROLES = ("System Manager", "Sales Manager")


def sales_persons_of(user: str) -> list[str]:
	"""The enabled Sales Persons linked to `user`, each with its whole subtree (two queries), by the same
	rule as customers and opportunities (customer_intelligence.access)."""
	return get_subtree(get_user_sales_persons(user))


def sees_everything(user: str) -> bool:
	return user == "Administrator" or bool(set(frappe.get_roles(user)) & set(ALL_ACCESS_ROLES))


def _condition(table: str, user: str | None) -> str:
	user = user or frappe.session.user
	if sees_everything(user):
		return ""
	parts = [f"`tab{table}`.`owner` = {frappe.db.escape(user)}"]
	people = sales_persons_of(user)
	if people:
		names = ", ".join(frappe.db.escape(name) for name in people)
		parts.append(
			f"(`tab{table}`.`assignee_type` = 'Sales Person' and `tab{table}`.`assignee` in ({names}))"
		)
	if "Channel Manager" in frappe.get_roles(user):
		parts.append(f"`tab{table}`.`assignee_type` = 'Dealer'")
	return "(" + " or ".join(parts) + ")"


READ_RIGHTS = ("read", "print", "email", "report", "export", "share", "select")


def _allowed(doc, ptype: str | None, user: str | None) -> bool:
	"""Writing needs the assignee in the user's subtree; reading is also allowed to the creator."""
	user = user or frappe.session.user
	if sees_everything(user):
		return True
	if doc.assignee_type == "Dealer":
		return "Channel Manager" in frappe.get_roles(user)
	if doc.assignee and doc.assignee in sales_persons_of(user):
		return True
	return (ptype or "read") in READ_RIGHTS and doc.owner == user


def sales_task_query(user: str | None = None) -> str:
	return _condition("Sales Task", user)


def scorecard_query(user: str | None = None) -> str:
	return _condition("KPI Scorecard", user)


def sales_task_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	return _allowed(doc, ptype, user)


def scorecard_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	return _allowed(doc, ptype, user)


def visible_sales_persons(user: str | None = None) -> set[str] | None:
	"""The Sales Persons whose figures `user` may see in reports; None means all of them."""
	user = user or frappe.session.user
	if sees_everything(user):
		return None
	return set(sales_persons_of(user))


def check_sales_person_filter(sales_person: str | None, user: str | None = None) -> set[str] | None:
	"""Raise PermissionError when a report is asked for a Sales Person outside the user's subtree."""
	visible = visible_sales_persons(user)
	if sales_person and visible is not None and sales_person not in visible:
		frappe.throw(frappe._("You may only see the figures of your own team."), frappe.PermissionError)
	return visible


# --- KPI Manual Entry --------------------------------------------------------------------------------
# A restricted user sees the entries of the Sales Persons of their subtree (themselves included);
# Channel Managers also see dealer entries. Sales Ranking has no hook: rankings are published to the
# whole sales force on purpose (see the doctype's description).


def manual_entry_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	if sees_everything(user):
		return ""
	table = "`tabKPI Manual Entry`"
	parts = []
	people = sales_persons_of(user)
	if people:
		names = ", ".join(frappe.db.escape(name) for name in people)
		parts.append(f"({table}.`party_type` = 'Sales Person' and {table}.`party` in ({names}))")
	if "Channel Manager" in frappe.get_roles(user):
		parts.append(f"{table}.`party_type` = 'Dealer'")
	return "(" + " or ".join(parts) + ")" if parts else "1=0"


def manual_entry_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	if sees_everything(user):
		return True
	if doc.party_type == "Dealer":
		return "Channel Manager" in frappe.get_roles(user)
	return bool(doc.party) and doc.party in sales_persons_of(user)
