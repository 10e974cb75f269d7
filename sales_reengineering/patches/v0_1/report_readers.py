"""System Manager reads the sales records the app's reports link to, and Channel Manager reads Items
(price exceptions and sell-through list them). Idempotent: rows that exist are left alone."""

from sales_reengineering.setup.roles import grant_erpnext_permissions


def execute():
	grant_erpnext_permissions()
