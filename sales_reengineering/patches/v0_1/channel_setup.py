from sales_reengineering.install import sync_setup


def execute():
	"""Channel module: create the Dealer lifecycle and Deal Registration approval workflows (only when
	missing) and bring roles, their rights and custom fields up to date."""
	sync_setup()
