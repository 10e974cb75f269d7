"""Small factories shared by the integration tests."""

import frappe


def make_user(email: str, roles: list[str], user_type: str = "System User") -> str:
	"""A user with exactly `roles` (created once, roles reset on every call)."""
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "user_type": user_type}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.flags.no_welcome_mail = True
	# callable while a test runs as a restricted user
	user.flags.ignore_permissions = True
	user.set("roles", [])
	user.add_roles(*roles)
	return email
