"""The KPI indicator library: how each indicator's actual value is computed from ERPNext data.

Every computer takes the *whole population* at once and runs ONE aggregate query for it:

    compute(indicator, parties, from_date, to_date) -> {party: value}

``parties`` are Sales Person names (or Dealer names for dealer indicators); parties with no data
are absent from the result (the caller treats a missing value as 0 for counts and sums). The period is
inclusive on both ends (dates). Group nodes are rolled up by the caller (see `rollup`), never here.

Indicators that read doctypes or fields built by other modules (Opportunity Stage Log, Sales Progress
Snapshot, Info Feedback Report, Dealer, the customer completeness field) find their fields through the
doctype's meta and return ``{}`` while that doctype or field does not exist on the site.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import frappe
from frappe import _
from frappe.query_builder.functions import Avg, Count, Min, Sum
from frappe.utils import flt, getdate

# -------------------------------------------------------------------------------------------------
# Built-in library
# -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltIn:
	key: str
	label: str
	unit: str
	higher_is_better: bool
	rollup: str  # "Sum" or "Average": how a group node combines its members' values
	description: str
	compute: Callable[[list[str], date, date], dict[str, float]]
	drilldown_doctype: str | None = None


def _period(from_date, to_date) -> tuple[date, date]:
	return getdate(from_date), getdate(to_date)


def _as_dict(rows: Iterable) -> dict[str, float]:
	return {row[0]: flt(row[1]) for row in rows if row[0]}


def net_sales(persons: list[str], from_date, to_date) -> dict[str, float]:
	si = frappe.qb.DocType("Sales Invoice")
	st = frappe.qb.DocType("Sales Team")
	start, end = _period(from_date, to_date)
	rows = (
		frappe.qb.from_(si)
		.join(st)
		.on((st.parent == si.name) & (st.parenttype == "Sales Invoice"))
		.select(st.sales_person, Sum(si.base_net_total * st.allocated_percentage / 100))
		.where(si.docstatus == 1)
		.where(si.posting_date[start:end])
		.where(st.sales_person.isin(persons))
		.groupby(st.sales_person)
	).run()
	return _as_dict(rows)


def collections(persons: list[str], from_date, to_date) -> dict[str, float]:
	pe = frappe.qb.DocType("Payment Entry")
	ref = frappe.qb.DocType("Payment Entry Reference")
	st = frappe.qb.DocType("Sales Team")
	start, end = _period(from_date, to_date)
	rows = (
		frappe.qb.from_(ref)
		.join(pe)
		.on(pe.name == ref.parent)
		.join(st)
		.on((st.parent == ref.reference_name) & (st.parenttype == "Sales Invoice"))
		.select(st.sales_person, Sum(ref.allocated_amount * st.allocated_percentage / 100))
		.where(ref.parenttype == "Payment Entry")
		.where(ref.reference_doctype == "Sales Invoice")
		.where(pe.docstatus == 1)
		.where(pe.payment_type == "Receive")
		.where(pe.posting_date[start:end])
		.where(st.sales_person.isin(persons))
		.groupby(st.sales_person)
	).run()
	return _as_dict(rows)


def _first_invoice_dates():
	"""Sub-query: each customer's first submitted, non-return invoice date."""
	si = frappe.qb.DocType("Sales Invoice")
	return (
		frappe.qb.from_(si)
		.select(si.customer, Min(si.posting_date).as_("first_date"))
		.where(si.docstatus == 1)
		.where(si.is_return == 0)
		.groupby(si.customer)
	)


def new_customers(persons: list[str], from_date, to_date) -> dict[str, float]:
	customer = frappe.qb.DocType("Customer")
	first = _first_invoice_dates().as_("first")
	start, end = _period(from_date, to_date)
	rows = (
		frappe.qb.from_(customer)
		.join(first)
		.on(first.customer == customer.name)
		.select(customer.sr_sales_person, Count(customer.name))
		.where(customer.sr_sales_person.isin(persons))
		.where(first.first_date[start:end])
		.groupby(customer.sr_sales_person)
	).run()
	return _as_dict(rows)


def repeat_customers(persons: list[str], from_date, to_date) -> dict[str, float]:
	customer = frappe.qb.DocType("Customer")
	si = frappe.qb.DocType("Sales Invoice")
	first = _first_invoice_dates().as_("first")
	start, end = _period(from_date, to_date)
	rows = (
		frappe.qb.from_(si)
		.join(customer)
		.on(customer.name == si.customer)
		.join(first)
		.on(first.customer == si.customer)
		.select(customer.sr_sales_person, Count(si.customer).distinct())
		.where(si.docstatus == 1)
		.where(si.is_return == 0)
		.where(si.posting_date[start:end])
		.where(first.first_date < start)
		.where(customer.sr_sales_person.isin(persons))
		.groupby(customer.sr_sales_person)
	).run()
	return _as_dict(rows)


def opportunities_won(persons: list[str], from_date, to_date) -> dict[str, float]:
	opportunity = frappe.qb.DocType("Opportunity")
	quotation = frappe.qb.DocType("Quotation")
	so_item = frappe.qb.DocType("Sales Order Item")
	so = frappe.qb.DocType("Sales Order")
	start, end = _period(from_date, to_date)
	won = (
		frappe.qb.from_(so_item)
		.join(so)
		.on(so.name == so_item.parent)
		.join(quotation)
		.on(quotation.name == so_item.prevdoc_docname)
		.select(quotation.opportunity, Min(so.transaction_date).as_("won_on"))
		.where(so.docstatus == 1)
		.where(quotation.docstatus == 1)
		.where(quotation.opportunity.isnotnull())
		.groupby(quotation.opportunity)
	).as_("won")
	rows = (
		frappe.qb.from_(opportunity)
		.join(won)
		.on(won.opportunity == opportunity.name)
		.select(opportunity.sr_sales_person, Count(opportunity.name))
		.where(opportunity.sr_sales_person.isin(persons))
		.where(won.won_on[start:end])
		.groupby(opportunity.sr_sales_person)
	).run()
	return _as_dict(rows)


def activities_logged(persons: list[str], from_date, to_date) -> dict[str, float]:
	"""Events (visits, calls, meetings) created by the salesperson's user, by start date."""
	event = frappe.qb.DocType("Event")
	person = frappe.qb.DocType("Sales Person")
	employee = frappe.qb.DocType("Employee")
	start, end = _period(from_date, to_date)
	rows = (
		frappe.qb.from_(event)
		.join(employee)
		.on(employee.user_id == event.owner)
		.join(person)
		.on(person.employee == employee.name)
		.select(person.name, Count(event.name))
		.where(person.name.isin(persons))
		.where(event.starts_on >= start)
		.where(event.starts_on < end + timedelta(days=1))
		.groupby(person.name)
	).run()
	return _as_dict(rows)


# --- indicators over other modules' doctypes: found through meta, empty while missing -------------


def _field(doctype: str, fieldtype: str | tuple, options: str | None = None, hint: str = "") -> str | None:
	"""The first field of `doctype` of that type (and link target), preferring names containing `hint`."""
	if not frappe.db.exists("DocType", doctype):
		return None
	types = (fieldtype,) if isinstance(fieldtype, str) else fieldtype
	fields = [
		df.fieldname
		for df in frappe.get_meta(doctype).fields
		if df.fieldtype in types and (options is None or df.options == options)
	]
	preferred = [name for name in fields if hint and hint in name]
	return (preferred or fields or [None])[0]


def _date_field(doctype: str) -> str:
	return _field(doctype, ("Date", "Datetime"), hint="date") or "creation"


def _in_period(column, start: date, end: date):
	return (column >= start) & (column < end + timedelta(days=1))


def opportunities_advanced(persons: list[str], from_date, to_date) -> dict[str, float]:
	"""Distinct opportunities with at least one logged move to a higher-order stage in the period."""
	doctype = "Opportunity Stage Log"
	opp_field = _field(doctype, "Link", "Opportunity")
	from_field = _field(doctype, "Link", "Sales Stage", hint="from")
	to_field = _field(doctype, "Link", "Sales Stage", hint="to")
	if not (opp_field and from_field and to_field) or from_field == to_field:
		return {}
	log = frappe.qb.DocType(doctype)
	opportunity = frappe.qb.DocType("Opportunity")
	old = frappe.qb.DocType("Sales Stage").as_("old_stage")
	new = frappe.qb.DocType("Sales Stage").as_("new_stage")
	start, end = _period(from_date, to_date)
	rows = (
		frappe.qb.from_(log)
		.join(opportunity)
		.on(opportunity.name == log[opp_field])
		.join(old)
		.on(old.name == log[from_field])
		.join(new)
		.on(new.name == log[to_field])
		.select(opportunity.sr_sales_person, Count(log[opp_field]).distinct())
		.where(new.sr_stage_order > old.sr_stage_order)
		.where(_in_period(log[_date_field(doctype)], start, end))
		.where(opportunity.sr_sales_person.isin(persons))
		.groupby(opportunity.sr_sales_person)
	).run()
	return _as_dict(rows)


def stage_progress_rate(persons: list[str], from_date, to_date) -> dict[str, float]:
	"""Average of the weekly progress rates (percent) in the Sales Progress Snapshots of the period."""
	doctype = "Sales Progress Snapshot"
	person_field = _field(doctype, "Link", "Sales Person")
	rate_field = _field(doctype, ("Percent", "Float"), hint="rate")
	if not (person_field and rate_field):
		return {}
	snapshot = frappe.qb.DocType(doctype)
	start, end = _period(from_date, to_date)
	rows = (
		frappe.qb.from_(snapshot)
		.select(snapshot[person_field], Avg(snapshot[rate_field]))
		.where(snapshot[person_field].isin(persons))
		.where(_in_period(snapshot[_date_field(doctype)], start, end))
		.where(snapshot.docstatus < 2)
		.groupby(snapshot[person_field])
	).run()
	return _as_dict(rows)


COMPLETENESS_FIELDS = ("sr_completeness_score", "sr_data_completeness", "sr_completeness")


def customer_completeness(persons: list[str], from_date, to_date) -> dict[str, float]:
	"""Average completeness (percent) of the customers the salesperson answers for, today."""
	meta = frappe.get_meta("Customer")
	fieldname = next((name for name in COMPLETENESS_FIELDS if meta.has_field(name)), None)
	if not fieldname:
		return {}
	customer = frappe.qb.DocType("Customer")
	rows = (
		frappe.qb.from_(customer)
		.select(customer.sr_sales_person, Avg(customer[fieldname]))
		.where(customer.sr_sales_person.isin(persons))
		.where(customer.disabled == 0)
		.groupby(customer.sr_sales_person)
	).run()
	return _as_dict(rows)


def _feedback(persons: list[str], from_date, to_date, aggregate: str) -> dict[str, float]:
	doctype = "Info Feedback Report"
	person_field = _field(doctype, "Link", "Sales Person")
	rating_field = _field(doctype, ("Rating", "Int", "Float"), hint="rating")
	if not person_field or (aggregate == "rating" and not rating_field):
		return {}
	report = frappe.qb.DocType(doctype)
	start, end = _period(from_date, to_date)
	value = Count(report.name) if aggregate == "count" else Avg(report[rating_field])
	query = (
		frappe.qb.from_(report)
		.select(report[person_field], value)
		.where(report[person_field].isin(persons))
		.where(report.docstatus < 2)
		.where(_in_period(report[_date_field(doctype)], start, end))
		.groupby(report[person_field])
	)
	if aggregate == "rating":
		query = query.where(report[rating_field] > 0)
	return _as_dict(query.run())


def info_feedback_count(persons: list[str], from_date, to_date) -> dict[str, float]:
	return _feedback(persons, from_date, to_date, "count")


def info_feedback_rating(persons: list[str], from_date, to_date) -> dict[str, float]:
	return _feedback(persons, from_date, to_date, "rating")


def dealer_sell_in(persons: list[str], from_date, to_date) -> dict[str, float]:
	"""Net sales invoiced to the dealers each channel manager (the dealer's account manager) looks after."""
	customer_field = _field("Dealer", "Link", "Customer")
	manager_field = _field("Dealer", "Link", "Sales Person")
	if not (customer_field and manager_field):
		return {}
	dealer = frappe.qb.DocType("Dealer")
	si = frappe.qb.DocType("Sales Invoice")
	start, end = _period(from_date, to_date)
	rows = (
		frappe.qb.from_(si)
		.join(dealer)
		.on(dealer[customer_field] == si.customer)
		.select(dealer[manager_field], Sum(si.base_net_total))
		.where(si.docstatus == 1)
		.where(si.posting_date[start:end])
		.where(dealer[manager_field].isin(persons))
		.groupby(dealer[manager_field])
	).run()
	return _as_dict(rows)


BUILT_INS: dict[str, BuiltIn] = {
	item.key: item
	for item in (
		BuiltIn(
			"net_sales",
			"Net Sales",
			"Currency",
			True,
			"Sum",
			"Sum of the net total (company currency) of submitted Sales Invoices posted in the period, "
			"multiplied by the salesperson's allocated percentage in the invoice's Sales Team. Credit notes "
			"(returns) are negative and so net off; cancelled and draft invoices are ignored.",
			net_sales,
			"Sales Invoice",
		),
		BuiltIn(
			"new_customers",
			"New Customers",
			"Count",
			True,
			"Sum",
			"Number of customers the salesperson answers for (Customer's Responsible Sales Person) whose "
			"first submitted, non-return Sales Invoice ever is posted in the period.",
			new_customers,
			"Customer",
		),
		BuiltIn(
			"repeat_customers",
			"Repeat Customers",
			"Count",
			True,
			"Sum",
			"Number of the salesperson's customers with a submitted, non-return Sales Invoice in the period "
			"and an earlier one before the period started.",
			repeat_customers,
			"Customer",
		),
		BuiltIn(
			"opportunities_advanced",
			"Opportunities Advanced",
			"Count",
			True,
			"Sum",
			"Number of the salesperson's opportunities with at least one move to a stage of higher order "
			"in the Opportunity Stage Log during the period. Empty until the stage log exists.",
			opportunities_advanced,
			"Opportunity",
		),
		BuiltIn(
			"opportunities_won",
			"Opportunities Won",
			"Count",
			True,
			"Sum",
			"Number of the salesperson's opportunities whose first submitted Sales Order (made from a "
			"quotation of the opportunity) is dated in the period.",
			opportunities_won,
			"Opportunity",
		),
		BuiltIn(
			"stage_progress_rate",
			"Weekly Stage-Progress Rate",
			"Percent",
			True,
			"Average",
			"Average over the weeks of the period of the share of open opportunities that moved up at least "
			"one stage in the week (Sales Progress Snapshot). Empty until the snapshots exist.",
			stage_progress_rate,
		),
		BuiltIn(
			"customer_completeness",
			"Customer Data Completeness",
			"Percent",
			True,
			"Average",
			"Average data-completeness score of the enabled customers the salesperson answers for, as of "
			"today. Empty until the completeness score field exists on Customer.",
			customer_completeness,
			"Customer",
		),
		BuiltIn(
			"info_feedback_count",
			"Info Feedback Reports",
			"Count",
			True,
			"Sum",
			"Number of Info Feedback Reports (not cancelled) by the salesperson dated in the period.",
			info_feedback_count,
			"Info Feedback Report",
		),
		BuiltIn(
			"info_feedback_rating",
			"Info Feedback Rating",
			"Rating",
			True,
			"Average",
			"Average manager quality rating of the salesperson's rated Info Feedback Reports in the period.",
			info_feedback_rating,
			"Info Feedback Report",
		),
		BuiltIn(
			"activities_logged",
			"Activities Logged",
			"Count",
			True,
			"Sum",
			"Number of Events (visits, calls, meetings) created by the salesperson's user (Sales Person → "
			"Employee → User) starting in the period.",
			activities_logged,
			"Event",
		),
		BuiltIn(
			"dealer_sell_in",
			"Dealer Sell-in",
			"Currency",
			True,
			"Sum",
			"Net total of submitted Sales Invoices in the period to the Customers of the dealers the "
			"channel manager is account manager of (returns net off). Empty until the Dealer doctype exists.",
			dealer_sell_in,
			"Sales Invoice",
		),
		BuiltIn(
			"collections",
			"Collections",
			"Currency",
			True,
			"Sum",
			"Amount allocated by submitted receive Payment Entries posted in the period to Sales Invoices, "
			"multiplied by the salesperson's allocated percentage in the invoice's Sales Team.",
			collections,
			"Payment Entry",
		),
	)
}


def get_builtin(key: str) -> BuiltIn:
	if key not in BUILT_INS:
		from sales_reengineering.exceptions import InvalidIndicatorError

		frappe.throw(_("Unknown built-in indicator {0}.").format(key), InvalidIndicatorError)
	return BUILT_INS[key]


def rollup(values: list[float], method: str) -> float | None:
	"""Combine the values of a group's members: `Sum`, or `Average` of the members that have a value."""
	if not values:
		return None if method == "Average" else 0.0
	return sum(values) / len(values) if method == "Average" else sum(values)
