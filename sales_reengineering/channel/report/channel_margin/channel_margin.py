# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""The margin the two-level chain eats: what end customers paid a provincial dealer for an item, split
into what the company received, what the general agent kept and what the provincial dealer kept, by item
group (or item) and province (the provincial dealer's territory).

The price at each level, per unit, over the period (the judgement the README's Channel section explains):

- end price: the provincial dealer's Resale Rate on its sell-through lines (quantity-weighted);
- general agent -> provincial dealer: the general agent's Resale Rate on its own sell-through lines
  (quantity-weighted, for every provincial dealer below it); if it reported none, the company's own
  invoices to the provincial dealer, and the general agent kept nothing of those units;
- company -> general agent: the company's sell-in invoices to the general agent (net, per stock unit);
  if there were none in the period, the item's rate in the default selling price list ("Price List");
- a provincial dealer with no general agent above it bought from the company: its chain has one level.

A unit sold to an end customer counts in the split only when every price of its chain is known; the
other units are counted apart ("Quantity Without a Full Chain"), never guessed. A fixed number of queries
whatever the number of dealers and items. The report's roles only (managers: it shows the company's prices
to its agents), and never a dealer user."""

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import flt, get_first_day, get_last_day

from sales_reengineering.arguments import report_filters
from sales_reengineering.channel.market import check_dates, check_desk_report, subtree
from sales_reengineering.exceptions import SalesReengineeringError
from sales_reengineering.scope import user_permissions

GENERAL_AGENT, PROVINCIAL_DEALER = "General Agent", "Provincial Dealer"
GROUP_BY = ("Item Group", "Item")
# where the company's price came from
FROM_INVOICES, FROM_PRICE_LIST = "Sell-In Invoices", "Price List"


def execute(filters: dict | None = None):
	filters = validate_filters(filters)
	check_desk_report("Sell Through Report")
	frappe.has_permission("Sales Invoice", "report", throw=True)
	if not frappe.get_cached_doc("Report", "Channel Margin").is_permitted():
		frappe.throw(_("Only managers see the channel's margins."), frappe.PermissionError)
	rows = get_data(filters)
	return get_columns(filters), rows, None, get_chart(rows), get_summary(rows, filters)


def validate_filters(filters: dict | None) -> frappe._dict:
	filters = report_filters(
		filters,
		dates=("from_date", "to_date"),
		texts=("company", "group_by", "item_group", "item_code", "province"),
	)
	user_permissions.check_filters(
		filters, {"company": "Company", "province": "Territory"}, reference_doctype="Sales Invoice"
	)
	if not filters.company:
		frappe.throw(_("Choose a Company."), SalesReengineeringError)
	check_dates(filters)
	filters.from_date = get_first_day(filters.from_date)
	filters.to_date = get_last_day(filters.to_date)
	filters.group_by = filters.group_by or "Item Group"
	if filters.group_by not in GROUP_BY:
		frappe.throw(
			_("Group the report by Item Group or Item, not {0}.").format(frappe.bold(filters.group_by)),
			SalesReengineeringError,
		)
	return filters


def column(label: str, fieldname: str, fieldtype: str, width: int = 130, options: str | None = None) -> dict:
	return {"label": label, "fieldname": fieldname, "fieldtype": fieldtype, "options": options, "width": width}


def money(label: str, fieldname: str, width: int = 130) -> dict:
	return column(label, fieldname, "Currency", width, "currency")


def percent(label: str, fieldname: str, width: int = 110) -> dict:
	return column(label, fieldname, "Percent", width)


def get_columns(filters: frappe._dict) -> list[dict]:
	columns = []
	if filters.group_by == "Item":
		columns.append(column(_("Item"), "item_code", "Link", 150, "Item"))
	columns += [
		# Data, not a Link: ERPNext lets none of this report's roles (Sales, Channel, System Manager) read
		# Item Group, and Frappe's report runner refuses a report linking a doctype the user may not read
		column(_("Item Group"), "item_group", "Data", 140),
		column(_("Province"), "province", "Link", 120, "Territory"),
		column(_("Quantity to End Customers"), "qty", "Float", 120),
		money(_("End Customers Paid"), "end_amount"),
		money(_("Company Received"), "company_amount"),
		money(_("General Agent Kept"), "agent_margin"),
		money(_("Provincial Dealer Kept"), "dealer_margin"),
		percent(_("Company Share (%)"), "company_percent"),
		percent(_("General Agent Share (%)"), "agent_percent", 130),
		percent(_("Provincial Dealer Share (%)"), "dealer_percent", 140),
		percent(_("Channel Takes (%)"), "channel_percent"),
	]
	if filters.group_by == "Item":
		columns += [
			money(_("Company Price"), "company_rate", 110),
			column(_("Company Price From"), "company_price_from", "Data"),
			money(_("General Agent Resale Rate"), "agent_rate"),
			money(_("Provincial Dealer Resale Rate"), "dealer_rate", 140),
		]
	columns += [
		column(_("Quantity Without a Full Chain"), "qty_incomplete", "Float", 140),
		{"label": _("Currency"), "fieldname": "currency", "fieldtype": "Data", "hidden": 1},
	]
	return columns


# -- data -----------------------------------------------------------------------------------------------------


def get_dealers(filters: frappe._dict) -> tuple[list[frappe._dict], dict[str, frappe._dict]]:
	"""The provincial dealers of the provinces asked for, and every dealer by name (one query)."""
	dealer = frappe.qb.DocType("Dealer")
	query = frappe.qb.from_(dealer).select(
		dealer.name, dealer.parent_dealer, dealer.dealer_level, dealer.customer, dealer.territory
	)
	every = {row.name: row for row in user_permissions.apply_to(query, "Dealer", dealer).run(as_dict=True)}
	provinces = subtree("Territory", filters.province)
	provincial = [
		row
		for row in every.values()
		if row.dealer_level == PROVINCIAL_DEALER and (provinces is None or row.territory in provinces)
	]
	return provincial, every


def general_agent_of(dealer: frappe._dict, every: dict[str, frappe._dict]) -> frappe._dict | None:
	seen = set()
	parent = every.get(dealer.parent_dealer)
	while parent and parent.name not in seen:
		if parent.dealer_level == GENERAL_AGENT:
			return parent
		seen.add(parent.name)
		parent = every.get(parent.parent_dealer)
	return None


def get_resale(dealers: list[str], filters: frappe._dict, items: list[str] | None) -> dict[tuple, list]:
	"""(dealer, item) -> [quantity, quantity x resale rate] of the period's sell-through (one query)."""
	if not dealers:
		return {}
	report = frappe.qb.DocType("Sell Through Report")
	line = frappe.qb.DocType("Sell Through Report Item")
	query = (
		frappe.qb.from_(report)
		.join(line)
		.on((line.parent == report.name) & (line.parenttype == "Sell Through Report"))
		.select(
			report.dealer,
			line.item_code,
			Sum(line.qty).as_("qty"),
			Sum(line.qty * line.resale_rate).as_("value"),
		)
		.where(
			(report.docstatus == 1)
			& report.dealer.isin(dealers)
			& (report.period >= filters.from_date)
			& (report.period <= filters.to_date)
			& (line.resale_rate > 0)
			& (line.qty > 0)
		)
		.groupby(report.dealer, line.item_code)
	)
	if items is not None:
		query = query.where(line.item_code.isin(items or [""]))
	rows = user_permissions.apply_to(query, "Sell Through Report", report).run(as_dict=True)
	return {(row.dealer, row.item_code): [flt(row.qty), flt(row.value)] for row in rows}


def get_sell_in(customers: list[str], filters: frappe._dict, items: list[str]) -> dict[tuple, float]:
	"""(customer, item) -> the company's average net rate per stock unit in the period (one query)."""
	if not customers or not items:
		return {}
	invoice = frappe.qb.DocType("Sales Invoice")
	line = frappe.qb.DocType("Sales Invoice Item")
	query = (
		frappe.qb.from_(invoice)
		.join(line)
		.on((line.parent == invoice.name) & (line.parenttype == "Sales Invoice"))
		.select(
			invoice.customer,
			line.item_code,
			Sum(line.stock_qty).as_("qty"),
			Sum(line.base_net_amount).as_("amount"),
		)
		.where(
			(invoice.docstatus == 1)
			& (invoice.is_return == 0)
			& (invoice.company == filters.company)
			& invoice.customer.isin(customers)
			& line.item_code.isin(items)
			& (invoice.posting_date >= filters.from_date)
			& (invoice.posting_date <= filters.to_date)
		)
		.groupby(invoice.customer, line.item_code)
	)
	rows = user_permissions.apply_to(query, "Sales Invoice", invoice).run(as_dict=True)
	return {
		(row.customer, row.item_code): flt(row.amount) / flt(row.qty) for row in rows if flt(row.qty) > 0
	}


def get_list_prices(items: list[str], filters: frappe._dict) -> dict[str, float]:
	from sales_reengineering.channel.market import get_retail_prices

	price_list = frappe.db.get_single_value("Selling Settings", "selling_price_list")
	return get_retail_prices(items, filters.to_date, price_list) if price_list else {}


def get_items(filters: frappe._dict) -> list[str] | None:
	"""The items the filters allow (None: any)."""
	groups = subtree("Item Group", filters.item_group)
	if groups is None and not filters.item_code:
		return None
	conditions = {}
	if groups is not None:
		conditions["item_group"] = ("in", groups)
	if filters.item_code:
		conditions["name"] = filters.item_code
	return frappe.get_all("Item", filters=conditions, pluck="name")


def get_data(filters: frappe._dict) -> list[dict]:
	provincial, every = get_dealers(filters)
	if not provincial:
		return []
	agents = {row.name: general_agent_of(row, every) for row in provincial}
	items = get_items(filters)
	end_sales = get_resale([row.name for row in provincial], filters, items)
	if not end_sales:
		return []
	sold_items = sorted({item for _dealer, item in end_sales})
	agent_sales = get_resale(sorted({a.name for a in agents.values() if a}), filters, sold_items)
	buyers = {a.customer for a in agents.values() if a and a.customer} | {
		row.customer for row in provincial if row.customer
	}
	sell_in = get_sell_in(sorted(buyers), filters, sold_items)
	list_prices = get_list_prices(sold_items, filters)
	groups = dict(frappe.get_all("Item", {"name": ("in", sold_items)}, ["name", "item_group"], as_list=True))
	currency = frappe.get_cached_value("Company", filters.company, "default_currency")
	by_dealer = {row.name: row for row in provincial}

	rows: dict[tuple, frappe._dict] = {}
	for (dealer_name, item), (qty, value) in end_sales.items():
		dealer, agent = by_dealer[dealer_name], agents[dealer_name]
		key_field = item if filters.group_by == "Item" else groups.get(item)
		row = rows.setdefault(
			(key_field, dealer.territory),
			frappe._dict(
				item_code=item if filters.group_by == "Item" else None,
				item_group=groups.get(item),
				province=dealer.territory,
				currency=currency,
				qty=0.0,
				qty_incomplete=0.0,
				end_amount=0.0,
				company_amount=0.0,
				agent_amount=0.0,
				sources=set(),
			),
		)
		dealer_rate = value / qty
		agent_rate, company_rate, source = chain_prices(dealer, agent, item, agent_sales, sell_in, list_prices)
		if agent_rate is None or company_rate is None:
			row.qty_incomplete += qty
			continue
		row.qty += qty
		row.end_amount += qty * dealer_rate
		row.agent_amount += qty * agent_rate
		row.company_amount += qty * company_rate
		row.sources.add(source)

	result = [row for row in rows.values() if row.qty or row.qty_incomplete]
	for row in result:
		complete(row)
	return sorted(
		result, key=lambda r: (-r.end_amount, r.item_group or "", r.item_code or "", r.province or "")
	)


def chain_prices(dealer, agent, item: str, agent_sales: dict, sell_in: dict, list_prices: dict):
	"""(general agent's price to the dealer, company's price at the top of the chain, where that came
	from) per unit; None where unknown."""

	def company_price(buyer) -> tuple[float | None, str | None]:
		if buyer and buyer.customer and (buyer.customer, item) in sell_in:
			return sell_in[(buyer.customer, item)], FROM_INVOICES
		if list_prices.get(item):
			return list_prices[item], FROM_PRICE_LIST
		return None, None

	if agent and (agent.name, item) in agent_sales:
		qty, value = agent_sales[(agent.name, item)]
		company_rate, source = company_price(agent)
		return value / qty, company_rate, source
	# no general agent above it, or none that reported this item: bought from the company
	if not agent or (dealer.customer and (dealer.customer, item) in sell_in):
		company_rate, source = company_price(dealer)
		return company_rate, company_rate, source
	return None, None, None


def complete(row: frappe._dict) -> None:
	row.agent_margin = row.agent_amount - row.company_amount
	row.dealer_margin = row.end_amount - row.agent_amount
	end = row.end_amount
	row.company_percent = 100 * row.company_amount / end if end else None
	row.agent_percent = 100 * row.agent_margin / end if end else None
	row.dealer_percent = 100 * row.dealer_margin / end if end else None
	row.channel_percent = 100 * (end - row.company_amount) / end if end else None
	if row.qty:
		row.company_rate = row.company_amount / row.qty
		row.agent_rate = row.agent_amount / row.qty
		row.dealer_rate = row.end_amount / row.qty
	row.company_price_from = ", ".join(_(source) for source in sorted(row.sources)) or None
	del row["sources"]
	del row["agent_amount"]


# -- chart and summary ----------------------------------------------------------------------------------------


def get_chart(rows: list[dict]) -> dict | None:
	top = [row for row in rows if row.end_amount][:10]
	if not top:
		return None
	return {
		"data": {
			"labels": [
				" · ".join(filter(None, (row.item_code or row.item_group, row.province))) for row in top
			],
			"datasets": [
				{"name": _("Company Received"), "values": [round(row.company_amount, 2) for row in top]},
				{"name": _("General Agent Kept"), "values": [round(row.agent_margin, 2) for row in top]},
				{"name": _("Provincial Dealer Kept"), "values": [round(row.dealer_margin, 2) for row in top]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"fieldtype": "Currency",
	}


def get_summary(rows: list[dict], filters: frappe._dict) -> list[dict]:
	currency = frappe.get_cached_value("Company", filters.company, "default_currency")
	end = sum(row.end_amount for row in rows)
	company = sum(row.company_amount for row in rows)
	summary = [
		(_("End Customers Paid"), end, "Blue"),
		(_("Company Received"), company, "Green"),
		(_("General Agent Kept"), sum(row.agent_margin for row in rows), "Orange"),
		(_("Provincial Dealer Kept"), sum(row.dealer_margin for row in rows), "Orange"),
	]
	return [
		{"label": label, "value": value, "datatype": "Currency", "currency": currency, "indicator": color}
		for label, value, color in summary
	] + [
		{
			"label": _("Channel Takes (%)"),
			"value": 100 * (end - company) / end if end else 0,
			"datatype": "Percent",
			"indicator": "Red",
		}
	]
