"""ERPNext's own script and query reports on customer data ignore `permission_query_conditions`: a
Sales User running "Sales Person-wise Transaction Summary" or "Address And Contacts" would read every
salesperson's customers. Rather than fork them, the roles that the customer rule narrows are taken off
those reports with Frappe's own `Custom Role` records (Setup > Role Permission for Page and Report),
which an administrator can edit like any other. Managers, accounts and channel staff keep them.

The reports are found, not listed: every Script or Query Report of another app whose reference doctype
follows the customer rule and that one of the narrowed roles may run.
"""

import frappe

from sales_reengineering.scope import RESTRICTED_ROLES
from sales_reengineering.scope.customers import CUSTOMER_RULES

NARROWED_ROLES = sorted(RESTRICTED_ROLES | {"Dealer"})
# Sales Manager sees every customer, so keeps every report its sales users lose
KEPT_ROLES = ("Sales Manager",)


def _own_modules() -> list[str]:
	return frappe.get_module_list("sales_reengineering")


def erpnext_reports_to_restrict() -> dict[str, list[str]]:
	"""{report: the roles it keeps} for the reports that a narrowed role may run today."""
	report = frappe.qb.DocType("Report")
	has_role = frappe.qb.DocType("Has Role")
	rows = (
		frappe.qb.from_(report)
		.join(has_role)
		.on((has_role.parent == report.name) & (has_role.parenttype == "Report"))
		.select(report.name, has_role.role)
		.where(
			report.report_type.isin(("Script Report", "Query Report"))
			& report.ref_doctype.isin(list(CUSTOMER_RULES))
			& report.module.notin(_own_modules())
		)
	).run(as_dict=True)
	roles: dict[str, list[str]] = {}
	for row in rows:
		roles.setdefault(row.name, []).append(row.role)
	return {
		name: sorted((set(kept) - set(NARROWED_ROLES)) | set(KEPT_ROLES))
		for name, kept in roles.items()
		if set(kept) & set(NARROWED_ROLES)
	}


def restrict_erpnext_reports() -> list[str]:
	"""Idempotent: a Custom Role for each such report that has none yet (an administrator's is kept)."""
	created = []
	for name, roles in erpnext_reports_to_restrict().items():
		if frappe.db.exists("Custom Role", {"report": name}):
			continue
		frappe.get_doc(
			{
				"doctype": "Custom Role",
				"report": name,
				"ref_doctype": frappe.db.get_value("Report", name, "ref_doctype"),
				"roles": [{"role": role} for role in roles],
			}
		).insert(ignore_permissions=True)
		created.append(name)
	return created


def app_report_restrictions() -> list[str]:
	"""The Custom Roles that take every narrowed role off a report that ERPNext gives one: this app's."""
	ours = []
	for name in frappe.get_all("Custom Role", filters={"report": ("is", "set")}, pluck="name"):
		doc = frappe.get_doc("Custom Role", name)
		report_roles = set(
			frappe.get_all("Has Role", filters={"parent": doc.report, "parenttype": "Report"}, pluck="role")
		)
		if report_roles & set(NARROWED_ROLES) and not {row.role for row in doc.roles} & set(NARROWED_ROLES):
			ours.append(name)
	return ours


def remove_report_restrictions() -> None:
	"""Uninstall: the reports fall back to ERPNext's own roles."""
	for name in app_report_restrictions():
		frappe.delete_doc("Custom Role", name, ignore_permissions=True, force=True)
