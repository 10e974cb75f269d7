"""Training that counts (issue 14, item 7) on an existing site: the built-in indicators Training Hours
and Training Pass Rate, the reminder rule "Career Goal Due" in a rule table seeded before it existed (an
empty table is seeded whole by reminders.setup; an admin who later deletes the row keeps it deleted),
and every open career plan's training hours recomputed from the records, as they are now kept."""

import frappe

from sales_reengineering.customer_intelligence.training import refresh_plan_training_hours
from sales_reengineering.performance.setup import create_builtin_indicators
from sales_reengineering.reminders.engine import CAREER_GOAL_DUE
from sales_reengineering.reminders.setup import add_shipped_rule


def execute():
	create_builtin_indicators()
	add_shipped_rule(CAREER_GOAL_DUE)
	refresh_plan_training_hours()
