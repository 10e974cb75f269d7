"""Checks that scripts/test.sh runs around a real install and uninstall.

`bench --site S execute sales_reengineering.setup.verify.verify_uninstalled` raises (and so exits non-zero)
when anything this app adds outlives `bench uninstall-app`, or when ERPNext no longer works.
"""

import frappe
from frappe.model import no_value_fields

from sales_reengineering.setup.custom_fields import CUSTOM_FIELDS
from sales_reengineering.setup.roles import ERPNEXT_PERMISSIONS, ROLES

APP = "sales_reengineering"


class VerificationFailed(Exception):
	pass


def _app_modules() -> list[str]:
	return frappe.get_module_list(APP)


def _leftovers() -> list[str]:
	found = []
	for doctype, fields in CUSTOM_FIELDS.items():
		for df in fields:
			if frappe.db.exists("Custom Field", {"dt": doctype, "fieldname": df["fieldname"]}):
				found.append(f"Custom Field {doctype}.{df['fieldname']}")
			if frappe.db.has_column(doctype, df["fieldname"]):
				found.append(f"column {doctype}.{df['fieldname']}")
	for role in ROLES:
		if frappe.db.exists("Role", role):
			found.append(f"Role {role}")
		if frappe.db.exists("Custom DocPerm", {"role": role}):
			found.append(f"Custom DocPerm for {role}")
	from sales_reengineering.setup.report_access import app_report_restrictions

	found += [f"Custom Role {name}" for name in app_report_restrictions()]
	modules = _app_modules()
	# a workflow left on a doctype that no longer exists (ours are dropped on uninstall)
	for wf in frappe.get_all("Workflow", fields=["name", "document_type"]):
		if not frappe.db.exists("DocType", wf.document_type):
			found.append(f"Workflow {wf.name}")
	for doctype in ("DocType", "Workspace", "Report", "Module Def"):
		field = "name" if doctype == "Module Def" else "module"
		for name in frappe.get_all(doctype, filters={field: ("in", modules)}, pluck="name"):
			found.append(f"{doctype} {name}")
	return found


def verify_uninstalled() -> None:
	if APP in frappe.get_installed_apps():
		raise VerificationFailed(f"{APP} is still installed")
	leftovers = _leftovers()
	if leftovers:
		raise VerificationFailed("uninstall left behind: " + ", ".join(leftovers))
	# ERPNext still works: its doctypes load, their lists query, and a document validates.
	for doctype in ERPNEXT_PERMISSIONS:
		frappe.get_meta(doctype)
		frappe.get_all(doctype, limit=1)
	customer = frappe.new_doc("Customer")
	customer.customer_name = "_Test SR Uninstall Check"
	customer.run_method("validate")
	print(f"OK: nothing of {APP} is left, and ERPNext works")


def verify_installed() -> None:
	missing = []
	for doctype, fields in CUSTOM_FIELDS.items():
		for df in fields:
			if df["fieldtype"] not in no_value_fields and not frappe.db.has_column(doctype, df["fieldname"]):
				missing.append(f"column {doctype}.{df['fieldname']}")
	for role, desk_access in ROLES.items():
		if frappe.db.get_value("Role", role, "desk_access") != desk_access:
			missing.append(f"Role {role} (desk access {desk_access})")
	if not frappe.db.exists("Workspace", "Sales Reengineering"):
		missing.append("Workspace Sales Reengineering")
	if missing:
		raise VerificationFailed("install is missing: " + ", ".join(missing))
	print(f"OK: {APP} is installed with its roles, custom fields and workspace")


def main(argv: list[str]) -> int:
	"""`cd sites && ../env/bin/python -m sales_reengineering.setup.verify SITE installed|uninstalled`.

	`bench execute` refuses methods of an app the site does not have, so the uninstall check runs here."""
	site, what = argv
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	try:
		{"installed": verify_installed, "uninstalled": verify_uninstalled}[what]()
	except VerificationFailed as e:
		print(f"FAILED: {e}")
		return 1
	finally:
		frappe.destroy()
	return 0


if __name__ == "__main__":
	import sys

	sys.exit(main(sys.argv[1:]))
