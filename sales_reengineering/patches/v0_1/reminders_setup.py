from sales_reengineering.install import sync_setup


def execute():
	"""Reminders module: seed the reminder rules (only while the settings have none), the digest e-mail
	templates, the approval notifications and the price exception workflow (each only when missing)."""
	sync_setup()
