"""Who sees which targets and scores.

Sales Managers and System Managers see everything. Anyone else sees the tasks and scorecards of the
Sales Persons linked to their user (Sales Person → Employee → User) and of everyone below them in the
Sales Person tree, plus what they created themselves; Channel Managers also see dealer tasks.
"""

import frappe

from sales_reengineering.scope import for_user


def sales_persons_of(user: str) -> list[str]:
	"""The enabled Sales Persons linked to `user`, each with its whole subtree, by the same rule as
	customers and opportunities."""
	scope = for_user(user)
	if scope.team is None:
		from sales_reengineering.scope.people import get_subtree, get_user_sales_persons

		return get_subtree(get_user_sales_persons(user))
	return list(scope.team)


def sees_everything(user: str | None = None) -> bool:
	return for_user(user).sees_all


def _condition(table: str, user: str | None) -> str:
	scope = for_user(user)
	if scope.sees_all:
		return ""
	parts = [f"`tab{table}`.`owner` = {frappe.db.escape(scope.user)}"]
	if scope.team:
		names = ", ".join(frappe.db.escape(name) for name in scope.team)
		parts.append(
			f"(`tab{table}`.`assignee_type` = 'Sales Person' and `tab{table}`.`assignee` in ({names}))"
		)
	if scope.channel_manager:
		parts.append(f"`tab{table}`.`assignee_type` = 'Dealer'")
	return "(" + " or ".join(parts) + ")"


READ_RIGHTS = ("read", "print", "email", "report", "export", "share", "select")


def _allowed(doc, ptype: str | None, user: str | None) -> bool:
	"""Writing needs the assignee in the user's subtree; reading is also allowed to the creator."""
	scope = for_user(user)
	if scope.sees_all:
		return True
	if doc.assignee_type == "Dealer":
		return scope.channel_manager
	if doc.assignee and scope.sees_sales_person(doc.assignee):
		return True
	return (ptype or "read") in READ_RIGHTS and doc.owner == scope.user


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
	team = for_user(user).team
	return None if team is None else set(team)


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
	scope = for_user(user)
	if scope.sees_all:
		return ""
	table = "`tabKPI Manual Entry`"
	parts = []
	if scope.team:
		names = ", ".join(frappe.db.escape(name) for name in scope.team)
		parts.append(f"({table}.`party_type` = 'Sales Person' and {table}.`party` in ({names}))")
	if scope.channel_manager:
		parts.append(f"{table}.`party_type` = 'Dealer'")
	return "(" + " or ".join(parts) + ")" if parts else "1=0"


def manual_entry_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	scope = for_user(user)
	if scope.sees_all:
		return True
	if doc.party_type == "Dealer":
		return scope.channel_manager
	return scope.sees_sales_person(doc.party)
