# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

ALL_ACCESS_ROLES = ("System Manager", "Sales Manager")


class SalesReminderLog(Document):
	"""One reminder sent to one user for one occurrence; written only by the reminder engine."""


def sees_all(user: str) -> bool:
	return user == "Administrator" or bool(set(ALL_ACCESS_ROLES) & set(frappe.get_roles(user)))


def get_permission_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if sees_all(user):
		return ""
	return f"`tabSales Reminder Log`.`recipient` = {frappe.db.escape(user)}"


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool:
	user = user or frappe.session.user
	return sees_all(user) or doc.recipient == user
