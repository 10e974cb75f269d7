from sales_reengineering.customer_intelligence.ownership import refresh_handover_flags


def execute():
	"""Dealers get the Needs Handover flag customers and opportunities have (the field comes with the
	Dealer doctype): flag the dealers whose account manager is disabled or has left. Idempotent."""
	refresh_handover_flags()
