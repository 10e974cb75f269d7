"""Frappe's generic endpoints, made to ask the scope.

`frappe.client.get_count` in Frappe v15 counts with `frappe.db.count`, which applies no permission at all:
any logged-in user could count another dealer's registrations, filtering letter by letter on a customer
name. Here it counts through `frappe.get_list`, which applies the role permissions, User Permissions and
every `permission_query_conditions` hook (child tables included), exactly as the list view does.
"""

import sys

import frappe
from frappe import _
from frappe.model.db_query import check_parent_permission
from frappe.utils import get_safe_filters


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug: bool = False, cache: bool = False, parent: str | None = None) -> int:
	if not isinstance(doctype, str) or not frappe.db.exists("DocType", doctype):
		frappe.throw(_("DocType {0} not found").format(str(doctype)[:140]), frappe.DoesNotExistError)
	filters = get_safe_filters(filters)
	if isinstance(filters, str):
		filters = {"name": filters}  # not JSON: a name, as frappe.db.count reads it
	elif filters is not None and not isinstance(filters, dict | list):
		frappe.throw(_("Filters must be a JSON object or list."), frappe.ValidationError)
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


@frappe.whitelist()
@frappe.read_only()
def run_report(report_name: str, filters=None, *args, **kwargs):
	"""frappe.desk.query_report.run, except that a refusal by one of this app's reports (a translated
	ValidationError or PermissionError: a filter outside the user's scope, a malformed date) is not
	written to the Error Log as a "Report Error" with the report's local variables. Frappe logs every
	exception of a report; the people a refusal concerns must not leave their filters and data there.
	Other apps' reports, and real errors of ours, are logged as before."""
	from frappe.desk import query_report

	if not _is_own_report(report_name):
		return query_report.run(report_name, filters, *args, **kwargs)
	_install_quiet_log_error()
	frappe.local.sr_quiet_report_refusals = True  # per request (frappe.local), so thread-safe
	try:
		return query_report.run(report_name, filters, *args, **kwargs)
	finally:
		frappe.local.sr_quiet_report_refusals = False


def _install_quiet_log_error() -> None:
	"""Wrap frappe.log_error once per process; the wrapper is silent only while run_report has set the
	flag on this request and the exception being logged is a refusal."""
	if getattr(frappe.log_error, "sr_quiet", False):
		return
	log_error = frappe.log_error

	def quiet_log_error(title=None, *args, **kwargs):
		if (
			getattr(frappe.local, "sr_quiet_report_refusals", False)
			and title == "Report Error"
			and isinstance(sys.exc_info()[1], REFUSALS)
		):
			return None
		return log_error(title, *args, **kwargs)

	quiet_log_error.sr_quiet = True
	frappe.log_error = quiet_log_error


REFUSALS = (frappe.ValidationError, frappe.PermissionError)


def _is_own_report(report_name) -> bool:
	if not isinstance(report_name, str):
		return False
	module = frappe.db.get_value("Report", report_name, "module")
	return bool(module) and module in frappe.get_module_list("sales_reengineering")


@frappe.whitelist()
def update_child_qty_rate(parent_doctype, trans_items, parent_doctype_name, child_docname="items"):
	"""ERPNext's "Update Items" on a submitted order, after the customer rule: ERPNext turns a refusal
	into "You do not have permissions to update items", this says whose customer it is and whom to ask."""
	from erpnext.controllers.accounts_controller import update_child_qty_rate as update_items

	from sales_reengineering.scope.customers import check_document

	if isinstance(parent_doctype, str) and isinstance(parent_doctype_name, str):
		if frappe.db.exists(parent_doctype, parent_doctype_name):
			check_document(frappe.get_doc(parent_doctype, parent_doctype_name), "write")
	return update_items(parent_doctype, trans_items, parent_doctype_name, child_docname)


@frappe.whitelist()
def getdoc(doctype, name):
	"""frappe.desk.form.load.getdoc, whose refusal the desk shows as "Insufficient Permission for Customer
	X": when the customer rule is what refused, it shows the rule's own message (whose customer, whom to
	ask) instead. Nothing is added to a form that opens."""
	from frappe.desk.form import load

	from sales_reengineering.scope.customers import refusal_for

	try:
		return load.getdoc(doctype, name)
	except frappe.PermissionError:
		if message := refusal_for(doctype, name, "read"):
			frappe.flags.error_message = message
		raise


@frappe.whitelist()
def toggle_like(doctype, name, add=False):
	"""frappe.desk.like.toggle_like, which in Frappe v15 checks no permission: any logged-in user could
	like another dealer's fund claim or support request, which writes the record's `_liked_by`, adds a
	"Like" comment with the user's name to it, and answers differently for a name that exists and one
	that does not. Only a user who may read the record likes it; a record that does not exist is refused
	with the same message."""
	from frappe.desk import like

	if not isinstance(doctype, str) or not isinstance(name, str) or not frappe.db.exists("DocType", doctype):
		frappe.throw(_("You cannot like this document."), frappe.PermissionError)
	if frappe.get_meta(doctype).issingle:
		allowed = frappe.has_permission(doctype, "read")
	else:
		allowed = bool(frappe.db.exists(doctype, name)) and frappe.has_permission(doctype, "read", doc=name)
	if not allowed:
		frappe.throw(_("You cannot like this document."), frappe.PermissionError)
	return like._toggle_like(doctype, name, add)
