"""Frappe's generic endpoints, made to ask the scope.

`frappe.client.get_count` in Frappe v15 counts with `frappe.db.count`, which applies no permission at all:
any logged-in user could count another dealer's registrations, filtering letter by letter on a customer
name. Here it counts through `frappe.get_list`, which applies the role permissions, User Permissions and
every `permission_query_conditions` hook (child tables included), exactly as the list view does.
"""

import frappe
from frappe import _
from frappe.model.db_query import check_parent_permission
from frappe.utils import get_safe_filters


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug: bool = False, cache: bool = False, parent: str | None = None) -> int:
	if not isinstance(doctype, str) or not frappe.db.exists("DocType", doctype):
		frappe.throw(_("DocType {0} not found").format(str(doctype)[:140]), frappe.DoesNotExistError)
	filters = get_safe_filters(filters)
	if frappe.get_meta(doctype).istable:
		parent = parent or _parenttype_of(filters)
		if not parent:
			frappe.throw(
				_("Please specify a valid parent DocType for {0}").format(_(doctype)), frappe.PermissionError
			)
		check_parent_permission(parent, doctype)
	rows = frappe.get_list(
		doctype,
		filters=filters,
		fields=[f"count(distinct `tab{doctype}`.`name`) as total"],
		parent_doctype=parent,
		order_by=None,
		limit_page_length=0,
	)
	return rows[0].total if rows else 0


def _parenttype_of(filters) -> str | None:
	if isinstance(filters, dict):
		value = filters.get("parenttype")
		return value if isinstance(value, str) else None
	for condition in filters or []:
		if isinstance(condition, list | tuple) and len(condition) >= 3:
			field, operator, value = condition[-3:]
			if field == "parenttype" and operator == "=" and isinstance(value, str):
				return value
	return None
