# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""The sales actually made below the channel floor: lines of submitted Sales Orders, Sales Invoices not
made from an order and POS Invoices (returns and POS consolidation invoices left out, as the floor check
leaves them out) whose rate, per stock unit in company currency after discounts, is under the floor of
the customer's channel level on the document's date. Each line says whether an approved Channel Price
Exception covers it (on the document, or on the quotation an order was made from).

Who: a line's salesperson is the one with the largest share of the document's Sales Team, else the
customer's responsible salesperson; its dealer is the dealer buying on the customer (none: a direct sale).

Scope: a dealer user never runs it; a restricted sales user sees the documents of their own customers and
sales teams (the customer rule of the lists); everyone is cut to their User Permissions. A fixed number
of queries whatever the number of lines."""

import frappe
from frappe import _
from frappe.query_builder.functions import IfNull
from frappe.utils import flt, getdate
from pypika.terms import LiteralValue

from sales_reengineering.arguments import report_filters
from sales_reengineering.channel.market import check_dates, check_desk_report
from sales_reengineering.channel.pricing import DIRECT, get_group_chains
from sales_reengineering.core.channel_pricing import floor_rate, is_below_floor, pick_policy
from sales_reengineering.exceptions import SalesReengineeringError
from sales_reengineering.scope import customers, user_permissions
from sales_reengineering.scope.dealers import get_report_dealers
from sales_reengineering.scope.performance import check_sales_person_filter
from sales_reengineering.scope.people import get_subtree

# doctype -> (item table, date field)
DOCUMENTS = {
	"Sales Order": ("Sales Order Item", "transaction_date"),
	"Sales Invoice": ("Sales Invoice Item", "posting_date"),
	"POS Invoice": ("POS Invoice Item", "posting_date"),
}
WITH, WITHOUT = "With", "Without"
TOLERANCE = 0.005


def execute(filters: dict | None = None):
	filters = validate_filters(filters)
	check_desk_report("Channel Price Exception")
	rows = get_data(filters)
	return get_columns(), rows, None, get_chart(rows), get_summary(rows, filters)


def validate_filters(filters: dict | None) -> frappe._dict:
	filters = report_filters(
		filters,
		dates=("from_date", "to_date"),
		texts=("company", "document_type", "exception", "sales_person", "dealer", "customer", "item_code"),
	)
	user_permissions.check_filters(
		filters, {"company": "Company", "customer": "Customer"}, reference_doctype="Sales Order"
	)
	check_sales_person_filter(filters.sales_person)
	if not filters.company:
		frappe.throw(_("Choose a Company."), SalesReengineeringError)
	check_dates(filters)
	if filters.document_type and filters.document_type not in DOCUMENTS:
		frappe.throw(
			_("{0} is not a Sales Order, Sales Invoice or POS Invoice.").format(
				frappe.bold(filters.document_type)
			),
			SalesReengineeringError,
		)
	if filters.exception and filters.exception not in (WITH, WITHOUT):
		frappe.throw(
			_("Choose lines with or without an approved exception, not {0}.").format(
				frappe.bold(filters.exception)
			),
			SalesReengineeringError,
		)
	return filters


def get_columns() -> list[dict]:
	return [
		{"label": _("Date"), "fieldname": "date", "fieldtype": "Date", "width": 100},
		{"label": _("Document Type"), "fieldname": "document_type", "fieldtype": "Data", "width": 110},
		{
			"label": _("Document"),
			"fieldname": "document",
			"fieldtype": "Dynamic Link",
			"options": "document_type",
			"width": 160,
		},
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 160,
		},
		{"label": _("Dealer"), "fieldname": "dealer", "fieldtype": "Link", "options": "Dealer", "width": 150},
		{"label": _("Channel Level"), "fieldname": "channel_level", "fieldtype": "Data", "width": 120},
		{
			"label": _("Sales Person"),
			"fieldname": "sales_person",
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 140,
		},
		{"label": _("Item"), "fieldname": "item_code", "fieldtype": "Link", "options": "Item", "width": 140},
		{"label": _("Quantity"), "fieldname": "qty", "fieldtype": "Float", "width": 80},
		{"label": _("Rate"), "fieldname": "rate", "fieldtype": "Currency", "options": "currency", "width": 110},
		{
			"label": _("Floor Rate"),
			"fieldname": "floor",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 110,
		},
		{"label": _("Below Floor (%)"), "fieldname": "below_percent", "fieldtype": "Percent", "width": 110},
		{
			"label": _("Given Away"),
			"fieldname": "shortfall",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 120,
		},
		{
			"label": _("Price Exception"),
			"fieldname": "exception",
			"fieldtype": "Link",
			"options": "Channel Price Exception",
			"width": 150,
		},
		{
			"label": _("Lowest Approved Rate"),
			"fieldname": "approved_rate",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 130,
		},
		{"label": _("Exception Status"), "fieldname": "exception_status", "fieldtype": "Data", "width": 150},
		{"label": _("Currency"), "fieldname": "currency", "fieldtype": "Data", "hidden": 1},
	]


# -- data -----------------------------------------------------------------------------------------------------


def load_policies() -> list[dict]:
	policy = frappe.qb.DocType("Channel Price Policy")
	return (
		frappe.qb.from_(policy)
		.select(
			policy.name,
			policy.channel_level,
			policy.item_code,
			policy.item_group,
			policy.policy_type,
			policy.floor_price,
			policy.max_discount,
			policy.valid_from,
			policy.valid_to,
		)
		.where(policy.enabled == 1)
		.orderby(policy.creation)
		.run(as_dict=True)
	)


def governed_groups(policies: list[dict]) -> list[str]:
	"""The item groups of the group policies and every group below them (one query)."""
	groups = sorted({p.item_group for p in policies if p.item_group})
	if not groups:
		return []
	child = frappe.qb.DocType("Item Group")
	ancestor = frappe.qb.DocType("Item Group").as_("ancestor")
	return (
		frappe.qb.from_(child)
		.join(ancestor)
		.on((ancestor.lft <= child.lft) & (ancestor.rgt >= child.rgt))
		.select(child.name)
		.distinct()
		.where(ancestor.name.isin(groups))
		.run(pluck=True)
	)


def get_lines(filters: frappe._dict, policies: list[dict]) -> list[dict]:
	"""The lines the floor governs, of the documents in the period: one query per document type."""
	items = sorted({p.item_code for p in policies if p.item_code})
	groups = governed_groups(policies)
	lines = []
	for doctype, (item_doctype, date_field) in DOCUMENTS.items():
		if filters.document_type and filters.document_type != doctype:
			continue
		parent = frappe.qb.DocType(doctype)
		child = frappe.qb.DocType(item_doctype)
		governed = []
		if items:
			governed.append(child.item_code.isin(items))
		if groups:
			governed.append(child.item_group.isin(groups))
		fields = [
			parent.name.as_("document"),
			parent[date_field].as_("date"),
			parent.customer,
			child.item_code,
			child.item_group,
			child.stock_qty.as_("qty"),
			(child.base_net_rate / IfNull(child.conversion_factor, 1)).as_("rate"),
			(child.base_price_list_rate / IfNull(child.conversion_factor, 1)).as_("list_rate"),
		]
		if doctype == "Sales Order":
			# an exception approved on the quotation covers the order made from it
			fields.append(child.prevdoc_docname.as_("quotation"))
		query = (
			frappe.qb.from_(parent)
			.join(child)
			.on((child.parent == parent.name) & (child.parenttype == doctype))
			.select(*fields)
			.where(
				(parent.docstatus == 1)
				& (parent.company == filters.company)
				& (parent[date_field] >= getdate(filters.from_date))
				& (parent[date_field] <= getdate(filters.to_date))
				& (governed[0] if len(governed) == 1 else governed[0] | governed[1])
			)
		)
		if doctype != "Sales Order":
			query = query.where(parent.is_return == 0)
		if doctype == "Sales Invoice":
			# rows from an order were priced on the order; POS Invoices are counted once, at the till
			query = query.where((IfNull(child.sales_order, "") == "") & (parent.is_consolidated == 0))
		if filters.customer:
			query = query.where(parent.customer == filters.customer)
		if filters.item_code:
			query = query.where(child.item_code == filters.item_code)
		# the customer rule of the lists: a restricted user's own customers and sales teams
		if doctype in customers.SALES_DOCUMENTS:
			condition = customers.condition(doctype)
			if condition:
				query = query.where(LiteralValue(condition))
		else:
			criterion = customers.visible_customers_criterion(parent.customer)
			if criterion is not None:
				query = query.where(criterion)
		query = user_permissions.apply_to(query, doctype, parent)
		for line in query.run(as_dict=True):
			line.document_type = doctype
			line.setdefault("quotation", None)
			lines.append(line)
	return lines


def get_data(filters: frappe._dict) -> list[dict]:
	policies = load_policies()
	if not policies:
		return []
	lines = get_lines(filters, policies)
	if not lines:
		return []
	dealers = get_dealers({line.customer for line in lines if line.customer})
	chains = get_group_chains({line.item_group for line in lines if line.item_group})
	candidates: dict[tuple, list] = {}

	def policies_on(level: str, day) -> list:
		key = (level, day)
		if key not in candidates:
			candidates[key] = [
				p
				for p in policies
				if p.channel_level == level
				and (not p.valid_from or getdate(p.valid_from) <= day)
				and (not p.valid_to or getdate(p.valid_to) >= day)
			]
		return candidates[key]

	below = []
	for line in lines:
		dealer = dealers.get(line.customer)
		level = dealer.dealer_level if dealer else DIRECT
		candidates_on_day = policies_on(level, getdate(line.date))
		policy = pick_policy(line.item_code, chains.get(line.item_group, []), candidates_on_day)
		if not policy:
			continue
		floor = floor_rate(policy, flt(line.list_rate))
		if not is_below_floor(flt(line.rate), floor):
			continue
		line.update(
			dealer=dealer.name if dealer else None,
			channel_level=_(level),
			floor=floor,
			rate=flt(line.rate),
			below_percent=100 * (floor - flt(line.rate)) / floor if floor else None,
			shortfall=(floor - flt(line.rate)) * flt(line.qty),
		)
		below.append(line)

	if not below:
		return []
	set_exceptions(below)
	set_sales_persons(below)
	return filter_rows(below, filters)


def filter_rows(rows: list[dict], filters: frappe._dict) -> list[dict]:
	if filters.dealer:
		branch = set(get_report_dealers(filters.dealer) or [])
		rows = [row for row in rows if row.dealer in branch]
	if filters.sales_person:
		team = set(get_subtree([filters.sales_person]))
		rows = [row for row in rows if row.sales_person in team]
	if filters.exception == WITH:
		rows = [row for row in rows if row.exception]
	elif filters.exception == WITHOUT:
		rows = [row for row in rows if not row.exception]
	currency = frappe.get_cached_value("Company", filters.company, "default_currency")
	for row in rows:
		row.currency = currency
	return sorted(rows, key=lambda r: (getdate(r.date), r.document, r.item_code), reverse=True)


def get_dealers(customer_names: set[str]) -> dict[str, frappe._dict]:
	if not customer_names:
		return {}
	rows = frappe.get_all(
		"Dealer",
		filters={"customer": ("in", sorted(customer_names))},
		fields=["name", "customer", "dealer_level"],
		order_by="lft",
	)
	dealers = {}
	for row in rows:
		dealers.setdefault(row.customer, row)
	return dealers


def set_exceptions(rows: list[dict]) -> None:
	"""The lowest approved exception of each line's document (or its quotation) and item (one query)."""
	references = {row.document for row in rows} | {row.quotation for row in rows if row.quotation}
	if not references:
		return
	found = frappe.get_all(
		"Channel Price Exception",
		filters={"docstatus": 1, "reference_name": ("in", sorted(references))},
		fields=["name", "reference_doctype", "reference_name", "item_code", "approved_rate"],
	)
	lowest: dict[tuple, frappe._dict] = {}
	for exception in found:
		key = (exception.reference_name, exception.item_code)
		if key not in lowest or flt(exception.approved_rate) < flt(lowest[key].approved_rate):
			lowest[key] = exception
	for row in rows:
		options = [lowest.get((ref, row.item_code)) for ref in (row.document, row.quotation) if ref]
		options = [option for option in options if option]
		best = min(options, key=lambda option: flt(option.approved_rate)) if options else None
		covered = best and row.rate >= flt(best.approved_rate) - TOLERANCE
		row.exception = best.name if covered else None
		row.approved_rate = flt(best.approved_rate) if best else None
		row.exception_status = _("Approved Exception") if covered else _("No Approved Exception")


def set_sales_persons(rows: list[dict]) -> None:
	"""The largest share of each document's Sales Team, else the customer's salesperson (two queries)."""
	team = frappe.qb.DocType("Sales Team")
	shares = (
		frappe.qb.from_(team)
		.select(team.parent, team.parenttype, team.sales_person, team.allocated_percentage, team.idx)
		.where(
			team.parenttype.isin(list(DOCUMENTS))
			& team.parent.isin(sorted({row.document for row in rows}))
		)
		.run(as_dict=True)
	)
	best: dict[tuple, frappe._dict] = {}
	for share in shares:
		key = (share.parenttype, share.parent)
		current = best.get(key)
		if not current or (flt(share.allocated_percentage), -share.idx) > (
			flt(current.allocated_percentage),
			-current.idx,
		):
			best[key] = share
	owners = dict(
		frappe.get_all(
			"Customer",
			filters={"name": ("in", sorted({row.customer for row in rows if row.customer}) or [""])},
			fields=["name", "sr_sales_person"],
			as_list=True,
		)
	)
	for row in rows:
		share = best.get((row.document_type, row.document))
		row.sales_person = share.sales_person if share else owners.get(row.customer)


# -- chart and summary ----------------------------------------------------------------------------------------


def get_chart(rows: list[dict]) -> dict | None:
	"""What each salesperson gave away below the floor, with and without an exception (the top ten)."""
	if not rows:
		return None
	totals: dict[str, list[float]] = {}
	for row in rows:
		pair = totals.setdefault(row.sales_person or _("No Sales Person"), [0.0, 0.0])
		pair[0 if row.exception else 1] += flt(row.shortfall)
	top = sorted(totals.items(), key=lambda item: -sum(item[1]))[:10]
	return {
		"data": {
			"labels": [name for name, _pair in top],
			"datasets": [
				{"name": _("With an Approved Exception"), "values": [pair[0] for _name, pair in top]},
				{"name": _("Without an Approved Exception"), "values": [pair[1] for _name, pair in top]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"fieldtype": "Currency",
		"colors": ["#5e64ff", "#ff5858"],
	}


def get_summary(rows: list[dict], filters: frappe._dict) -> list[dict]:
	currency = frappe.get_cached_value("Company", filters.company, "default_currency")
	without = [row for row in rows if not row.exception]
	return [
		{"label": _("Lines Below the Floor"), "value": len(rows), "datatype": "Int", "indicator": "Blue"},
		{
			"label": _("Without an Approved Exception"),
			"value": len(without),
			"datatype": "Int",
			"indicator": "Red" if without else "Green",
		},
		{
			"label": _("Given Away"),
			"value": sum(flt(row.shortfall) for row in rows),
			"datatype": "Currency",
			"currency": currency,
			"indicator": "Orange",
		},
		{
			"label": _("Given Away Without an Exception"),
			"value": sum(flt(row.shortfall) for row in without),
			"datatype": "Currency",
			"currency": currency,
			"indicator": "Red",
		},
	]
