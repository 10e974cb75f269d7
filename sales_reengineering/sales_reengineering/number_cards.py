"""Number cards of the administrator's desk."""

import frappe


@frappe.whitelist()
def salespeople_without_login(filters: str | dict | None = None) -> dict:
	"""Enabled salespeople (not team nodes) whose Sales Person has no Employee with a user: they cannot
	log in to see their tasks, customers and scores, and their reminders reach nobody."""
	# an administrator's question (who has no login yet), also for those who manage salespeople
	if "System Manager" not in frappe.get_roles():
		frappe.has_permission("Sales Person", "read", throw=True)
	sales_person = frappe.qb.DocType("Sales Person")
	employee = frappe.qb.DocType("Employee")
	count = (
		frappe.qb.from_(sales_person)
		.left_join(employee)
		.on(employee.name == sales_person.employee)
		.select(frappe.query_builder.functions.Count("*"))
		.where(
			(sales_person.enabled == 1)
			& (sales_person.is_group == 0)
			& (employee.user_id.isnull() | (employee.user_id == ""))
		)
	).run()[0][0]
	return {"value": count, "fieldtype": "Int"}
