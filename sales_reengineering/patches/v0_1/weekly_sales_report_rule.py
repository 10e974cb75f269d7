from sales_reengineering.reminders.engine import WEEKLY_SALES_REPORT
from sales_reengineering.reminders.setup import add_shipped_rule


def execute():
	"""Add the "Weekly Sales Report" row to a reminder rule table seeded before it existed (an empty table
	is seeded whole by reminders.setup; an admin who later deletes the row keeps it deleted)."""
	add_shipped_rule(WEEKLY_SALES_REPORT)
