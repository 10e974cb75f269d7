"""Existing sites without any Customer Completeness Rule get the default rules (a site that has rules
keeps them untouched)."""

from sales_reengineering.customer_intelligence.setup import create_default_completeness_rules


def execute():
	create_default_completeness_rules()
