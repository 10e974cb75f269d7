import frappe

from sales_reengineering.reminders.engine import DEFAULT_RULES, SETTINGS, WEEKLY_SALES_REPORT


def execute():
	"""Add the "Weekly Sales Report" row to a reminder rule table seeded before it existed (an empty table
	is seeded whole by reminders.setup; an admin who later deletes the row keeps it deleted)."""
	rules = frappe.get_all(
		"Reminder Rule", filters={"parenttype": SETTINGS, "parent": SETTINGS}, fields=["rule", "idx"]
	)
	if not rules or any(row.rule == WEEKLY_SALES_REPORT for row in rules):
		return
	frappe.get_doc(
		{
			"doctype": "Reminder Rule",
			"parent": SETTINGS,
			"parenttype": SETTINGS,
			"parentfield": "reminder_rules",
			"idx": max(row.idx or 0 for row in rules) + 1,
			"rule": WEEKLY_SALES_REPORT,
			"enabled": 1,
			"notify_role": None,
			**DEFAULT_RULES[WEEKLY_SALES_REPORT],
		}
	).db_insert()
	frappe.clear_document_cache(SETTINGS, SETTINGS)
