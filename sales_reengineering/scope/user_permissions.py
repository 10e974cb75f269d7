"""Frappe's User Permissions (Setup > User Permission) in the app's reports.

List views apply them; script reports do not by themselves (Frappe's report runner only drops rows whose
*link columns* fail them, so sums over hidden rows still count). Every report adds `criterion(...)` to
its base query for the Company, Territory and Customer columns its tables have, the way ERPNext's list
views treat them:

- a permission without "Applicable For" (or applicable to the report's reference doctype) counts;
- tree doctypes (Territory, Customer Group) include their descendants unless "Hide Descendants" is set
  (Frappe's `get_user_permissions` already expands them);
- an empty value passes unless "Apply Strict User Permissions" is set in System Settings.
"""

import frappe
from frappe.query_builder import Criterion

# the doctypes whose User Permissions the app's reports honour
HONOURED = ("Company", "Territory", "Customer")


def allowed_values(doctype: str, user: str | None = None, reference_doctype: str | None = None) -> list[str] | None:
	"""The names of `doctype` the user is limited to, or None when no User Permission limits them."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	permissions = frappe.permissions.get_user_permissions(user).get(doctype)
	if not permissions:
		return None
	values = [
		row.get("doc")
		for row in permissions
		if not row.get("applicable_for") or row.get("applicable_for") == reference_doctype
	]
	return values or None


def criterion(columns: dict, user: str | None = None, reference_doctype: str | None = None):
	"""A query-builder criterion for {doctype: column}, e.g. {"Company": invoice.company, "Customer":
	invoice.customer}; None when nothing limits the user."""
	strict = frappe.get_system_settings("apply_strict_user_permissions")
	parts = []
	for doctype, column in columns.items():
		values = allowed_values(doctype, user, reference_doctype)
		if values is None:
			continue
		allowed = column.isin(values)
		parts.append(allowed if strict else (allowed | column.isnull() | (column == "")))
	return Criterion.all(parts) if parts else None


def apply(query, columns: dict, user: str | None = None, reference_doctype: str | None = None):
	"""`query` with `criterion(columns)` added when there is one."""
	condition = criterion(columns, user, reference_doctype)
	return query.where(condition) if condition is not None else query
