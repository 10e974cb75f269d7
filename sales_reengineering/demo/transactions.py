"""Loader sections for the transactions: opportunity → quotation → sales order → sales invoice, plus
credit notes, cancelled (and re-issued) invoices and contracts. All of them go through the normal
insert/submit/cancel of ERPNext, so statuses, ledgers and links are what a user would get.

Each section returns how many documents it added and repairs half-done records of an interrupted run.
"""

from __future__ import annotations

from datetime import date, datetime, time

import frappe
from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

from sales_reengineering.demo import data
from sales_reengineering.demo.context import Batch, Context, existing, guard, quiet
from sales_reengineering.demo.generator import (
	ContractPlan,
	InvoicePlan,
	LinePlan,
	OpportunityPlan,
	OrderPlan,
	QuotationPlan,
	ReturnPlan,
)

STAGES = {stage.name: stage for stage in data.SALES_STAGES}
CURRENCY = "CNY"


def submit_new(doc, name: str) -> None:
	"""Insert `doc` already submitted (one save instead of insert + submit), then compute its status,
	which ERPNext leaves at Draft for a document that is new when it is validated."""
	quiet(doc).insert(set_name=name)
	doc.set_status(update=True, update_modified=False)


def _docstatus(doctype: str, names: list[str]) -> dict[str, int]:
	status: dict[str, int] = {}
	for start in range(0, len(names), 500):
		for row in frappe.get_all(
			doctype, filters={"name": ("in", names[start : start + 500])}, fields=["name", "docstatus"]
		):
			status[row.name] = row.docstatus
	return status


def _pricing(ctx: Context) -> dict:
	return {
		"company": ctx.company,
		"currency": CURRENCY,
		"conversion_rate": 1,
		"selling_price_list": ctx.info.price_list,
		"price_list_currency": CURRENCY,
		"plc_conversion_rate": 1,
		"taxes_and_charges": ctx.info.tax_template,
	}


def _item_row(line: LinePlan, **extra) -> dict:
	return {
		"item_code": line.item_code,
		"qty": line.qty,
		"uom": data.ITEM_BY_CODE[line.item_code].uom,
		"price_list_rate": line.list_price,
		"discount_percentage": line.discount,
		"rate": line.rate,
		**extra,
	}


def _customer_contacts(ctx: Context) -> dict[str, dict]:
	names = list({ctx.customer(customer.name) for customer in ctx.plan.customers})
	rows = {}
	for start in range(0, len(names), 500):
		for row in frappe.get_all(
			"Customer",
			filters={"name": ("in", names[start : start + 500])},
			fields=["name", "customer_primary_contact", "customer_primary_address"],
		):
			rows[row.name] = row
	return rows


# --- Opportunities -------------------------------------------------------------------------------------


def load_opportunities(ctx: Context) -> int:
	plans = {ctx.key(opportunity.key): opportunity for opportunity in ctx.plan.opportunities}
	have = existing("Opportunity", plans)
	contacts = _customer_contacts(ctx)
	batch = Batch(ctx, "Opportunities", len(plans))
	added = 0
	for name, opportunity in plans.items():
		if name in have:
			continue
		doc = build_opportunity(ctx, opportunity, contacts)
		guard("Opportunity", name, lambda doc=doc, name=name: quiet(doc).insert(set_name=name))
		added += 1
		batch.tick()
	restore_opportunity_owners(plans, have)
	return added


def restore_opportunity_owners(plans: dict[str, OpportunityPlan], have) -> None:
	"""Put back the salesperson of opportunities that have none: uninstalling the app drops the column.
	Only empty ones: an account handover may have given an open opportunity to somebody else."""
	names = [name for name in plans if name in have]
	empty = []
	for start in range(0, len(names), 500):
		empty += frappe.get_all(
			"Opportunity",
			filters={"name": ("in", names[start : start + 500]), "sr_sales_person": ("is", "not set")},
			pluck="name",
		)
	by_person: dict[str, list[str]] = {}
	for name in empty:
		by_person.setdefault(plans[name].sales_person, []).append(name)
	for sales_person, names in by_person.items():
		frappe.db.set_value(
			"Opportunity", {"name": ("in", names)}, "sr_sales_person", sales_person, update_modified=False
		)


def build_opportunity(ctx: Context, opportunity: OpportunityPlan, contacts: dict[str, dict]):
	customer = ctx.customer(opportunity.customer)
	stage = STAGES[opportunity.stage]
	probability = {"won": 100, "quote_lost": 0, "lost_early": 0}.get(opportunity.outcome, stage.probability)
	lost = opportunity.outcome in ("quote_lost", "lost_early")
	doc = frappe.get_doc(
		{
			"doctype": "Opportunity",
			"opportunity_from": "Customer",
			"party_name": customer,
			"opportunity_type": "Sales",
			"status": "Lost" if opportunity.outcome == "lost_early" else "Open",
			"sales_stage": opportunity.stage,
			"probability": probability,
			"sr_sales_person": opportunity.sales_person,
			"expected_closing": opportunity.expected_closing,
			"company": ctx.company,
			"transaction_date": opportunity.date,
			"currency": CURRENCY,
			"conversion_rate": 1,
			"opportunity_amount": opportunity.amount,
			"territory": opportunity.territory,
			"contact_person": contacts[customer].customer_primary_contact,
			"customer_address": contacts[customer].customer_primary_address,
			"items": [
				{
					"item_code": line.item_code,
					"qty": line.qty,
					"rate": line.rate,
					"uom": data.ITEM_BY_CODE[line.item_code].uom,
				}
				for line in opportunity.lines
			],
			"notes": [
				{
					"note": f"<p>阶段 Stage → {step.stage} {STAGES[step.stage].en}</p>",
					"added_by": "Administrator",
					"added_on": step.at,
				}
				for step in opportunity.path
			],
		}
	)
	if lost:
		doc.order_lost_reason = opportunity.lost_reason
		doc.append("lost_reasons", {"lost_reason": opportunity.lost_reason})
		if opportunity.competitor:
			doc.append("competitors", {"competitor": opportunity.competitor})
	return doc


# --- Quotations ----------------------------------------------------------------------------------------


def load_quotations(ctx: Context) -> int:
	opportunities = {opportunity.key: opportunity for opportunity in ctx.plan.opportunities}
	plans = {ctx.key(quotation.key): quotation for quotation in ctx.plan.quotations}
	have = existing("Quotation", plans)
	lost = set(
		frappe.get_all(
			"Quotation", filters={"name": ("in", list(plans) or [""]), "status": "Lost"}, pluck="name"
		)
	)
	batch = Batch(ctx, "Quotations", len(plans))
	added = 0
	for name, quotation in plans.items():
		if name not in have:
			doc = build_quotation(ctx, quotation, opportunities[quotation.opportunity])
			guard("Quotation", name, lambda doc=doc, name=name: submit_new(doc, name))
			added += 1
			batch.tick()
		if quotation.outcome == "lost" and name not in lost:
			guard("Quotation", name, lambda name=name, quotation=quotation: declare_lost(name, quotation))
	return added


def build_quotation(ctx: Context, quotation: QuotationPlan, opportunity: OpportunityPlan):
	opportunity_name = ctx.key(opportunity.key)
	doc = frappe.get_doc(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": ctx.customer(opportunity.customer),
			"order_type": "Sales",
			"transaction_date": quotation.date,
			"valid_till": quotation.valid_till,
			"opportunity": opportunity_name,
			**_pricing(ctx),
			"items": [
				_item_row(line, prevdoc_doctype="Opportunity", prevdoc_docname=opportunity_name)
				for line in opportunity.lines
			],
			"docstatus": 1,
		}
	)
	doc.append_taxes_from_master()
	return doc


def declare_lost(name: str, quotation: QuotationPlan) -> None:
	doc = quiet(frappe.get_doc("Quotation", name))
	competitors = [{"competitor": quotation.competitor}] if quotation.competitor else []
	doc.declare_enquiry_lost([{"lost_reason": quotation.lost_reason}], competitors, quotation.lost_reason)


# --- Sales orders --------------------------------------------------------------------------------------


def load_orders(ctx: Context) -> int:
	return _load_orders(ctx, ctx.plan.orders, "Sales orders")


def load_sell_in(ctx: Context) -> int:
	"""The dealers' monthly purchases: their sales orders, then the invoices billing them."""
	orders = _load_orders(ctx, ctx.plan.sell_in_orders, "Dealer orders")
	return orders + _load_invoices(ctx, ctx.plan.sell_in_invoices, ctx.plan.sell_in_orders, "Dealer invoices")


def _load_orders(ctx: Context, orders: list[OrderPlan], label: str) -> int:
	plans = {ctx.key(order.key): order for order in orders}
	have = existing("Sales Order", plans)
	todo = {name: order for name, order in plans.items() if name not in have}
	quotation_rows = _child_names(
		"Quotation Item", [ctx.key(o.quotation) for o in todo.values() if o.quotation]
	)
	batch = Batch(ctx, label, len(plans))
	for name, order in todo.items():
		doc = guard("Sales Order", name, lambda order=order: build_order(ctx, order, quotation_rows))
		guard("Sales Order", name, lambda doc=doc, name=name: submit_new(doc, name))
		batch.tick()
	return len(todo)


def _child_names(doctype: str, parents: list[str]) -> dict[str, list[str]]:
	"""parent -> names of its `doctype` rows in row order (one query per 500 parents)."""
	rows: dict[str, list[str]] = {}
	for start in range(0, len(parents), 500):
		for row in frappe.get_all(
			doctype,
			filters={"parent": ("in", parents[start : start + 500])},
			fields=["name", "parent"],
			order_by="parent, idx",
		):
			rows.setdefault(row.parent, []).append(row.name)
	return rows


def _sales_team(order: OrderPlan) -> list[dict]:
	return [{"sales_person": person, "allocated_percentage": share} for person, share in order.sales_team]


def _partner(order: OrderPlan) -> dict:
	if not order.sales_partner:
		return {}
	rate = frappe.get_cached_value("Sales Partner", order.sales_partner, "commission_rate")
	return {"sales_partner": order.sales_partner, "commission_rate": rate}


def build_order(ctx: Context, order: OrderPlan, quotation_rows: dict[str, list[str]]):
	"""The Sales Order of the plan; made from its quotation (item rows linked to the quotation's rows,
	which marks the quotation Ordered and its opportunity Converted on submit)."""
	links = [{} for _line in order.lines]
	if order.quotation:
		quotation = ctx.key(order.quotation)
		links = [{"prevdoc_docname": quotation, "quotation_item": row} for row in quotation_rows[quotation]]
	warehouse = ctx.info.warehouse
	doc = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": ctx.customer(order.customer),
			"order_type": "Sales",
			"transaction_date": order.date,
			"delivery_date": order.delivery_date,
			"set_warehouse": warehouse,
			**_pricing(ctx),
			"items": [
				_item_row(line, delivery_date=order.delivery_date, warehouse=warehouse, **link)
				for line, link in zip(order.lines, links, strict=True)
			],
			"sales_team": _sales_team(order),
			**_partner(order),
			"docstatus": 1,
		}
	)
	doc.append_taxes_from_master()
	return doc


# --- Sales invoices ------------------------------------------------------------------------------------


def load_invoices(ctx: Context) -> int:
	return _load_invoices(ctx, ctx.plan.invoices, ctx.plan.orders, "Sales invoices")


def _load_invoices(ctx: Context, invoices: list[InvoicePlan], orders: list[OrderPlan], label: str) -> int:
	plans = {ctx.key(invoice.key): invoice for invoice in invoices}
	orders = {order.key: order for order in orders}
	amended = [f"{name}-1" for name, invoice in plans.items() if invoice.cancelled]
	status = _docstatus("Sales Invoice", [*plans, *amended])
	order_rows = _child_names(
		"Sales Order Item",
		[
			ctx.key(invoice.order)
			for name, invoice in plans.items()
			if name not in status or invoice.cancelled
		],
	)
	batch = Batch(ctx, label, len(plans))
	added = 0
	for name, invoice in plans.items():
		order = orders[invoice.order]
		if name not in status:
			doc = guard(
				"Sales Invoice", name, lambda i=invoice, o=order: build_invoice(ctx, i, o, order_rows)
			)
			guard("Sales Invoice", name, lambda doc=doc, name=name: quiet(doc).insert(set_name=name))
			status[name] = 1
			added += 1
			batch.tick()
		if invoice.cancelled:
			added += guard(
				"Sales Invoice",
				name,
				lambda n=name, i=invoice, o=order: cancel_and_reissue(ctx, n, i, o, order_rows, status),
			)
	return added


def build_invoice(ctx: Context, invoice: InvoicePlan, order: OrderPlan, order_rows: dict[str, list[str]]):
	"""The Sales Invoice billing the whole order (rows linked to the order's rows); no stock update."""
	sales_order = ctx.key(order.key)
	doc = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": ctx.customer(order.customer),
			"set_posting_time": 1,
			"posting_date": invoice.date,
			"posting_time": "10:00:00",
			"due_date": invoice.due_date,
			"update_stock": 0,
			**_pricing(ctx),
			"items": [
				_item_row(line, sales_order=sales_order, so_detail=row)
				for line, row in zip(order.lines, order_rows[sales_order], strict=True)
			],
			"sales_team": _sales_team(order),
			**_partner(order),
			"docstatus": 1,
		}
	)
	doc.append_taxes_from_master()
	return doc


def cancel_and_reissue(
	ctx: Context,
	name: str,
	invoice: InvoicePlan,
	order: OrderPlan,
	order_rows: dict[str, list[str]],
	status: dict[str, int],
) -> int:
	"""Cancel the invoice (issued with wrong data) and issue its amendment `<name>-1`; 1 when re-issued."""
	if status.get(name) == 1:
		quiet(frappe.get_doc("Sales Invoice", name)).cancel()
		status[name] = 2
	amended = f"{name}-1"
	if amended in status:
		return 0
	doc = build_invoice(ctx, invoice, order, order_rows)
	doc.amended_from = name
	quiet(doc).insert()
	status[amended] = 1
	return 1


# --- Credit notes --------------------------------------------------------------------------------------


def load_returns(ctx: Context) -> int:
	plans = {ctx.key(credit_note.key): credit_note for credit_note in ctx.plan.returns}
	have = existing("Sales Invoice", plans)
	added = 0
	for name, credit_note in plans.items():
		if name in have:
			continue
		doc = guard("Sales Invoice", name, lambda credit_note=credit_note: build_return(ctx, credit_note))
		guard("Sales Invoice", name, lambda doc=doc, name=name: quiet(doc).insert(set_name=name))
		added += 1
	return added


def build_return(ctx: Context, credit_note: ReturnPlan):
	doc = make_sales_return(ctx.key(credit_note.invoice))
	row = next(item for item in doc.items if item.item_code == credit_note.item_code)
	row.qty = -min(credit_note.qty, abs(row.qty))
	doc.set("items", [row])
	doc.set_posting_time = 1
	doc.posting_date = credit_note.date
	doc.posting_time = "15:00:00"
	doc.due_date = credit_note.date
	doc.set("payment_schedule", [])
	doc.remarks = f"退货 Return of {credit_note.qty} x {credit_note.item_code}"
	doc.docstatus = 1
	return doc


# --- Contracts -----------------------------------------------------------------------------------------


def load_contracts(ctx: Context) -> int:
	plans = {ctx.key(contract.key): contract for contract in ctx.plan.contracts}
	have = existing("Contract", plans)
	added = 0
	for name, contract in plans.items():
		if name in have:
			continue
		doc = build_contract(ctx, contract)
		guard("Contract", name, lambda doc=doc, name=name: quiet(doc).insert(set_name=name))
		added += 1
	restore_contract_fields(ctx, plans, have)
	return added


def restore_contract_fields(ctx: Context, plans: dict, have) -> None:
	"""Put back the app's contract value and renewal date: uninstalling the app drops those columns, so a
	reinstalled site has the contracts without them. One read, and a write only where a value is wrong."""
	names = [name for name in plans if name in have]
	if not names:
		return
	current = {
		row.name: row
		for row in frappe.get_all(
			"Contract",
			filters={"name": ("in", names)},
			fields=["name", "document_name", "sr_contract_value", "sr_renewal_date"],
		)
	}
	orders = [row.document_name for row in current.values() if not row.sr_contract_value]
	totals = dict(
		frappe.get_all(
			"Sales Order",
			filters={"name": ("in", orders or [""])},
			fields=["name", "grand_total"],
			as_list=True,
		)
	)
	for name in names:
		row, contract = current.get(name), plans[name]
		if not row:
			continue
		values = {}
		if not row.sr_contract_value and totals.get(row.document_name):
			values["sr_contract_value"] = totals[row.document_name]
		if str(row.sr_renewal_date or "") != str(contract.renewal or ""):
			values["sr_renewal_date"] = contract.renewal
		if values:
			frappe.db.set_value("Contract", name, values, update_modified=False)


def build_contract(ctx: Context, contract: ContractPlan):
	order = ctx.key(contract.order)
	value = frappe.db.get_value("Sales Order", order, "grand_total")
	customer = ctx.customer(contract.customer)
	terms = (
		f"<p>{contract.customer} 与 {ctx.company} 就销售订单 {order} 签订的供货及服务合同,"
		f"合同期 {contract.start} 至 {contract.end},合同金额 ¥{value:,.2f}(含税)。</p>"
		f"<p>Supply and service contract for sales order {order}; term {contract.start} to "
		f"{contract.end}; value CNY {value:,.2f} incl. VAT; renewal review on {contract.renewal}.</p>"
	)
	doc = frappe.get_doc(
		{
			"doctype": "Contract",
			"party_type": "Customer",
			"party_name": customer,
			"start_date": contract.start,
			"end_date": contract.end,
			"sr_contract_value": value,
			"sr_renewal_date": contract.renewal,
			"contract_terms": terms,
			"document_type": "Sales Order",
			"document_name": order,
			"is_signed": int(contract.signed),
			"signee": contract.contact if contract.signed else None,
			"signed_on": datetime.combine(contract.start, time(16, 0)) if contract.signed else None,
			"docstatus": 1 if contract.signed else 0,
		}
	)
	return doc
