"""KPI Reward Tier became a child table of Sales Reengineering Settings (field `reward_tiers`).

The model sync only marks the doctype `istable`: an existing table does not get the parent columns a new
child table has, so this patch adds them. The standalone tiers are the rows that still have no parent.
Each becomes a settings row, after the rows the settings already have, in priority order. A standalone
tier whose name the settings already list is a duplicate and is deleted. Idempotent: a second run finds
no row without a parent.
"""

import frappe

SETTINGS = "Sales Reengineering Settings"
TABLE = "tabKPI Reward Tier"


def add_parent_columns() -> None:
	"""The columns and index Frappe gives a child table it creates (DDL: this commits)."""
	varchar = f"varchar({frappe.db.VARCHAR_LEN})"
	frappe.db.sql_ddl(
		f"""alter table `{TABLE}`
		add column if not exists `parent` {varchar},
		add column if not exists `parentfield` {varchar},
		add column if not exists `parenttype` {varchar},
		add index if not exists `parent` (`parent`)"""
	)
	frappe.cache.hdel("table_columns", TABLE)


def execute():
	if not frappe.db.table_exists("KPI Reward Tier"):
		return
	if not all(
		frappe.db.has_column("KPI Reward Tier", column) for column in ("parent", "parenttype", "parentfield")
	):
		add_parent_columns()
	tier = frappe.qb.DocType("KPI Reward Tier")
	standalone = (
		frappe.qb.from_(tier)
		.select(tier.name, tier.tier_name)
		.where(tier.parent.isnull() | (tier.parent == ""))
		.orderby(tier.priority)
		.orderby(tier.creation)
		.orderby(tier.name)
	).run(as_dict=True)
	if not standalone:
		return
	rows = frappe.get_all(
		"KPI Reward Tier",
		filters={"parenttype": SETTINGS, "parent": SETTINGS, "parentfield": "reward_tiers"},
		fields=["tier_name", "idx"],
	)
	names = {(row.tier_name or "").strip().casefold() for row in rows}
	idx = max((row.idx for row in rows), default=0)
	duplicates = []
	# a handful of rows, once: one update each keeps the order plain to read
	for row in standalone:
		key = (row.tier_name or "").strip().casefold()
		if key in names:
			duplicates.append(row.name)
			continue
		names.add(key)
		idx += 1
		frappe.db.set_value(
			"KPI Reward Tier",
			row.name,
			{"parent": SETTINGS, "parenttype": SETTINGS, "parentfield": "reward_tiers", "idx": idx},
			update_modified=False,
		)
	if duplicates:
		frappe.db.delete("KPI Reward Tier", {"name": ("in", duplicates)})
	frappe.clear_document_cache(SETTINGS, SETTINGS)
