"""Reward tiers earn points in the rewards ledger: the shipped tiers ("Top 10%", "Beat Target") of the
settings get their shipped points while their new Points column is 0; tiers an administrator added are
left at 0 (no points) until someone sets them."""

import frappe

from sales_reengineering.performance.setup import DEFAULT_TIER_POINTS, SETTINGS


def execute():
	frappe.reload_doc("performance", "doctype", "kpi_reward_tier")
	for tier_name, points in DEFAULT_TIER_POINTS.items():
		frappe.db.set_value(
			"KPI Reward Tier",
			{"parenttype": SETTINGS, "parent": SETTINGS, "tier_name": tier_name, "points": ("in", (0, None))},
			"points",
			points,
			update_modified=False,
		)
	frappe.clear_document_cache(SETTINGS, SETTINGS)
