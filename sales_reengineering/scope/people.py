"""The Sales Person tree: whose salesperson a user is, and which salespeople's records they see.

A user is tied to Sales Persons through ERPNext's own link: Sales Person.employee -> Employee.user_id.
A salesperson sees their own records, a manager (a group node of the Sales Person tree) also their
subtree's. Sales Manager and System Manager see everything (`scope.for_user`).
"""

import frappe
from frappe.query_builder import Criterion


def sees_all(user: str | None = None) -> bool:
	from sales_reengineering.scope import for_user

	return for_user(user).sees_all


def get_user_sales_persons(user: str | None = None) -> list[str]:
	"""Enabled Sales Persons whose employee record belongs to `user`."""
	user = user or frappe.session.user
	sales_person = frappe.qb.DocType("Sales Person")
	employee = frappe.qb.DocType("Employee")
	rows = (
		frappe.qb.from_(sales_person)
		.join(employee)
		.on(employee.name == sales_person.employee)
		.select(sales_person.name)
		.where((employee.user_id == user) & (sales_person.enabled == 1))
	).run(pluck=True)
	return list(rows)


def get_users_of_sales_persons(sales_persons: list[str]) -> dict[str, str]:
	"""{sales person: user} through Sales Person -> Employee -> User, in one query; people without a
	user are left out."""
	if not sales_persons:
		return {}
	sales_person = frappe.qb.DocType("Sales Person")
	employee = frappe.qb.DocType("Employee")
	rows = (
		frappe.qb.from_(sales_person)
		.join(employee)
		.on(employee.name == sales_person.employee)
		.select(sales_person.name, employee.user_id)
		.where(sales_person.name.isin(sales_persons) & employee.user_id.isnotnull())
	).run()
	return dict(rows)


def get_subtree(sales_persons: list[str]) -> list[str]:
	"""The given Sales Persons and all their descendants, in one query."""
	if not sales_persons:
		return []
	node = frappe.qb.DocType("Sales Person")
	child = frappe.qb.DocType("Sales Person").as_("child")
	rows = (
		frappe.qb.from_(child)
		.join(node)
		.on((child.lft >= node.lft) & (child.rgt <= node.rgt))
		.select(child.name)
		.distinct()
		.where(node.name.isin(sales_persons))
	).run(pluck=True)
	return sorted(set(rows))


def get_visible_sales_persons(user: str | None = None) -> list[str] | None:
	"""None when the user sees every salesperson's records, else the (possibly empty) list they see."""
	from sales_reengineering.scope import for_user

	team = for_user(user).team
	return None if team is None else list(team)


def restrict_to_sales_persons(field, user: str | None = None):
	"""A query-builder criterion limiting `field` to what `user` may see (None: no restriction)."""
	visible = get_visible_sales_persons(user)
	if visible is None:
		return None
	if not visible:
		return Criterion.all([field.isnull(), field.notnull()])  # always false
	return field.isin(visible)


def sales_person_condition(table: str, fieldname: str, user: str | None = None) -> str:
	"""SQL WHERE fragment for `permission_query_conditions`: '' when the user sees everything."""
	visible = get_visible_sales_persons(user)
	if visible is None:
		return ""
	if not visible:
		return "1=0"
	values = ", ".join(frappe.db.escape(name) for name in visible)
	return f"`tab{table}`.`{fieldname}` in ({values})"


def can_see_sales_person(sales_person: str | None, user: str | None = None) -> bool:
	visible = get_visible_sales_persons(user)
	return visible is None or (bool(sales_person) and sales_person in visible)
