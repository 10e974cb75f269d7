"""Roles this app adds, and what they may do on ERPNext's own doctypes.

Permissions on this app's doctypes live in each doctype's JSON. Rights on ERPNext doctypes are granted
here as Custom DocPerm rows, so that Role Permissions Manager shows them and an administrator can change
them without code; `remove_roles` takes them away again on uninstall.
"""

import frappe
from frappe.permissions import setup_custom_perms

# role name -> desk access. "Dealer" is a website (portal) role with no desk access.
ROLES: dict[str, int] = {
	"Sales Assistant": 1,
	"Telesales Agent": 1,
	"Channel Manager": 1,
	# order desk and warehouse staff: process orders for every customer (scope.ORDER_DESK_ROLE)
	"Order Desk": 1,
	"Dealer": 0,
}

_READ = ("read", "report", "print", "email")
_EDIT = (*_READ, "write", "create")
_PROCESS = (*_EDIT, "submit", "cancel", "amend")

# doctype -> role -> rights (permlevel 0)
ERPNEXT_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
	"Customer": {
		"Sales Assistant": (*_EDIT, "export"),
		"Telesales Agent": _READ,
		"Channel Manager": _EDIT,
		"Order Desk": _READ,
	},
	"Contact": {
		"Sales Assistant": _EDIT,
		"Telesales Agent": ("read", "write", "create"),
		"Channel Manager": _EDIT,
		"Order Desk": _READ,
	},
	"Address": {
		"Sales Assistant": _EDIT,
		"Telesales Agent": ("read",),
		"Channel Manager": _EDIT,
		"Order Desk": _READ,
	},
	"Opportunity": {
		"Sales Assistant": _READ,
		"Telesales Agent": _EDIT,
		"Channel Manager": (*_READ, "write"),
	},
	"Quotation": {
		"Sales Assistant": _READ,
		"Telesales Agent": _EDIT,
		"Channel Manager": _READ,
		"Order Desk": _PROCESS,
	},
	"Sales Order": {
		"Sales Assistant": _READ,
		"Telesales Agent": _READ,
		"Channel Manager": _READ,
		"Order Desk": _PROCESS,
	},
	"Delivery Note": {
		"Order Desk": _PROCESS,
	},
	"Sales Invoice": {
		# ERPNext gives Sales User no read on invoices; the app's per-salesperson rule
		# (scope.customers) limits them to their own customers' and sales-team invoices
		"Sales User": _READ,
		"Sales Assistant": _READ,
		"Telesales Agent": _READ,
		"Channel Manager": _READ,
		# the order desk drafts invoices; submitting one (posting it to the ledger) stays with accounts
		"Order Desk": _EDIT,
	},
	"Contract": {
		"Sales User": _READ,
		"Sales Assistant": _EDIT,
		"Channel Manager": _EDIT,
	},
	"Sales Partner": {
		"Channel Manager": _EDIT,
	},
	"Pricing Rule": {
		"Channel Manager": _EDIT,
	},
	"Sales Person": {
		"Sales Assistant": ("read",),
		"Telesales Agent": ("read",),
		"Channel Manager": ("read",),
	},
	"Territory": {
		"Sales Assistant": ("read",),
		"Telesales Agent": ("read",),
		"Channel Manager": ("read",),
	},
	"Sales Stage": {
		# ERPNext gives only Sales Manager read: a salesperson picking a stage got a 403 from the link check
		"Sales User": ("read",),
		"Sales Assistant": ("read",),
		"Telesales Agent": ("read",),
		"Channel Manager": ("read",),
	},
	# dealer support requests (ERPNext's Issue with the app's sr_dealer): a dealer raises and reads those of
	# its branch (scope.dealers narrows them), the channel manager handles them; the account manager they
	# are assigned to gets the one request shared with him (channel.support)
	"Issue": {
		"Dealer": ("read", "create"),
		"Channel Manager": _EDIT,
	},
	# market development funds are applied for per fiscal year (a link on the form and the report's filter)
	"Fiscal Year": {
		"Channel Manager": ("read",),
	},
	# price policies, exceptions and sell-through are per item
	"Item": {
		"Channel Manager": ("read",),
	},
	# the reports' Company filter (issue 14, item 10) is a link the desk checks: ERPNext lets Sales User
	# read Company, not the app's other desk roles, who got "no permission for Company" on opening them
	"Company": {
		"Sales Assistant": ("read",),
		"Telesales Agent": ("read",),
		"Channel Manager": ("read",),
		"Order Desk": ("read",),
	},
}
# The app's reports are for System Manager too, and Frappe's report runner asks for read access to
# every doctype their columns link to: an administrator with only System Manager reads (not edits) the
# sales records the reports show. The scope treats System Manager as seeing everything.
for _doctype in (
	"Customer",
	"Opportunity",
	"Quotation",
	"Sales Order",
	"Sales Invoice",
	"Contract",
	"Sales Person",
	"Territory",
	"Sales Stage",
	"Item",
):
	ERPNEXT_PERMISSIONS.setdefault(_doctype, {})["System Manager"] = _READ

# the flags compared when deciding whether a doctype's custom permissions are back to standard
_PERM_FLAGS = (
	"read",
	"write",
	"create",
	"delete",
	"submit",
	"cancel",
	"amend",
	"report",
	"export",
	"import",
	"share",
	"print",
	"email",
	"if_owner",
	"select",
)


def create_roles() -> None:
	for role_name, desk_access in ROLES.items():
		if frappe.db.exists("Role", role_name):
			frappe.db.set_value("Role", role_name, "desk_access", desk_access)
			continue
		frappe.get_doc(
			{"doctype": "Role", "role_name": role_name, "desk_access": desk_access, "is_custom": 0}
		).insert(ignore_permissions=True)


def grant_erpnext_permissions() -> None:
	"""Add our roles' rows to ERPNext doctypes; rows an administrator already has are left alone.

	The roles are made first: a patch that grants rights may run before the patch that adds a new role
	(on an upgrade, patches run before after_migrate's create_roles), and a row naming a missing role
	fails its link check and stops the migrate."""
	create_roles()
	for doctype, by_role in ERPNEXT_PERMISSIONS.items():
		if not frappe.db.exists("DocType", doctype):
			continue
		setup_custom_perms(doctype)
		for role, rights in by_role.items():
			if frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0}):
				continue
			perm = frappe.get_doc(
				{
					"doctype": "Custom DocPerm",
					"parent": doctype,
					"parenttype": "DocType",
					"parentfield": "permissions",
					"role": role,
					"permlevel": 0,
					**{right: 1 for right in rights},
				}
			)
			perm.insert(ignore_permissions=True)
		frappe.clear_cache(doctype=doctype)


def remove_roles() -> None:
	"""Undo `create_roles` and `grant_erpnext_permissions`.

	A doctype whose remaining custom permissions equal its standard ones is reset to standard, so that
	uninstalling leaves ERPNext as it was; an administrator's own changes are kept."""
	roles = list(ROLES)
	frappe.db.delete("Custom DocPerm", {"role": ("in", roles)})
	for doctype, by_role in ERPNEXT_PERMISSIONS.items():
		# rows granted to ERPNext's own roles, where ERPNext itself has none
		for role in set(by_role) - set(roles):
			if not frappe.db.exists("DocPerm", {"parent": doctype, "role": role, "permlevel": 0}):
				frappe.db.delete("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0})
		if _custom_perms_are_standard(doctype):
			frappe.db.delete("Custom DocPerm", {"parent": doctype})
		frappe.clear_cache(doctype=doctype)
	frappe.db.delete("Has Role", {"role": ("in", roles)})
	frappe.db.delete("DocPerm", {"role": ("in", roles)})
	for role in roles:
		if frappe.db.exists("Role", role):
			frappe.delete_doc("Role", role, force=True, ignore_permissions=True)


def _custom_perms_are_standard(doctype: str) -> bool:
	fields = ["role", "permlevel", *_PERM_FLAGS]

	def rows(table: str) -> set[tuple]:
		return {
			tuple(row.get(f) or 0 for f in fields)
			for row in frappe.get_all(table, filters={"parent": doctype}, fields=fields)
		}

	return rows("Custom DocPerm") == rows("DocPerm")
