"""Training that counts (issue 14, item 7) on an existing site: the built-in indicators Training Hours
and Training Pass Rate, the reminder rule "Career Goal Due" in a rule table seeded before it existed (an
empty table is seeded whole by reminders.setup; an admin who later deletes the row keeps it deleted),
and every open career plan's training hours recomputed from the records, as they are now kept."""

import frappe

from sales_reengineering.customer_intelligence.training import refresh_plan_training_hours
from sales_reengineering.performance.setup import create_builtin_indicators
from sales_reengineering.reminders.engine import CAREER_GOAL_DUE, DEFAULT_RULES, SETTINGS


def execute():
	create_builtin_indicators()
	add_career_goal_rule()
	refresh_plan_training_hours()


def add_career_goal_rule():
	rules = frappe.get_all(
		"Reminder Rule", filters={"parenttype": SETTINGS, "parent": SETTINGS}, fields=["rule", "idx"]
	)
	if not rules or any(row.rule == CAREER_GOAL_DUE for row in rules):
		return
	frappe.get_doc(
		{
			"doctype": "Reminder Rule",
			"parent": SETTINGS,
			"parenttype": SETTINGS,
			"parentfield": "reminder_rules",
			"idx": max(row.idx or 0 for row in rules) + 1,
			"rule": CAREER_GOAL_DUE,
			"enabled": 1,
			"notify_manager": 0,
			"notify_role": None,
			**DEFAULT_RULES[CAREER_GOAL_DUE],
		}
	).db_insert()
	frappe.clear_document_cache(SETTINGS, SETTINGS)
