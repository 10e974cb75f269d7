"""What the terminal-market reports share: who may run them, the filters' trees, and the reference prices
a resale price is compared with.

- Below-Floor Sales, Terminal Price Spread and Channel Margin are desk reports: a dealer user never runs
  them (its own figures are on the portal), whatever desk roles it is also given.
- The suggested retail price of an item is its rate in the settings' Suggested Retail Price List (empty:
  Selling Settings' default selling price list), valid on the day, for no particular customer.
- The floor of a level (`Direct` for sales to end customers) is the Channel Price Policy that governs the
  item on the day (`core.channel_pricing.pick_policy`); a maximum-discount policy is applied to the
  suggested retail price.
"""

import frappe
from frappe import _
from frappe.query_builder import Criterion
from frappe.utils import flt, getdate

from sales_reengineering.core.channel_pricing import floor_rate, pick_policy
from sales_reengineering.exceptions import SalesReengineeringError
from sales_reengineering.scope import for_user


def check_desk_report(doctype: str) -> None:
	"""The user may run reports on `doctype`, and is not a dealer."""
	frappe.has_permission(doctype, "report", throw=True)
	if for_user().is_dealer:
		frappe.throw(_("Dealers see their own figures on the dealer portal."), frappe.PermissionError)


def check_dates(filters: frappe._dict) -> None:
	if not filters.from_date or not filters.to_date:
		frappe.throw(_("Choose a From Date and a To Date."), SalesReengineeringError)
	if getdate(filters.to_date) < getdate(filters.from_date):
		frappe.throw(_("To Date cannot be before From Date."), SalesReengineeringError)


def subtree(doctype: str, name: str | None) -> list[str] | None:
	"""`name` and everything below it in the tree `doctype` (Territory, Item Group); None without a name.
	A name that does not exist is refused with a translated message."""
	if not name:
		return None
	bounds = frappe.db.get_value(doctype, name, ["lft", "rgt"], as_dict=True)
	if not bounds:
		frappe.throw(
			_("{0} {1} does not exist.").format(_(doctype), frappe.bold(name)), SalesReengineeringError
		)
	return frappe.get_all(doctype, {"lft": (">=", bounds.lft), "rgt": ("<=", bounds.rgt)}, pluck="name")


def retail_price_list() -> str | None:
	from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
		get_settings,
	)

	return get_settings().retail_price_list or frappe.db.get_single_value(
		"Selling Settings", "selling_price_list"
	)


def get_retail_prices(items: list[str], on_date, price_list: str | None = None) -> dict[str, float]:
	"""item -> suggested retail price on `on_date` (one query)."""
	price_list = price_list or retail_price_list()
	if not items or not price_list:
		return {}
	price = frappe.qb.DocType("Item Price")
	on_date = getdate(on_date)
	rows = (
		frappe.qb.from_(price)
		.select(price.item_code, price.price_list_rate, price.valid_from)
		.where(
			(price.price_list == price_list)
			& price.item_code.isin(list(items))
			& ((price.customer.isnull()) | (price.customer == ""))
			& ((price.valid_from.isnull()) | (price.valid_from <= on_date))
			& ((price.valid_upto.isnull()) | (price.valid_upto >= on_date))
		)
		.orderby(price.valid_from)
		.run(as_dict=True)
	)
	# the latest price valid on the day wins
	return {row.item_code: flt(row.price_list_rate) for row in rows}


def get_floors(items: list[str], level: str, on_date, list_rates: dict[str, float]) -> dict[str, float]:
	"""item -> floor of `level` on `on_date` (three queries, whatever the number of items)."""
	from sales_reengineering.channel.pricing import get_group_chains, load_policies

	if not items:
		return {}
	policies = load_policies(level, getdate(on_date))
	if not policies:
		return {}
	groups = dict(frappe.get_all("Item", {"name": ("in", list(items))}, ["name", "item_group"], as_list=True))
	chains = get_group_chains({group for group in groups.values() if group})
	floors = {}
	for item in items:
		policy = pick_policy(item, chains.get(groups.get(item), []), policies)
		floor = floor_rate(policy, list_rates.get(item)) if policy else None
		if floor is not None:
			floors[item] = floor
	return floors


def isin_or_all(column, values: list[str] | None):
	"""A criterion keeping `column` to `values`; None when `values` is None (no limit)."""
	if values is None:
		return None
	return column.isin(values) if values else Criterion.all([column.isnull(), column.notnull()])
