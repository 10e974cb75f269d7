"""Performance module: apply custom fields and roles, and ship the built-in KPI indicators, the Sales
Task approval workflow and the default reward tiers (each only when missing)."""

from sales_reengineering.install import sync_setup


def execute():
	sync_setup()
