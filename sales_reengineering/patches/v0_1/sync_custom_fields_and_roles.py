from sales_reengineering.install import sync_setup


def execute():
	"""Bring custom fields, roles and their rights on ERPNext doctypes up to the current definitions."""
	sync_setup()
