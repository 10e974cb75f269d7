"""Install, migrate and uninstall hooks.

Everything this app adds outside its own doctypes (custom fields, roles and their rights on ERPNext
doctypes) is created here and removed again in `before_uninstall`, so that `bench uninstall-app`
leaves ERPNext as it found it. Frappe itself drops this app's doctypes, workspace and module defs.
"""

import click
import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from sales_reengineering.setup.custom_fields import CUSTOM_FIELDS
from sales_reengineering.setup.indexes import add_indexes, remove_indexes
from sales_reengineering.setup.report_access import remove_report_restrictions, restrict_erpnext_reports
from sales_reengineering.setup.roles import create_roles, grant_erpnext_permissions, remove_roles

SETTINGS = "Sales Reengineering Settings"


def after_install() -> None:
	sync_setup()
	store_default_settings()
	hide_tracebacks()
	add_indexes()
	click.secho("Sales Reengineering installed.", fg="green")


def after_migrate() -> None:
	# Roles are cheap to check and an administrator may have deleted one by mistake; custom fields
	# change only through patches (see patches.txt), so that an admin's field edits are not overwritten.
	create_roles()
	# ERPNext may ship new reports on customer data with an upgrade
	restrict_erpnext_reports()


def sync_setup() -> None:
	"""Idempotent: roles, their rights on ERPNext doctypes, and custom fields."""
	create_roles()
	grant_erpnext_permissions()
	create_custom_fields(CUSTOM_FIELDS, ignore_validate=True)
	restrict_erpnext_reports()
	# -- channel --
	from sales_reengineering.channel.setup import create_workflows

	create_workflows()
	# -- performance --
	from sales_reengineering.performance.setup import sync as sync_performance

	sync_performance()
	# -- customer intelligence --
	from sales_reengineering.customer_intelligence.setup import after_sync as sync_customer_intelligence

	sync_customer_intelligence()
	# -- reminders --
	from sales_reengineering.reminders.setup import after_sync as sync_reminders

	sync_reminders()


def hide_tracebacks() -> None:
	"""Frappe sends the full traceback of every error, even a clean refusal, to the caller unless
	"Show Full Error" is off in System Settings. Dealers and salespeople must never see one, so the app
	turns it off once, at install; an administrator may turn it back on to debug."""
	frappe.db.set_single_value("System Settings", "allow_error_traceback", 0)


def store_default_settings() -> None:
	"""Write the single's defaults to the database, so that `get_single_value` sees them at once."""
	settings = frappe.get_single(SETTINGS)
	for df in settings.meta.fields:
		if df.default and settings.get(df.fieldname) in (None, ""):
			settings.set(df.fieldname, df.default)
	settings.flags.ignore_permissions = True
	settings.save()


def before_uninstall() -> None:
	delete_workflows()
	# -- reminders --
	from sales_reengineering.reminders.setup import remove_shipped_records

	remove_shipped_records()
	remove_indexes()
	delete_custom_fields(CUSTOM_FIELDS)
	remove_report_restrictions()
	remove_roles()


def delete_workflows() -> None:
	"""Workflows on this app's doctypes: Frappe drops the doctypes but not the workflows naming them."""
	modules = frappe.get_module_list("sales_reengineering")
	doctypes = frappe.get_all("DocType", filters={"module": ("in", modules)}, pluck="name")
	for name in frappe.get_all("Workflow", filters={"document_type": ("in", doctypes)}, pluck="name"):
		frappe.delete_doc("Workflow", name, force=True, ignore_permissions=True)


def delete_custom_fields(custom_fields: dict[str, list[dict]]) -> None:
	for doctype, fields in custom_fields.items():
		fieldnames = [df["fieldname"] for df in fields]
		for name in frappe.get_all(
			"Custom Field", filters={"dt": doctype, "fieldname": ("in", fieldnames)}, pluck="name"
		):
			frappe.delete_doc("Custom Field", name, force=True, ignore_permissions=True)
		frappe.db.delete("Property Setter", {"doc_type": doctype, "field_name": ("in", fieldnames)})
		# Frappe keeps a deleted custom field's column; uninstalling means the data goes too.
		for fieldname in fieldnames:
			if frappe.db.has_column(doctype, fieldname):
				frappe.db.sql_ddl(f"alter table `tab{doctype}` drop column `{fieldname}`")
		frappe.clear_cache(doctype=doctype)
