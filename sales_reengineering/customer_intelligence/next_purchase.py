"""Each customer's predicted next purchase, stored on the Customer (see `core.next_purchase`).

- `refresh_customer` (doc_events: a Sales Invoice submitted or cancelled) recomputes the one customer
  from one query over its invoices;
- `refresh_all` (the daily telesales job, and the patch for existing sites) recomputes everyone from ONE
  query over all submitted invoices, and writes only the customers whose values changed, in bulk
  (`frappe.db.bulk_update`, a CASE update per chunk). Idempotent: a second run writes nothing.

The stored fields (`sr_last_purchase_date`, `sr_purchase_interval_days`, `sr_predicted_next_purchase`)
are what the telesales call list is built from (`telesales.find_dormant_customers`).
"""

from datetime import date

import frappe
from frappe.utils import flt, getdate

from sales_reengineering.core.next_purchase import Prediction, predict_next_purchase
from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
	get_settings,
)

FIELDS = ("sr_last_purchase_date", "sr_purchase_interval_days", "sr_predicted_next_purchase")
CHUNK = 500


def purchase_days(customers: list[str] | None = None, until: date | None = None) -> dict[str, list[date]]:
	"""{customer: its distinct purchase days} from submitted, non-return invoices (one query), for
	`customers` (all when None), on or before `until` (all when None).

	One DISTINCT (customer, posting_date) query rather than GROUP BY customer with GROUP_CONCAT: a median
	needs every date, and MariaDB's group_concat_max_len (1,024 bytes by default) would silently cut a
	long history."""
	invoice = frappe.qb.DocType("Sales Invoice")
	query = (
		frappe.qb.from_(invoice)
		.select(invoice.customer, invoice.posting_date)
		.distinct()
		.where((invoice.docstatus == 1) & (invoice.is_return == 0))
	)
	if customers is not None:
		if not customers:
			return {}
		query = query.where(invoice.customer.isin(customers))
	if until:
		query = query.where(invoice.posting_date <= getdate(until))
	days: dict[str, list[date]] = {}
	for customer, posting_date in query.run():
		days.setdefault(customer, []).append(getdate(posting_date))
	return days


def predictions(
	customers: list[str] | None = None, until: date | None = None
) -> dict[str, Prediction]:
	"""{customer: Prediction} for the customers that ever bought (see `purchase_days`)."""
	minimum = get_settings().telesales_min_purchases
	return {
		customer: predict_next_purchase(days, minimum)
		for customer, days in purchase_days(customers, until).items()
	}


def stored_values(prediction: Prediction | None) -> dict:
	"""The Customer's fields for `prediction`; no interval is stored as 0 (a Float column is NOT NULL)."""
	if not prediction:
		return {"sr_last_purchase_date": None, "sr_purchase_interval_days": 0, "sr_predicted_next_purchase": None}
	return {
		"sr_last_purchase_date": prediction.last_purchase,
		"sr_purchase_interval_days": prediction.interval or 0,
		"sr_predicted_next_purchase": prediction.next_purchase,
	}


def _same(stored: dict, new: dict) -> bool:
	for field in FIELDS:
		old, value = stored.get(field), new.get(field)
		if field == "sr_purchase_interval_days":
			if abs(flt(old) - flt(value)) > 0.05:
				return False
		elif (getdate(old) if old else None) != value:
			return False
	return True


def refresh_customer(customer: str | None) -> None:
	"""Recompute one customer (one query for its invoices, one to read and at most one to write)."""
	if not customer:
		return
	new = stored_values(predictions([customer]).get(customer))
	stored = frappe.db.get_value("Customer", customer, FIELDS, as_dict=True)
	if stored is not None and not _same(stored, new):
		frappe.db.set_value("Customer", customer, new, update_modified=False)


def on_invoice_change(doc, method=None) -> None:
	"""doc_events (Sales Invoice on_submit, on_cancel): the customer's purchase days changed. A credit
	note changes none (returns are not purchases)."""
	if not doc.get("is_return"):
		refresh_customer(doc.customer)


def refresh_all() -> int:
	"""Recompute every customer: one query over the invoices, one over the stored values, and a bulk
	update of those that changed (also clearing customers whose every invoice was cancelled). Returns the
	number of customers written."""
	new = {customer: stored_values(prediction) for customer, prediction in predictions().items()}
	customer = frappe.qb.DocType("Customer")
	stored = frappe.qb.from_(customer).select(customer.name, *(customer[field] for field in FIELDS)).run(
		as_dict=True
	)
	updates = {}
	for row in stored:
		values = new.get(row.name) or stored_values(None)
		if not _same(row, values):
			updates[row.name] = values
	frappe.db.bulk_update("Customer", updates, chunk_size=CHUNK, update_modified=False)
	return len(updates)
