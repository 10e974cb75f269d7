# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""The prices dealers resell at (the Resale Rate of their sell-through lines), compared for the same item
by region (the report's territory, else the dealer's) and dealer: lowest, quantity-weighted average and
highest, the spread, and how far the lowest undercuts the reference price (the suggested retail price,
else the direct-sales floor; `channel.market`). A price war is flagged when the spread or the undercut
reaches the thresholds of Sales Reengineering Settings.

spread = (highest - lowest) / highest; undercut = (reference - lowest) / reference, when positive.

Lines without a resale rate (0) are left out: they say nothing about price. A dealer user never runs it;
desk users see the sell-through reports they may read, cut to their User Permissions (Territory)."""

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Max, Min, Sum
from frappe.utils import flt, get_first_day, get_last_day

from sales_reengineering.arguments import report_filters
from sales_reengineering.channel.market import (
	check_dates,
	check_desk_report,
	get_floors,
	get_retail_prices,
	subtree,
)
from sales_reengineering.exceptions import SalesReengineeringError
from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
	get_settings,
)
from sales_reengineering.scope import user_permissions
from sales_reengineering.scope.dealers import get_report_dealers

GROUP_BY = ("Region", "Dealer")
DIRECT = "Direct"


def execute(filters: dict | None = None):
	filters = validate_filters(filters)
	check_desk_report("Sell Through Report")
	settings = get_settings()
	thresholds = frappe._dict(
		spread=flt(settings.price_war_spread_percent), undercut=flt(settings.price_war_undercut_percent)
	)
	rows = get_data(filters, thresholds)
	message = _(
		"A price war: a spread of {0}% or more between dealers, or an undercut of {1}% or more (Sales Reengineering Settings)."
	).format(thresholds.spread, thresholds.undercut)
	return get_columns(filters), rows, message, get_chart(rows), get_summary(rows)


def validate_filters(filters: dict | None) -> frappe._dict:
	filters = report_filters(
		filters,
		dates=("from_date", "to_date"),
		texts=("group_by", "item_code", "item_group", "territory", "dealer"),
	)
	user_permissions.check_filters(
		filters, {"territory": "Territory"}, reference_doctype="Sell Through Report"
	)
	check_dates(filters)
	# sell-through is reported by month: compare whole months
	filters.from_date = get_first_day(filters.from_date)
	filters.to_date = get_last_day(filters.to_date)
	filters.group_by = filters.group_by or "Region"
	if filters.group_by not in GROUP_BY:
		frappe.throw(
			_("Group the report by Region or Dealer, not {0}.").format(frappe.bold(filters.group_by)),
			SalesReengineeringError,
		)
	return filters


def get_columns(filters: frappe._dict) -> list[dict]:
	by_dealer = filters.group_by == "Dealer"
	columns = [
		{"label": _("Item"), "fieldname": "item_code", "fieldtype": "Link", "options": "Item", "width": 150},
		{"label": _("Item Name"), "fieldname": "item_name", "fieldtype": "Data", "width": 150},
		{
			"label": _("Region"),
			"fieldname": "territory",
			"fieldtype": "Link",
			"options": "Territory",
			"width": 120,
		},
	]
	if by_dealer:
		columns.append(
			{
				"label": _("Dealer"),
				"fieldname": "dealer",
				"fieldtype": "Link",
				"options": "Dealer",
				"width": 170,
			}
		)
	else:
		columns.append({"label": _("Dealers"), "fieldname": "dealers", "fieldtype": "Int", "width": 80})
	columns += [
		{"label": _("Quantity"), "fieldname": "qty", "fieldtype": "Float", "width": 90},
		{"label": _("Lowest Resale Rate"), "fieldname": "min_rate", "fieldtype": "Currency", "width": 130},
		{"label": _("Average Resale Rate"), "fieldname": "avg_rate", "fieldtype": "Currency", "width": 130},
		{"label": _("Highest Resale Rate"), "fieldname": "max_rate", "fieldtype": "Currency", "width": 130},
		{"label": _("Spread (%)"), "fieldname": "spread_percent", "fieldtype": "Percent", "width": 100},
	]
	if by_dealer:
		columns.append(
			{
				"label": _("Region Spread (%)"),
				"fieldname": "region_spread_percent",
				"fieldtype": "Percent",
				"width": 120,
			}
		)
	else:
		columns.append(
			{
				"label": _("Lowest Dealer"),
				"fieldname": "lowest_dealer",
				"fieldtype": "Link",
				"options": "Dealer",
				"width": 170,
			}
		)
	columns += [
		{"label": _("Reference Price"), "fieldname": "reference_rate", "fieldtype": "Currency", "width": 120},
		{"label": _("Reference"), "fieldname": "reference", "fieldtype": "Data", "width": 150},
		{"label": _("Undercut (%)"), "fieldname": "undercut_percent", "fieldtype": "Percent", "width": 100},
		{"label": _("Price War"), "fieldname": "price_war", "fieldtype": "Check", "width": 90},
	]
	return columns


def get_lines(filters: frappe._dict) -> list[dict]:
	"""Quantity, lowest and highest rate and rate x quantity per (region, item, dealer): one query."""
	dealers = get_report_dealers(filters.dealer)
	if dealers == []:
		return []
	report = frappe.qb.DocType("Sell Through Report")
	line = frappe.qb.DocType("Sell Through Report Item")
	dealer = frappe.qb.DocType("Dealer")
	item = frappe.qb.DocType("Item")
	region = Coalesce(report.territory, dealer.territory)
	query = (
		frappe.qb.from_(report)
		.join(line)
		.on((line.parent == report.name) & (line.parenttype == "Sell Through Report"))
		.join(dealer)
		.on(dealer.name == report.dealer)
		.join(item)
		.on(item.name == line.item_code)
		.select(
			region.as_("territory"),
			line.item_code,
			item.item_name,
			report.dealer,
			Sum(line.qty).as_("qty"),
			Min(line.resale_rate).as_("min_rate"),
			Max(line.resale_rate).as_("max_rate"),
			Sum(line.qty * line.resale_rate).as_("value"),
		)
		.where(
			(report.docstatus == 1)
			& (report.period >= filters.from_date)
			& (report.period <= filters.to_date)
			& (line.resale_rate > 0)
			& (line.qty > 0)
		)
		.groupby(region, line.item_code, item.item_name, report.dealer)
	)
	if dealers is not None:
		query = query.where(report.dealer.isin(dealers))
	if filters.item_code:
		query = query.where(line.item_code == filters.item_code)
	groups = subtree("Item Group", filters.item_group)
	if groups is not None:
		query = query.where(item.item_group.isin(groups))
	territories = subtree("Territory", filters.territory)
	if territories is not None:
		query = query.where(region.isin(territories))
	return user_permissions.apply_to(query, "Sell Through Report", report).run(as_dict=True)


def get_data(filters: frappe._dict, thresholds: frappe._dict) -> list[dict]:
	lines = get_lines(filters)
	if not lines:
		return []
	items = sorted({line.item_code for line in lines})
	retail = get_retail_prices(items, filters.to_date)
	floors = get_floors(items, DIRECT, filters.to_date, retail)

	regions: dict[tuple, frappe._dict] = {}
	for line in lines:
		key = (line.item_code, line.territory)
		region = regions.setdefault(
			key,
			frappe._dict(
				item_code=line.item_code,
				item_name=line.item_name,
				territory=line.territory,
				dealer_set=set(),
				qty=0.0,
				value=0.0,
				min_rate=None,
				max_rate=None,
				lowest_dealer=None,
			),
		)
		region.dealer_set.add(line.dealer)
		region.qty += flt(line.qty)
		region.value += flt(line.value)
		if region.min_rate is None or flt(line.min_rate) < region.min_rate:
			region.min_rate, region.lowest_dealer = flt(line.min_rate), line.dealer
		region.max_rate = max(flt(line.max_rate), region.max_rate or 0)

	for region in regions.values():
		region.dealers = len(region.dealer_set)
		complete(region, retail, floors, thresholds)

	if filters.group_by == "Dealer":
		rows = []
		for line in lines:
			region = regions[(line.item_code, line.territory)]
			row = frappe._dict(
				item_code=line.item_code,
				item_name=line.item_name,
				territory=line.territory,
				dealer=line.dealer,
				qty=flt(line.qty),
				value=flt(line.value),
				min_rate=flt(line.min_rate),
				max_rate=flt(line.max_rate),
				region_spread_percent=region.spread_percent,
			)
			complete(row, retail, floors, thresholds)
			row.price_war = int(
				row.undercut_percent >= thresholds.undercut
				or (region.dealers > 1 and region.spread_percent >= thresholds.spread)
			)
			rows.append(row)
	else:
		rows = list(regions.values())
		for row in rows:
			row.price_war = int(
				row.undercut_percent >= thresholds.undercut
				or (row.dealers > 1 and row.spread_percent >= thresholds.spread)
			)
			del row["dealer_set"]
	if filters.price_wars_only:
		rows = [row for row in rows if row.price_war]
	return sorted(rows, key=lambda r: (-r.price_war, -r.spread_percent, r.item_code, r.territory or ""))


def complete(row: frappe._dict, retail: dict, floors: dict, thresholds: frappe._dict) -> None:
	"""Average, spread, reference price and undercut of a row with qty, value, min_rate and max_rate."""
	row.avg_rate = row.value / row.qty if row.qty else None
	row.spread_percent = 100 * (row.max_rate - row.min_rate) / row.max_rate if row.max_rate else 0.0
	if row.item_code in retail and retail[row.item_code]:
		row.reference_rate, row.reference = retail[row.item_code], _("Suggested Retail Price")
	elif floors.get(row.item_code):
		row.reference_rate, row.reference = floors[row.item_code], _("Direct Floor")
	else:
		row.reference_rate, row.reference = None, None
	reference = row.reference_rate
	row.undercut_percent = max(0.0, 100 * (reference - row.min_rate) / reference) if reference else 0.0


def get_chart(rows: list[dict]) -> dict | None:
	"""The ten widest spreads: spread and undercut side by side."""
	top = sorted(rows, key=lambda r: -max(r.spread_percent, r.undercut_percent))[:10]
	top = [row for row in top if row.spread_percent or row.undercut_percent]
	if not top:
		return None
	return {
		"data": {
			"labels": [
				" · ".join(filter(None, (row.item_code, row.get("dealer") or row.territory))) for row in top
			],
			"datasets": [
				{"name": _("Spread (%)"), "values": [round(row.spread_percent, 1) for row in top]},
				{"name": _("Undercut (%)"), "values": [round(row.undercut_percent, 1) for row in top]},
			],
		},
		"type": "bar",
		"fieldtype": "Percent",
	}


def get_summary(rows: list[dict]) -> list[dict]:
	wars = [row for row in rows if row.price_war]
	return [
		{"label": _("Rows Compared"), "value": len(rows), "datatype": "Int", "indicator": "Blue"},
		{
			"label": _("Price Wars"),
			"value": len(wars),
			"datatype": "Int",
			"indicator": "Red" if wars else "Green",
		},
		{
			"label": _("Deepest Undercut (%)"),
			"value": max((row.undercut_percent for row in rows), default=0),
			"datatype": "Percent",
			"indicator": "Orange",
		},
	]
