# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

from frappe.model.document import Document


class ReminderRule(Document):
	"""One reminder rule of Sales Reengineering Settings; validated by the settings."""
