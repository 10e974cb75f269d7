"""Dealer support requests (issue 14, item 3) on an existing site: the Issue's dealer and request type
fields, the Dealer and Channel Manager rights on Issue, the settings' response time (24 hours while never
saved) and the "Dealer Request Unanswered" reminder rule, added to a rule table seeded before it existed
(an empty table is seeded whole by reminders.setup; an admin who later deletes the row keeps it deleted).
Only what is missing is created, so an administrator's edits stay."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from sales_reengineering.channel.support import (
	DEFAULT_RESPONSE_HOURS,
	RESPONSE_HOURS_FIELD,
	stored_response_hours,
)
from sales_reengineering.reminders.engine import DEALER_REQUEST_UNANSWERED, SETTINGS
from sales_reengineering.reminders.setup import add_shipped_rule
from sales_reengineering.setup.custom_fields import CUSTOM_FIELDS
from sales_reengineering.setup.roles import grant_erpnext_permissions


def execute():
	create_custom_fields({"Issue": CUSTOM_FIELDS["Issue"]}, ignore_validate=True)
	frappe.clear_cache(doctype="Issue")
	grant_erpnext_permissions()
	if stored_response_hours() is None:
		frappe.db.set_single_value(SETTINGS, RESPONSE_HOURS_FIELD, DEFAULT_RESPONSE_HOURS)
	add_shipped_rule(DEALER_REQUEST_UNANSWERED)
