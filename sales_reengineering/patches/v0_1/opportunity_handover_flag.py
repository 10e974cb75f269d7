import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from sales_reengineering.customer_intelligence.ownership import refresh_handover_flags
from sales_reengineering.setup.custom_fields import CUSTOM_FIELDS


def execute():
	"""Opportunity gets the Needs Handover flag the Customer has; then flag the open opportunities of
	inactive salespeople. Only the new field is created, so an admin's edits to the others stay."""
	field = next(df for df in CUSTOM_FIELDS["Opportunity"] if df["fieldname"] == "sr_needs_handover")
	create_custom_fields({"Opportunity": [field]}, ignore_validate=True)
	frappe.clear_cache(doctype="Opportunity")
	refresh_handover_flags()
