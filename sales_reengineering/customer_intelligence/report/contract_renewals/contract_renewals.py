# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Customer contracts coming up for renewal: the renewal date (or, without one, the end date) falls
within the next `days_ahead` days, or has passed already (`include_overdue`). One query joined to the
customer's responsible salesperson; each user sees the contracts of the customers they may see (the
Customer permission rule, see customer_intelligence/permissions.py) and their User Permissions allow (the
contract's customer, and that customer's territory)."""

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce
from frappe.utils import add_days, cint, date_diff, flt, getdate, today

from sales_reengineering.arguments import report_filters
from sales_reengineering.exceptions import CustomerIntelligenceError
from sales_reengineering.scope import user_permissions
from sales_reengineering.scope.customers import visible_customers_criterion
from sales_reengineering.scope.people import get_subtree

MAX_DAYS_AHEAD = 3660


# a site with a read replica (read_from_replica) answers the report from it; the report only reads
@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, texts=("sales_person",))
	validate_filters(filters)
	data = get_data(filters)
	return get_columns(), data, None, None, get_summary(data)


def validate_filters(filters) -> None:
	days = filters.days_ahead
	if days in (None, "") or str(cint(days)) != str(days).strip() or not 0 <= cint(days) <= MAX_DAYS_AHEAD:
		frappe.throw(
			_("Due Within (Days) must be a whole number from 0 to {0}, not {1}.").format(
				MAX_DAYS_AHEAD, days
			),
			CustomerIntelligenceError,
		)
	filters.days_ahead = cint(days)
	filters.include_overdue = cint(filters.get("include_overdue", 1))


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "contract",
			"label": _("Contract"),
			"fieldtype": "Link",
			"options": "Contract",
			"width": 150,
		},
		{
			"fieldname": "customer",
			"label": _("Customer"),
			"fieldtype": "Link",
			"options": "Customer",
			"width": 180,
		},
		{
			"fieldname": "sales_person",
			"label": _("Sales Person"),
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 160,
		},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 90},
		{"fieldname": "end_date", "label": _("End Date"), "fieldtype": "Date", "width": 100},
		{"fieldname": "renewal_date", "label": _("Renewal Date"), "fieldtype": "Date", "width": 110},
		{"fieldname": "days_left", "label": _("Days Left"), "fieldtype": "Int", "width": 90},
		{"fieldname": "contract_value", "label": _("Contract Value"), "fieldtype": "Currency", "width": 130},
	]


def get_data(filters) -> list[dict]:
	contract = frappe.qb.DocType("Contract")
	customer = frappe.qb.DocType("Customer")
	due = Coalesce(contract.sr_renewal_date, contract.end_date)
	query = (
		frappe.qb.from_(contract)
		.join(customer)
		.on(customer.name == contract.party_name)
		.select(
			contract.name.as_("contract"),
			contract.party_name.as_("customer"),
			customer.sr_sales_person.as_("sales_person"),
			contract.status,
			contract.end_date,
			contract.sr_renewal_date.as_("renewal_date"),
			due.as_("due"),
			contract.sr_contract_value.as_("contract_value"),
		)
		.where(
			(contract.party_type == "Customer")
			& (contract.docstatus < 2)
			& due.isnotnull()
			& (due <= add_days(today(), filters.days_ahead))
		)
		.orderby(due)
	)
	if not filters.include_overdue:
		query = query.where(due >= getdate(today()))
	if restriction := visible_customers_criterion(contract.party_name):
		query = query.where(restriction)
	query = user_permissions.apply_to(query, "Contract", contract)
	query = user_permissions.apply_to(query, "Customer", customer)
	if filters.sales_person:
		query = query.where(customer.sr_sales_person.isin(get_subtree([filters.sales_person]) or [""]))
	rows = query.run(as_dict=True)
	for row in rows:
		row.days_left = date_diff(row.pop("due"), today())
	return rows


def get_summary(data: list[dict]) -> list[dict]:
	overdue = [row for row in data if row.days_left < 0]
	return [
		{
			"value": len(data) - len(overdue),
			"label": _("Due for Renewal"),
			"datatype": "Int",
			"indicator": "Orange",
		},
		{"value": len(overdue), "label": _("Overdue"), "datatype": "Int", "indicator": "Red"},
		{
			"value": sum(flt(row.contract_value) for row in data),
			"label": _("Value at Stake"),
			"datatype": "Currency",
		},
	]
