"""The Order Desk role (order desk and warehouse staff who process orders for every customer) and its
rights on Quotation, Sales Order, Delivery Note, Sales Invoice and the customers, contacts and addresses
they need. Idempotent: an existing role and rows that exist are left alone."""

from sales_reengineering.setup.roles import create_roles, grant_erpnext_permissions


def execute():
	create_roles()
	grant_erpnext_permissions()
