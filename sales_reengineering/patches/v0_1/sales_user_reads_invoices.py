"""Sales Users get read on Sales Invoice and Contract (limited to their own by the app's permission
rules), so that salespeople see their customers' transaction history. Idempotent: rows that exist are
left alone."""

from sales_reengineering.setup.roles import grant_erpnext_permissions


def execute():
	grant_erpnext_permissions()
