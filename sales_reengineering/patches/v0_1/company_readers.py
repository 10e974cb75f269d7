"""The app's desk roles other than Sales User read Company: the reports' Company filter is a link the desk
checks, and a Sales Assistant opening Customer Transaction History got "no permission for Company".
Idempotent: rows that exist are left alone."""

from sales_reengineering.setup.roles import grant_erpnext_permissions


def execute():
	grant_erpnext_permissions()
