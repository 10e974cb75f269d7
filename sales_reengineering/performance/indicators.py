"""The KPI indicator library: how each indicator's actual value is computed from ERPNext data.

Each built-in has ONE query builder, its *source* (`Source`): the documents behind the number for a
whole population of parties and one period, the column naming each document's party, the column naming
the document itself and the aggregate that turns a party's documents into its value. Both uses read it:

    BuiltIn.compute(parties, from_date, to_date) -> {party: value}     ONE query grouped by party
    BuiltIn.document_names(parties, from_date, to_date, limit)        the drill-down: distinct names

so the drill-down lists exactly the documents the value is made of, without a second copy of the rules.
Custom and manual indicators build the same `Source` (see `KPIIndicator.get_source`).

``company``: the documents that carry a company (Sales Invoice, Payment Entry, Sales Order, Opportunity)
count only when they are of that company (a Sales Task's company); an indicator whose documents carry
none (activities, the app's own doctypes, customers) ignores it. Without a company nothing is filtered.

``parties`` are Sales Person names, or Dealer names for the dealer indicators (`BuiltIn.party_type`,
copied to the KPI Indicator record); parties with no data
are absent from the result (the caller treats a missing value as 0 for counts and sums). The period is
inclusive on both ends (dates). Group nodes are rolled up by the caller (see `rollup`), never here.

Indicators that read doctypes or fields built by other modules (Opportunity Stage Log, Sales Progress
Snapshot, Info Feedback Report, Dealer, Deal Registration, Sell Through Report, Telesales Call, the
customer completeness and assistant fields) check the doctype (or find their fields through its meta)
and have no source (so ``{}`` and no documents) while that doctype or field does not exist on the site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import frappe
from frappe import _
from frappe.query_builder.functions import Avg, Count, Min, NullIf, Sum
from frappe.utils import flt, getdate
from pypika.terms import Case, ExistsCriterion, LiteralValue

if TYPE_CHECKING:
	from pypika.queries import QueryBuilder
	from pypika.terms import Term

# -------------------------------------------------------------------------------------------------
# Built-in library
# -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
	"""The documents behind an indicator, restricted to the parties and the period.

	query: FROM / JOIN / WHERE only (no SELECT, no GROUP BY); party: the column holding each row's party;
	document: the column holding the name of the drill-down doctype's document; value: the aggregate
	over the rows of one party. Built-in, custom and manual indicators all describe themselves this way,
	and both the value and the drill-down are read from it."""

	query: QueryBuilder
	party: Term
	document: Term
	value: Term

	def aggregate(self) -> dict[str, float]:
		"""{party: value} for every party in ONE query grouped by party."""
		rows = self.query.select(self.party, self.value).groupby(self.party).run()
		return {party: flt(value) for party, value in rows if party}

	def document_names(self, limit: int) -> list[str]:
		"""The distinct names of the documents behind the values (at most `limit`, by name)."""
		rows = (
			self.query.select(self.document)
			.distinct()
			.where(self.document.isnotnull())
			.orderby(self.document)
			.limit(limit)
		).run()
		return [name for (name,) in rows]


@dataclass(frozen=True)
class BuiltIn:
	key: str
	label: str
	unit: str
	higher_is_better: bool
	rollup: str  # "Sum" or "Average": how a group node combines its members' values
	description: str
	# (parties, start, end) -> Source, or None while a doctype or field it needs does not exist
	source: Callable[..., Source | None]
	drilldown_doctype: str
	party_type: str = "Sales Person"  # what `parties` name: Sales Persons or Dealers
	# the source reads documents that carry a company and takes `company=` (see the module docstring)
	by_company: bool = False

	def get_source(self, parties: list[str], from_date, to_date, company: str | None = None) -> Source | None:
		parties = [party for party in parties if party]
		if not parties:
			return None
		if self.by_company:
			return self.source(parties, *_period(from_date, to_date), company=company)
		return self.source(parties, *_period(from_date, to_date))

	def compute(self, parties: list[str], from_date, to_date, company: str | None = None) -> dict[str, float]:
		"""{party: value} for every party in ONE aggregate query; parties without data are absent."""
		source = self.get_source(parties, from_date, to_date, company)
		return source.aggregate() if source else {}

	def document_names(
		self, parties: list[str], from_date, to_date, limit: int, company: str | None = None
	) -> list[str]:
		"""Names of the `drilldown_doctype` documents behind the values of `parties`."""
		source = self.get_source(parties, from_date, to_date, company)
		return source.document_names(limit) if source else []


def _period(from_date, to_date) -> tuple[date, date]:
	return getdate(from_date), getdate(to_date)


def of_company(query, table, company: str | None):
	"""`query` restricted to the documents of `table` of `company` (unchanged without a company)."""
	return query.where(table.company == company) if company else query


def _in_period(column, start: date, end: date):
	"""`column` (a Date or Datetime) on a day from `start` to `end`, both included."""
	return (column >= start) & (column < end + timedelta(days=1))


# --- sources over ERPNext doctypes ----------------------------------------------------------------


def net_sales_source(persons: list[str], start: date, end: date, company: str | None = None) -> Source:
	si = frappe.qb.DocType("Sales Invoice")
	st = frappe.qb.DocType("Sales Team")
	query = (
		frappe.qb.from_(si)
		.join(st)
		.on((st.parent == si.name) & (st.parenttype == "Sales Invoice"))
		.where(si.docstatus == 1)
		.where(si.posting_date[start:end])
		.where(st.sales_person.isin(persons))
	)
	query = of_company(query, si, company)
	return Source(query, st.sales_person, si.name, Sum(si.base_net_total * st.allocated_percentage / 100))


def collections_source(persons: list[str], start: date, end: date, company: str | None = None) -> Source:
	pe = frappe.qb.DocType("Payment Entry")
	ref = frappe.qb.DocType("Payment Entry Reference")
	st = frappe.qb.DocType("Sales Team")
	query = (
		frappe.qb.from_(ref)
		.join(pe)
		.on(pe.name == ref.parent)
		.join(st)
		.on((st.parent == ref.reference_name) & (st.parenttype == "Sales Invoice"))
		.where(ref.parenttype == "Payment Entry")
		.where(ref.reference_doctype == "Sales Invoice")
		.where(pe.docstatus == 1)
		.where(pe.payment_type == "Receive")
		.where(pe.posting_date[start:end])
		.where(st.sales_person.isin(persons))
	)
	query = of_company(query, pe, company)
	return Source(query, st.sales_person, pe.name, Sum(ref.allocated_amount * st.allocated_percentage / 100))


def _invoiced_before(customer_column, start: date, company: str | None = None):
	"""EXISTS: the customer has a submitted, non-return invoice (of `company`) dated before `start`.
	One probe of `sr_customer_company` per invoice of the period, so the cost follows the period's
	invoices, not every customer's whole history (the derived table of every customer's first invoice,
	which repeat customers used before, took 3-4x the time when the data doubled)."""
	earlier = frappe.qb.DocType("Sales Invoice").as_("earlier")
	query = (
		frappe.qb.from_(earlier)
		.select(1)
		.where(earlier.customer == customer_column)
		.where(earlier.docstatus == 1)
		.where(earlier.is_return == 0)
		.where(earlier.posting_date < start)
	)
	return ExistsCriterion(of_company(query, earlier, company))


def new_customers_source(persons: list[str], start: date, end: date, company: str | None = None) -> Source:
	"""Customers whose first submitted, non-return invoice (of `company`: a customer of another company
	is new to this one) is dated in the period: invoiced in it and never before it. Read from the
	period's invoices with one `sr_customer_company` probe each, like repeat customers, so the cost
	follows the period and not the whole history (the derived table of every customer's first invoice,
	used before, read every invoice ever made each time)."""
	customer = frappe.qb.DocType("Customer")
	si = frappe.qb.DocType("Sales Invoice")
	earlier = frappe.qb.DocType("Sales Invoice").as_("earlier")
	before = (
		(earlier.customer == si.customer)
		& (earlier.docstatus == 1)
		& (earlier.is_return == 0)
		& (earlier.posting_date < start)
	)
	if company:
		before &= earlier.company == company
	# an anti-join as LEFT JOIN ... IS NULL: MariaDB probes the index once per row and stops at the
	# first match ("Not exists"); NOT EXISTS was turned into a materialised list of every earlier invoice
	query = (
		frappe.qb.from_(si)
		.join(customer)
		.on(customer.name == si.customer)
		.left_join(earlier)
		.on(before)
		.where(si.docstatus == 1)
		.where(si.is_return == 0)
		.where(si.posting_date[start:end])
		.where(earlier.name.isnull())
		.where(customer.sr_sales_person.isin(persons))
	)
	query = of_company(query, si, company)
	return Source(query, customer.sr_sales_person, si.customer, Count(si.customer).distinct())


def repeat_customers_source(persons: list[str], start: date, end: date, company: str | None = None) -> Source:
	"""Customers invoiced in the period who had been invoiced before it (of `company`)."""
	customer = frappe.qb.DocType("Customer")
	si = frappe.qb.DocType("Sales Invoice")
	query = (
		frappe.qb.from_(si)
		.join(customer)
		.on(customer.name == si.customer)
		.where(si.docstatus == 1)
		.where(si.is_return == 0)
		.where(si.posting_date[start:end])
		.where(_invoiced_before(si.customer, start, company))
		.where(customer.sr_sales_person.isin(persons))
	)
	query = of_company(query, si, company)
	return Source(query, customer.sr_sales_person, si.customer, Count(si.customer).distinct())


def opportunities_won_source(
	persons: list[str], start: date, end: date, company: str | None = None
) -> Source:
	opportunity = frappe.qb.DocType("Opportunity")
	quotation = frappe.qb.DocType("Quotation")
	so_item = frappe.qb.DocType("Sales Order Item")
	so = frappe.qb.DocType("Sales Order")
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
	)
	won = of_company(won, so, company).as_("won")
	query = (
		frappe.qb.from_(opportunity)
		.join(won)
		.on(won.opportunity == opportunity.name)
		.where(opportunity.sr_sales_person.isin(persons))
		.where(won.won_on[start:end])
	)
	query = of_company(query, opportunity, company)
	return Source(query, opportunity.sr_sales_person, opportunity.name, Count(opportunity.name))


def _invoices_from_opportunities():
	"""Sub-query: Sales Invoices with an item billing a Sales Order made from a submitted Quotation of an
	Opportunity (Sales Invoice Item.sales_order -> Sales Order Item.prevdoc_docname ->
	Quotation.opportunity): revenue that was reported in advance as an opportunity."""
	sii = frappe.qb.DocType("Sales Invoice Item")
	soi = frappe.qb.DocType("Sales Order Item")
	quotation = frappe.qb.DocType("Quotation")
	return (
		frappe.qb.from_(sii)
		.join(soi)
		.on(soi.parent == sii.sales_order)
		.join(quotation)
		.on(quotation.name == soi.prevdoc_docname)
		.select(sii.parent)
		.distinct()
		.where(sii.parenttype == "Sales Invoice")
		.where(quotation.docstatus == 1)
		.where(quotation.opportunity.isnotnull())
		.where(quotation.opportunity != "")
	)


def opportunity_revenue_share_source(
	persons: list[str], start: date, end: date, company: str | None = None
) -> Source:
	"""Net sales as `net_sales_source`; the value is the percentage of it billed from orders of an
	opportunity's quotation. One query for everyone: a CASE inside the same grouped sums."""
	si = frappe.qb.DocType("Sales Invoice")
	st = frappe.qb.DocType("Sales Team")
	source = net_sales_source(persons, start, end, company)
	amount = si.base_net_total * st.allocated_percentage / 100
	reported = Case().when(si.name.isin(_invoices_from_opportunities()), amount).else_(0)
	return Source(source.query, source.party, source.document, Sum(reported) * 100 / NullIf(Sum(amount), 0))


def _joined_to_person(query, user_column, persons: list[str]):
	"""`query` joined from a User column to the Sales Persons of that user (Sales Person → Employee →
	User), restricted to `persons`; returns the query and the Sales Person table."""
	person = frappe.qb.DocType("Sales Person")
	employee = frappe.qb.DocType("Employee")
	query = (
		query.join(employee)
		.on(employee.user_id == user_column)
		.join(person)
		.on(person.employee == employee.name)
		.where(person.name.isin(persons))
	)
	return query, person


def activities_logged_source(persons: list[str], start: date, end: date) -> Source:
	"""Activities (Events logged against a Customer, an Opportunity or a Dealer, see
	`customer_intelligence.activity`) created by the salesperson's user, by start date; private calendar
	entries that name no such document are not activities."""
	from sales_reengineering.customer_intelligence.activity import activity_events

	event = frappe.qb.DocType("Event")
	query, person = _joined_to_person(frappe.qb.from_(event), event.owner, persons)
	query = query.where(_in_period(event.starts_on, start, end)).where(event.name.isin(activity_events()))
	return Source(query, person.name, event.name, Count(event.name))


def visit_plan_completion_source(persons: list[str], start: date, end: date) -> Source | None:
	"""The lines of the salesperson's submitted Visit Plans whose week starts in the period; the value is
	the percentage of them visited as planned (`customer_intelligence.visit_plan` keeps each line's
	match current). One query for everyone: a CASE inside the grouped count."""
	if not frappe.db.exists("DocType", "Visit Plan"):
		return None
	plan = frappe.qb.DocType("Visit Plan")
	item = frappe.qb.DocType("Visit Plan Item")
	query = (
		frappe.qb.from_(item)
		.join(plan)
		.on((plan.name == item.parent) & (item.parenttype == "Visit Plan"))
		.where(plan.docstatus == 1)
		.where(plan.sales_person.isin(persons))
		.where(plan.week_start[start:end])
	)
	visited = Count(Case().when(item.visit_status == "Visited", 1))
	return Source(query, plan.sales_person, plan.name, visited * 100 / NullIf(Count(item.name), 0))


def _training_records(persons: list[str], start: date, end: date):
	record = frappe.qb.DocType("Sales Training Record")
	query = (
		frappe.qb.from_(record)
		.where(record.sales_person.isin(persons))
		.where(record.start_date[start:end])
		.where(record.result != "Absent")
	)
	return query, record


def training_hours_source(persons: list[str], start: date, end: date) -> Source:
	"""The salesperson's Sales Training Records starting in the period that they attended (Attended,
	Passed or Failed; a completed Sales Training Session writes them): the sum of their hours."""
	query, record = _training_records(persons, start, end)
	return Source(query, record.sales_person, record.name, Sum(record.hours))


def training_pass_rate_source(persons: list[str], start: date, end: date) -> Source:
	"""The salesperson's assessed trainings (Passed or Failed) starting in the period: the percentage
	passed. One query for everyone: a CASE inside the grouped count."""
	query, record = _training_records(persons, start, end)
	query = query.where(record.result.isin(("Passed", "Failed")))
	passed = Count(Case().when(record.result == "Passed", 1))
	return Source(query, record.sales_person, record.name, passed * 100 / NullIf(Count(record.name), 0))


def telesales_calls_source(persons: list[str], start: date, end: date) -> Source | None:
	"""Telesales Calls of the person's user (Telesales Call.agent) with an outcome, by call date."""
	if not frappe.db.exists("DocType", "Telesales Call"):
		return None
	call = frappe.qb.DocType("Telesales Call")
	query, person = _joined_to_person(frappe.qb.from_(call), call.agent, persons)
	query = (
		query.where(call.outcome.isnotnull())
		.where(call.outcome != "")
		.where(call.status != "Cancelled")
		.where(call.call_date[start:end])
	)
	return Source(query, person.name, call.name, Count(call.name))


def telesales_conversions_source(persons: list[str], start: date, end: date) -> Source | None:
	"""Telesales Calls of the person's user converted to an opportunity, quotation or sales order, by
	conversion date."""
	if not frappe.db.exists("DocType", "Telesales Call"):
		return None
	call = frappe.qb.DocType("Telesales Call")
	query, person = _joined_to_person(frappe.qb.from_(call), call.agent, persons)
	query = (
		query.where(call.outcome == "Converted")
		.where(call.conversion_name.isnotnull())
		.where(call.conversion_name != "")
		.where(call.converted_on[start:end])
	)
	return Source(query, person.name, call.name, Count(call.name))


# --- sources over other modules' doctypes and fields: found through meta, None while missing -------


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


def opportunities_advanced_source(
	persons: list[str], start: date, end: date, company: str | None = None
) -> Source | None:
	"""Distinct opportunities with at least one logged move to a higher-order stage in the period."""
	doctype = "Opportunity Stage Log"
	opp_field = _field(doctype, "Link", "Opportunity")
	from_field = _field(doctype, "Link", "Sales Stage", hint="from")
	to_field = _field(doctype, "Link", "Sales Stage", hint="to")
	if not (opp_field and from_field and to_field) or from_field == to_field:
		return None
	log = frappe.qb.DocType(doctype)
	opportunity = frappe.qb.DocType("Opportunity")
	old = frappe.qb.DocType("Sales Stage").as_("old_stage")
	new = frappe.qb.DocType("Sales Stage").as_("new_stage")
	date_field = _date_field(doctype)
	source = frappe.qb.from_(log)
	indexed = getattr(frappe.get_meta(doctype).get_field(date_field), "search_index", 0)
	if len(persons) > MANY_PERSONS and indexed:
		# many people (a whole company's batch): start from the period's moves. Left to itself MariaDB
		# reads every opportunity of those people and looks up their moves (4.2 s against 0.7 s on the
		# benchmark's half data, the same result); for a team, starting from its opportunities is right
		source = source.force_index(
			MOVES_INDEX if frappe.db.has_index(f"tab{doctype}", MOVES_INDEX) else date_field
		)
	query = (
		source.join(opportunity)
		.on(opportunity.name == log[opp_field])
		.join(old)
		.on(old.name == log[from_field])
		.join(new)
		.on(new.name == log[to_field])
		.where(new.sr_stage_order > old.sr_stage_order)
		.where(_in_period(log[date_field], start, end))
		.where(opportunity.sr_sales_person.isin(persons))
	)
	query = of_company(query, opportunity, company)
	return Source(query, opportunity.sr_sales_person, opportunity.name, Count(log[opp_field]).distinct())


# above this many people, opportunities advanced is read from the period's stage moves (see above),
# through the index that holds the moves' columns (setup/indexes.py) where the site has it
MANY_PERSONS = 50
MOVES_INDEX = "sr_moves"


def stage_progress_rate_source(persons: list[str], start: date, end: date) -> Source | None:
	"""The weekly progress rates (percent) in the Sales Progress Snapshots of the period, averaged."""
	doctype = "Sales Progress Snapshot"
	person_field = _field(doctype, "Link", "Sales Person")
	rate_field = _field(doctype, ("Percent", "Float"), hint="rate")
	if not (person_field and rate_field):
		return None
	snapshot = frappe.qb.DocType(doctype)
	query = (
		frappe.qb.from_(snapshot)
		.where(snapshot[person_field].isin(persons))
		.where(_in_period(snapshot[_date_field(doctype)], start, end))
		.where(snapshot.docstatus < 2)
	)
	return Source(query, snapshot[person_field], snapshot.name, Avg(snapshot[rate_field]))


COMPLETENESS_FIELDS = ("sr_completeness_score", "sr_data_completeness", "sr_completeness")
ASSISTANT_FIELD = "sr_sales_assistant"


def _completeness_field() -> str | None:
	meta = frappe.get_meta("Customer")
	return next((name for name in COMPLETENESS_FIELDS if meta.has_field(name)), None)


def customer_completeness_source(persons: list[str], start: date, end: date) -> Source | None:
	"""The completeness (percent) of the enabled customers the salesperson answers for, today."""
	fieldname = _completeness_field()
	if not fieldname:
		return None
	customer = frappe.qb.DocType("Customer")
	query = (
		frappe.qb.from_(customer).where(customer.sr_sales_person.isin(persons)).where(customer.disabled == 0)
	)
	return Source(query, customer.sr_sales_person, customer.name, Avg(customer[fieldname]))


def _maintained_customers(persons: list[str]):
	"""The enabled customers whose maintaining assistant is the user of one of `persons`, today: the
	query and its Customer and Sales Person tables, or None while the assistant field is missing."""
	if not frappe.get_meta("Customer").has_field(ASSISTANT_FIELD):
		return None
	customer = frappe.qb.DocType("Customer")
	query, person = _joined_to_person(frappe.qb.from_(customer), customer[ASSISTANT_FIELD], persons)
	return query.where(customer.disabled == 0), customer, person


def assistant_completeness_source(persons: list[str], start: date, end: date) -> Source | None:
	fieldname = _completeness_field()
	maintained = _maintained_customers(persons)
	if not (fieldname and maintained):
		return None
	query, customer, person = maintained
	return Source(query, person.name, customer.name, Avg(customer[fieldname]))


def customers_maintained_source(persons: list[str], start: date, end: date) -> Source | None:
	maintained = _maintained_customers(persons)
	if not maintained:
		return None
	query, customer, person = maintained
	return Source(query, person.name, customer.name, Count(customer.name))


# Info Feedback Reports count once a manager approved them (workflow "Info Feedback Review": Draft ->
# Submitted -> Approved / Rejected); the rating averages every rated, reviewed report, as
# `customer_intelligence.feedback.get_feedback_stats` does
APPROVED_FEEDBACK = "Approved"
REVIEWED_FEEDBACK = ("Approved", "Rejected")


def _feedback_source(persons: list[str], start: date, end: date, aggregate: str) -> Source | None:
	doctype = "Info Feedback Report"
	person_field = _field(doctype, "Link", "Sales Person")
	rating_field = _field(doctype, ("Rating", "Int", "Float"), hint="rating")
	if not person_field or not frappe.get_meta(doctype).has_field("workflow_state"):
		return None
	if aggregate == "rating" and not rating_field:
		return None
	report = frappe.qb.DocType(doctype)
	query = (
		frappe.qb.from_(report)
		.where(report[person_field].isin(persons))
		.where(_in_period(report[_date_field(doctype)], start, end))
	)
	if aggregate == "rating":
		query = query.where(report.workflow_state.isin(REVIEWED_FEEDBACK)).where(report[rating_field] > 0)
		return Source(query, report[person_field], report.name, Avg(report[rating_field]))
	query = query.where(report.workflow_state == APPROVED_FEEDBACK)
	if aggregate == "weekly":
		# count / (days / 7), with a DOUBLE literal: a decimal one would round the quotient to 4 places
		per_week = LiteralValue(f"{7 / ((end - start).days + 1):.17e}")
		return Source(query, report[person_field], report.name, Count(report.name) * per_week)
	return Source(query, report[person_field], report.name, Count(report.name))


def info_feedback_count_source(persons: list[str], start: date, end: date) -> Source | None:
	return _feedback_source(persons, start, end, "count")


def info_feedback_weekly_source(persons: list[str], start: date, end: date) -> Source | None:
	return _feedback_source(persons, start, end, "weekly")


def info_feedback_rating_source(persons: list[str], start: date, end: date) -> Source | None:
	return _feedback_source(persons, start, end, "rating")


def dealer_sell_in_source(
	persons: list[str], start: date, end: date, company: str | None = None
) -> Source | None:
	"""Sales invoiced to the dealers each channel manager (the dealer's account manager) looks after."""
	customer_field = _field("Dealer", "Link", "Customer")
	manager_field = _field("Dealer", "Link", "Sales Person")
	if not (customer_field and manager_field):
		return None
	dealer = frappe.qb.DocType("Dealer")
	si = frappe.qb.DocType("Sales Invoice")
	query = (
		frappe.qb.from_(si)
		.join(dealer)
		.on(dealer[customer_field] == si.customer)
		.where(si.docstatus == 1)
		.where(si.posting_date[start:end])
		.where(dealer[manager_field].isin(persons))
	)
	query = of_company(query, si, company)
	return Source(query, dealer[manager_field], si.name, Sum(si.base_net_total))


# --- dealer indicators: `parties` are Dealer names --------------------------------------------------


def dealer_purchases_source(
	dealers: list[str], start: date, end: date, company: str | None = None
) -> Source | None:
	"""Submitted Sales Invoices to the dealer's own Customer (Dealer.customer) posted in the period;
	credit notes are negative and net off."""
	if not frappe.db.exists("DocType", "Dealer"):
		return None
	dealer = frappe.qb.DocType("Dealer")
	si = frappe.qb.DocType("Sales Invoice")
	query = (
		frappe.qb.from_(si)
		.join(dealer)
		.on(dealer.customer == si.customer)
		.where(si.docstatus == 1)
		.where(si.posting_date[start:end])
		.where(dealer.name.isin(dealers))
	)
	query = of_company(query, si, company)
	return Source(query, dealer.name, si.name, Sum(si.base_net_total))


# a registration stays "approved" when its protection later runs out
APPROVED_REGISTRATION_STATES = ("Approved", "Expired")


def deal_registrations_approved_source(dealers: list[str], start: date, end: date) -> Source | None:
	"""Submitted Deal Registrations of the dealer approved (approved_on) in the period."""
	if not frappe.db.exists("DocType", "Deal Registration"):
		return None
	registration = frappe.qb.DocType("Deal Registration")
	query = (
		frappe.qb.from_(registration)
		.where(registration.docstatus == 1)
		.where(registration.status.isin(APPROVED_REGISTRATION_STATES))
		.where(_in_period(registration.approved_on, start, end))
		.where(registration.dealer.isin(dealers))
	)
	return Source(query, registration.dealer, registration.name, Count(registration.name))


def sell_through_source(dealers: list[str], start: date, end: date) -> Source | None:
	"""Submitted Sell Through Reports of the dealer for a month (its first day) in the period."""
	if not frappe.db.exists("DocType", "Sell Through Report"):
		return None
	report = frappe.qb.DocType("Sell Through Report")
	query = (
		frappe.qb.from_(report)
		.where(report.docstatus == 1)
		.where(report.period[start:end])
		.where(report.dealer.isin(dealers))
	)
	return Source(query, report.dealer, report.name, Sum(report.total_amount))


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
			net_sales_source,
			"Sales Invoice",
			by_company=True,
		),
		BuiltIn(
			"opportunity_revenue_share",
			"Revenue Reported Through Opportunities",
			"Percent",
			True,
			"Average",
			"Share (percent) of the salesperson's net sales in the period (as Net Sales: submitted Sales "
			"Invoices, weighted by the Sales Team allocation) billed from Sales Orders made from a quotation "
			"of an Opportunity, i.e. revenue the salesperson reported in advance as a project. Invoices not "
			"made from such an order count in the total only.",
			opportunity_revenue_share_source,
			"Sales Invoice",
			by_company=True,
		),
		BuiltIn(
			"new_customers",
			"New Customers",
			"Count",
			True,
			"Sum",
			"Number of customers the salesperson answers for (Customer's Responsible Sales Person) whose "
			"first submitted, non-return Sales Invoice ever is posted in the period.",
			new_customers_source,
			"Customer",
			by_company=True,
		),
		BuiltIn(
			"repeat_customers",
			"Repeat Customers",
			"Count",
			True,
			"Sum",
			"Number of the salesperson's customers with a submitted, non-return Sales Invoice in the period "
			"and an earlier one before the period started.",
			repeat_customers_source,
			"Customer",
			by_company=True,
		),
		BuiltIn(
			"opportunities_advanced",
			"Opportunities Advanced",
			"Count",
			True,
			"Sum",
			"Number of the salesperson's opportunities with at least one move to a stage of higher order "
			"in the Opportunity Stage Log during the period. Empty until the stage log exists.",
			opportunities_advanced_source,
			"Opportunity",
			by_company=True,
		),
		BuiltIn(
			"opportunities_won",
			"Opportunities Won",
			"Count",
			True,
			"Sum",
			"Number of the salesperson's opportunities whose first submitted Sales Order (made from a "
			"quotation of the opportunity) is dated in the period.",
			opportunities_won_source,
			"Opportunity",
			by_company=True,
		),
		BuiltIn(
			"stage_progress_rate",
			"Weekly Stage-Progress Rate",
			"Percent",
			True,
			"Average",
			"Average over the weeks of the period of the share of open opportunities that moved up at least "
			"one stage in the week (Sales Progress Snapshot). Empty until the snapshots exist.",
			stage_progress_rate_source,
			"Sales Progress Snapshot",
		),
		BuiltIn(
			"customer_completeness",
			"Customer Data Completeness",
			"Percent",
			True,
			"Average",
			"Average data-completeness score of the enabled customers the salesperson answers for, as of "
			"today. Empty until the completeness score field exists on Customer.",
			customer_completeness_source,
			"Customer",
		),
		BuiltIn(
			"info_feedback_count",
			"Info Feedback Reports",
			"Count",
			True,
			"Sum",
			"Number of the salesperson's Info Feedback Reports dated in the period that a manager approved "
			"(review workflow state Approved); drafts, reports awaiting review and rejected ones do not count.",
			info_feedback_count_source,
			"Info Feedback Report",
		),
		BuiltIn(
			"info_feedback_rating",
			"Info Feedback Rating",
			"Rating",
			True,
			"Average",
			"Average manager quality rating of the salesperson's reviewed (Approved or Rejected) and rated "
			"Info Feedback Reports dated in the period; drafts and reports awaiting review do not count.",
			info_feedback_rating_source,
			"Info Feedback Report",
		),
		BuiltIn(
			"activities_logged",
			"Activities Logged",
			"Count",
			True,
			"Sum",
			"Number of activities (Events such as visits, calls, meetings) created by the salesperson's user "
			"(Sales Person → Employee → User) starting in the period and logged against a Customer, an "
			"Opportunity or a Dealer (an Event Participants row naming one); private calendar entries do "
			"not count.",
			activities_logged_source,
			"Event",
		),
		BuiltIn(
			"visit_plan_completion",
			"Visit Plan Completion",
			"Percent",
			True,
			"Average",
			"Percentage of the customer and dealer visits planned in the salesperson's submitted weekly Visit "
			"Plans (weeks starting in the period) that were made as planned: a visit or meeting logged by "
			"the salesperson's user against that customer, its opportunity or that dealer in the same week. "
			"Periods without a plan have no value.",
			visit_plan_completion_source,
			"Visit Plan",
		),
		BuiltIn(
			"training_hours",
			"Training Hours",
			"Number",
			True,
			"Sum",
			"Hours of the trainings the salesperson took part in that started in the period: their Sales "
			"Training Records (written by completing a Sales Training Session, or entered by hand) with result "
			"Attended, Passed or Failed; absences do not count.",
			training_hours_source,
			"Sales Training Record",
		),
		BuiltIn(
			"training_pass_rate",
			"Training Pass Rate",
			"Percent",
			True,
			"Average",
			"Percentage of the salesperson's assessed trainings (Sales Training Records with result Passed or "
			"Failed) starting in the period that they passed. Periods without an assessed training have no "
			"value.",
			training_pass_rate_source,
			"Sales Training Record",
		),
		BuiltIn(
			"dealer_sell_in",
			"Dealer Sell-in",
			"Currency",
			True,
			"Sum",
			"Net total of submitted Sales Invoices in the period to the Customers of the dealers the "
			"channel manager is account manager of (returns net off). Empty until the Dealer doctype exists.",
			dealer_sell_in_source,
			"Sales Invoice",
			by_company=True,
		),
		BuiltIn(
			"collections",
			"Collections",
			"Currency",
			True,
			"Sum",
			"Amount allocated by submitted receive Payment Entries posted in the period to Sales Invoices, "
			"multiplied by the salesperson's allocated percentage in the invoice's Sales Team.",
			collections_source,
			"Payment Entry",
			by_company=True,
		),
		BuiltIn(
			"assistant_completeness",
			"Maintained Customer Completeness",
			"Percent",
			True,
			"Average",
			"For sales assistants: average data-completeness score of the enabled customers whose "
			"Maintaining Sales Assistant is the person's user (Sales Person → Employee → User), as of today.",
			assistant_completeness_source,
			"Customer",
		),
		BuiltIn(
			"customers_maintained",
			"Customers Maintained",
			"Count",
			True,
			"Sum",
			"For sales assistants: number of enabled customers whose Maintaining Sales Assistant is the "
			"person's user (Sales Person → Employee → User), as of today.",
			customers_maintained_source,
			"Customer",
		),
		BuiltIn(
			"info_feedback_weekly",
			"Info Feedback Weekly Frequency",
			"Number",
			True,
			"Average",
			"Approved Info Feedback Reports per week: the number of the salesperson's reports dated in the "
			"period that a manager approved, divided by the weeks of the period (its days / 7).",
			info_feedback_weekly_source,
			"Info Feedback Report",
		),
		BuiltIn(
			"telesales_calls",
			"Telesales Calls Made",
			"Count",
			True,
			"Sum",
			"Number of Telesales Calls of the person's user (the call's Agent; Sales Person → Employee → "
			"User) with an outcome recorded and a call date in the period; cancelled calls do not count.",
			telesales_calls_source,
			"Telesales Call",
		),
		BuiltIn(
			"telesales_conversions",
			"Telesales Conversions",
			"Count",
			True,
			"Sum",
			"Number of Telesales Calls of the person's user (the call's Agent; Sales Person → Employee → "
			"User) with outcome Converted into an Opportunity, Quotation or Sales Order, converted in the "
			"period.",
			telesales_conversions_source,
			"Telesales Call",
		),
		BuiltIn(
			"dealer_purchases",
			"Dealer Purchases",
			"Currency",
			True,
			"Sum",
			"For dealers: net total (company currency) of the submitted Sales Invoices to the dealer's own "
			"Customer posted in the period. Credit notes (returns) are negative and so net off; cancelled "
			"and draft invoices are ignored. A dealer group adds up the dealers below it.",
			dealer_purchases_source,
			"Sales Invoice",
			"Dealer",
			by_company=True,
		),
		BuiltIn(
			"deal_registrations_approved",
			"Deal Registrations Approved",
			"Count",
			True,
			"Sum",
			"For dealers: number of the dealer's submitted Deal Registrations approved in the period (by "
			"approval date), including approved ones whose protection has expired since; rejected and "
			"cancelled registrations do not count.",
			deal_registrations_approved_source,
			"Deal Registration",
			"Dealer",
		),
		BuiltIn(
			"sell_through",
			"Sell-Through Reported",
			"Currency",
			True,
			"Sum",
			"For dealers: total amount of the dealer's submitted Sell Through Reports for the months "
			"(first day of the month) within the period; drafts and cancelled reports are ignored.",
			sell_through_source,
			"Sell Through Report",
			"Dealer",
		),
	)
}


def get_builtin(key: str) -> BuiltIn:
	if key not in BUILT_INS:
		from sales_reengineering.exceptions import InvalidIndicatorError

		frappe.throw(_("Unknown built-in indicator {0}.").format(key), InvalidIndicatorError)
	return BUILT_INS[key]


def activities_logged(persons: list[str], from_date, to_date) -> dict[str, float]:
	"""The Activities Logged values, for the activity module's callers."""
	return BUILT_INS["activities_logged"].compute(persons, from_date, to_date)


def rollup(values: list[float], method: str) -> float | None:
	"""Combine the values of a group's members: `Sum`, or `Average` of the members that have a value."""
	if not values:
		return None if method == "Average" else 0.0
	return sum(values) / len(values) if method == "Average" else sum(values)
