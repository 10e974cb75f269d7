"""Test helpers for the reminders module."""

from datetime import datetime, time

import frappe
from frappe.utils import add_days, getdate, today

from sales_reengineering.reminders.engine import DEFAULT_RULES, LOG, SETTINGS


def set_rules(**rules: dict) -> None:
	"""Replace the settings' reminder rules by exactly these (rule label -> overrides of the defaults);
	every other rule is left out, i.e. switched off. Callers roll back in tearDown."""
	doc = frappe.get_doc(SETTINGS)
	doc.reminder_rules = []
	for rule, overrides in rules.items():
		defaults = DEFAULT_RULES[rule]
		values = {
			"enabled": 1,
			"days": defaults["days"],
			"repeat_days": defaults["repeat_days"],
			"notify_owner": 0,
			"notify_manager": 0,
			"notify_role": None,
			**overrides,
		}
		doc.append("reminder_rules", {"rule": rule, **values})
	doc.save(ignore_permissions=True)
	frappe.clear_document_cache(SETTINGS, SETTINGS)


def at(days: int = 0, hour: int = 10, minute: int = 0) -> datetime:
	"""A site-time moment `days` from today."""
	return datetime.combine(getdate(add_days(today(), days)), time(hour, minute))


def logs_for(reference_name: str, **filters) -> list[frappe._dict]:
	return frappe.get_all(
		LOG,
		filters={"reference_name": reference_name, **filters},
		fields=["name", "rule", "recipient", "period_key", "todo", "digest_sent", "due_date"],
		order_by="creation",
	)
