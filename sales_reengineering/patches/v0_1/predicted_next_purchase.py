"""Telesales that predicts: the Customer's repeat-purchase fields, the telesales factors in the settings
at the values that were hard-coded before (overdue multiple 1.5, 3 purchases, 30 days between calls),
and every customer's predicted next purchase computed once. Only the new fields are created and only
settings never saved are written, so an administrator's edits stay."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from sales_reengineering.customer_intelligence.next_purchase import refresh_all
from sales_reengineering.setup.custom_fields import CUSTOM_FIELDS

SETTINGS = "Sales Reengineering Settings"
NEW_FIELDS = (
	"sr_repeat_purchase_section",
	"sr_last_purchase_date",
	"sr_purchase_interval_days",
	"sr_predicted_next_purchase",
)
DEFAULTS = {
	"telesales_overdue_multiple": 1.5,
	"telesales_min_purchases": 3,
	"telesales_call_cooldown_days": 30,
}


def execute():
	fields = [df for df in CUSTOM_FIELDS["Customer"] if df["fieldname"] in NEW_FIELDS]
	create_custom_fields({"Customer": fields}, ignore_validate=True)
	frappe.clear_cache(doctype="Customer")
	stored = frappe.db.get_singles_dict(SETTINGS)
	for field, value in DEFAULTS.items():
		if stored.get(field) in (None, ""):
			frappe.db.set_single_value(SETTINGS, field, value)
	frappe.clear_document_cache(SETTINGS, SETTINGS)
	refresh_all()
