"""Sales Users read Sales Stage (ERPNext gives only Sales Manager read): on a site installed before that
grant, a salesperson picking a stage on an opportunity got a 403 from the desk's link check.
Idempotent: rows that exist are left alone."""

from sales_reengineering.setup.roles import grant_erpnext_permissions


def execute():
	grant_erpnext_permissions()
