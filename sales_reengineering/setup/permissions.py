"""Permission checks shared across the app."""

import frappe

DESK_ROLES = (
	"System Manager",
	"Sales Manager",
	"Sales User",
	"Sales Assistant",
	"Telesales Agent",
	"Channel Manager",
)


def has_app_permission() -> bool:
	"""Show the app on the apps screen only to staff who work in it (never to dealers)."""
	return bool(set(frappe.get_roles()) & set(DESK_ROLES))
