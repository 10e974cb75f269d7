"""A telesales call converts to a Quotation or a Sales Order, not only an Opportunity
(`telesales.make_opportunity`): a returning customer who reorders what it bought before needs a price or
an order, not a new project.

The call's agent (or a manager) names the items and quantities (a rate is optional: the customer's price
list fills it); a draft Quotation or Sales Order is made for the call's customer and the call records it
(outcome Converted, Converted To, Conversion Document). Permissions: write on the call (an agent only on
their own call list, through the scope) and create on the target doctype (ERPNext's role rights: a
Telesales Agent may create quotations; sales orders are for Sales Users and Managers). The document stays
a draft for the salesperson to check and submit, where ERPNext's and this app's rules on submit apply
(floor prices, an opportunity for large direct sales)."""

import datetime
from typing import Annotated

import frappe
from frappe import _
from frappe.utils import add_days, flt, today

from sales_reengineering.arguments import check_arguments, iso_date, plain_text, rows_of
from sales_reengineering.companies import user_company
from sales_reengineering.exceptions import InvalidTelesalesCallError

CALL = "Telesales Call"
TARGETS = ("Quotation", "Sales Order")
ITEM_FIELDS = ("item_code", "qty", "rate")
# a sales order made from a call is due for delivery this many days later unless the caller says when
DEFAULT_DELIVERY_DAYS = 7


def convert_call(call: str, doctype: str, items: list[dict], delivery_date=None) -> str:
	"""Make a draft `doctype` (Quotation or Sales Order) of `items` for the call's customer and record it
	on the call; returns its name."""
	if doctype not in TARGETS:
		frappe.throw(_("A call converts to a Quotation or a Sales Order, not {0}.").format(doctype), InvalidTelesalesCallError)
	doc = frappe.get_doc(CALL, call)
	doc.check_permission("write")
	frappe.has_permission(doctype, "create", throw=True)
	if doc.status != "Open" or doc.conversion_name:
		frappe.throw(
			_("Call {0} is already closed or converted; open a new call to sell again.").format(doc.name),
			InvalidTelesalesCallError,
		)
	rows = check_items(items)
	values = {
		"doctype": doctype,
		"company": default_company(doctype),
		"transaction_date": today(),
		"items": rows,
	}
	if doctype == "Quotation":
		values.update(quotation_to="Customer", party_name=doc.customer)
	else:
		delivery_date = delivery_date or add_days(today(), DEFAULT_DELIVERY_DAYS)
		if str(delivery_date) < today():
			frappe.throw(_("The delivery date cannot be in the past."), InvalidTelesalesCallError)
		values.update(customer=doc.customer, delivery_date=delivery_date)
		for row in rows:
			row["delivery_date"] = delivery_date
	target = frappe.get_doc(values)
	target.run_method("set_missing_values")
	for row, given in zip(target.items, rows, strict=True):
		if given.get("rate") is not None:
			row.rate = given["rate"]
	target.insert()
	doc.update({"outcome": "Converted", "conversion_doctype": doctype, "conversion_name": target.name})
	doc.save()
	return target.name


def check_items(items: list[dict]) -> list[dict]:
	"""The items as rows of the new document: each an existing, enabled sales item with a positive
	quantity and, when given, a rate that is not negative."""
	if not items:
		frappe.throw(_("Add at least one item with its quantity."), InvalidTelesalesCallError)
	codes = {str(row.get("item_code") or "") for row in items}
	sellable = set(
		frappe.get_all(
			"Item",
			filters={"name": ("in", sorted(codes)), "disabled": 0, "is_sales_item": 1},
			pluck="name",
		)
	)
	rows = []
	for idx, row in enumerate(items, 1):
		code = str(row.get("item_code") or "")
		if code not in sellable:
			frappe.throw(_("Row {0}: {1} is not an item that can be sold.").format(idx, code or "-"), InvalidTelesalesCallError)
		qty = flt(row.get("qty"))
		if qty <= 0:
			frappe.throw(_("Row {0}: the quantity must be more than 0.").format(idx), InvalidTelesalesCallError)
		rate = row.get("rate")
		if rate not in (None, "") and flt(rate) < 0:
			frappe.throw(_("Row {0}: the rate cannot be negative.").format(idx), InvalidTelesalesCallError)
		rows.append({"item_code": code, "qty": qty, "rate": None if rate in (None, "") else flt(rate)})
	return rows


def default_company(doctype: str | None = None) -> str | None:
	"""The user's default company, else the site's unless their User Permissions on Company leave it out
	(an employee's user has one on their company): a document of a company they may not use is refused."""
	return user_company(doctype)


@frappe.whitelist(methods=["POST"])
@check_arguments
def make_quotation(
	call: Annotated[str, plain_text("Telesales Call")],
	items: Annotated[list, rows_of("Items", ITEM_FIELDS)],
) -> str:
	"""Button on the Telesales Call form: a draft Quotation of `items` for the call's customer."""
	return convert_call(call, "Quotation", items)


@frappe.whitelist(methods=["POST"])
@check_arguments
def make_sales_order(
	call: Annotated[str, plain_text("Telesales Call")],
	items: Annotated[list, rows_of("Items", ITEM_FIELDS)],
	delivery_date: Annotated[datetime.date, iso_date("Delivery Date")] | None = None,
) -> str:
	"""Button on the Telesales Call form: a draft Sales Order of `items` for the call's customer."""
	return convert_call(call, "Sales Order", items, delivery_date)
