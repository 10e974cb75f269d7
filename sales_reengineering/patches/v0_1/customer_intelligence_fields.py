import frappe

from sales_reengineering.customer_intelligence.completeness import enqueue_recompute_all
from sales_reengineering.customer_intelligence.ownership import refresh_handover_flags
from sales_reengineering.install import sync_setup


def execute():
	"""Customer intelligence: assistant, completeness and handover fields on Customer; then flag the
	accounts of inactive salespeople and score every customer in the background."""
	sync_setup()
	frappe.clear_cache(doctype="Customer")
	refresh_handover_flags()
	enqueue_recompute_all()
