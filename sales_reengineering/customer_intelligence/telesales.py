"""Telesales for repeat business: find the customers due a call, turn them into `Telesales Call` lists
and assign those to Telesales Agents round-robin or by load.

A customer is due a call when it is lapsed (no purchase for the settings' Dormant Customer Days) or
overdue: more than the settings' Overdue Multiple times its typical purchase interval has passed since
its last purchase. The interval and the predicted next purchase are stored on the Customer
(`next_purchase`, kept current by the invoices' doc_events and recomputed by the daily job), and the call
list is built from them.

A customer is called at most once per the settings' Days Between Calls (default 30): the call list skips
customers with an open call and those whose last call ended (Completed, whatever its outcome: Not
Reached, Not Interested, Converted..., or Cancelled) within that many days. A call ends on its call date,
or, without one, on the day it was last changed.

Set-based: one query for the customers' stored predictions, one for the open and recent calls, one for
the agents and their load, whatever the number of customers."""

from typing import Annotated

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Date
from frappe.utils import add_days, getdate

from sales_reengineering.arguments import check_arguments, plain_text
from sales_reengineering.core.next_purchase import classify
from sales_reengineering.exceptions import NoTelesalesAgentError
from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
	get_settings,
)

CALL = "Telesales Call"
AGENT_ROLE = "Telesales Agent"
REASONS = {"no_purchase": "No Purchase for N Days", "overdue": "Overdue Against Reorder Interval"}
ASSIGNMENT_METHODS = ("load", "round_robin")
# Sales Reengineering Settings > Telesales Assignment Method -> generate_call_list's `method`
SETTING_METHODS = {"By Load": "load", "Round Robin": "round_robin"}
# days after a call ended before the customer may be put on the call list again: the settings' Days
# Between Calls; this is its default
CALL_COOLDOWN_DAYS = 30


def find_dormant_customers(as_of=None) -> list[dict]:
	"""Enabled customers due a call on `as_of` (see the module docstring and core.next_purchase).

	Without `as_of` (today): read from the predictions stored on the Customer. For another day (a replay,
	the demo's history): the same prediction computed from the invoices posted up to that day."""
	settings = get_settings()
	if as_of is None or getdate(as_of) == getdate():
		as_of, rows = getdate(), stored_predictions()
	else:
		as_of, rows = getdate(as_of), computed_predictions(getdate(as_of))
	dormant = []
	for row in rows:
		result = classify(
			as_of,
			row.last_purchase_date,
			row.typical_interval_days,
			settings.dormant_customer_days,
			settings.telesales_overdue_multiple,
		)
		if result.dormant:
			dormant.append(
				frappe._dict(
					customer=row.customer,
					reason=REASONS[result.reason],
					last_purchase_date=row.last_purchase_date,
					days_since_purchase=result.days_since_last,
					typical_interval_days=result.typical_interval,
				)
			)
	return dormant


def stored_predictions() -> list[frappe._dict]:
	"""The enabled customers that ever bought, with their stored last purchase and interval (one query)."""
	customer = frappe.qb.DocType("Customer")
	rows = (
		frappe.qb.from_(customer)
		.select(
			customer.name.as_("customer"),
			customer.sr_last_purchase_date.as_("last_purchase_date"),
			customer.sr_purchase_interval_days.as_("typical_interval_days"),
		)
		.where((customer.disabled == 0) & customer.sr_last_purchase_date.isnotnull())
	).run(as_dict=True)
	for row in rows:
		row.last_purchase_date = getdate(row.last_purchase_date)
	return rows


def computed_predictions(as_of) -> list[frappe._dict]:
	"""As `stored_predictions`, computed from the invoices posted up to `as_of` (one query each for the
	invoices and the disabled customers)."""
	from sales_reengineering.customer_intelligence.next_purchase import predictions

	disabled = set(frappe.get_all("Customer", filters={"disabled": 1}, pluck="name"))
	return [
		frappe._dict(
			customer=customer,
			last_purchase_date=prediction.last_purchase,
			typical_interval_days=prediction.interval,
		)
		for customer, prediction in predictions(until=as_of).items()
		if customer not in disabled
	]


def call_cooldown_days() -> int:
	return get_settings().telesales_call_cooldown_days or CALL_COOLDOWN_DAYS


def get_agents() -> list[str]:
	user = frappe.qb.DocType("User")
	has_role = frappe.qb.DocType("Has Role")
	return (
		frappe.qb.from_(user)
		.join(has_role)
		.on((has_role.parent == user.name) & (has_role.parenttype == "User"))
		.select(user.name)
		.distinct()
		.where((has_role.role == AGENT_ROLE) & (user.enabled == 1) & (user.user_type == "System User"))
		.orderby(user.name)
	).run(pluck=True)


def generate_call_list(method: str = "load", as_of=None) -> list[str]:
	"""Create an open call for every dormant customer that has none, assigned to an agent; returns
	the new calls. Customers called in the last Days Between Calls (settings) are left out.
	`method`: "load" (fewest open calls first) or "round_robin"."""
	if method not in ASSIGNMENT_METHODS:
		frappe.throw(_("Assign calls by load or round robin, not {0}.").format(method), NoTelesalesAgentError)
	agents = get_agents()
	if not agents:
		frappe.throw(
			_("There is no enabled user with the Telesales Agent role to call the customers."),
			NoTelesalesAgentError,
		)
	skip = get_recently_called_customers(as_of)
	dormant = [row for row in find_dormant_customers(as_of) if row.customer not in skip]

	load = dict.fromkeys(agents, 0)
	for row in frappe.get_all(
		CALL,
		filters={"status": "Open", "agent": ("in", agents)},
		fields=["agent", "count(*) as calls"],
		group_by="agent",
	):
		load[row.agent] = row.calls
	start = frappe.db.count(CALL) % len(agents)

	calls = []
	for index, row in enumerate(sorted(dormant, key=lambda row: -(row.days_since_purchase or 0))):
		if method == "load":
			agent = min(agents, key=lambda name: (load[name], name))
		else:
			agent = agents[(start + index) % len(agents)]
		load[agent] += 1
		calls.append({"agent": agent, "status": "Open", **row})
	return insert_calls(calls)


def insert_calls(calls: list[dict]) -> list[str]:
	"""The new open calls of the call list, inserted in bulk (a constant number of statements): each is
	for an agent `get_agents` returned and has no outcome, so `TelesalesCall.validate` has nothing to
	check or set; the customer's name is fetched as the form's fetch_from would, in one query."""
	from sales_reengineering.bulk import insert_records

	names = dict(
		frappe.get_all(
			"Customer",
			filters={"name": ("in", sorted({call["customer"] for call in calls}) or [""])},
			fields=["name", "customer_name"],
			as_list=True,
		)
	)
	return insert_records(CALL, [{**call, "customer_name": names.get(call["customer"])} for call in calls])


def get_recently_called_customers(as_of=None) -> set[str]:
	"""Customers with an open call, or with a call that ended within the settings' Days Between Calls
	before `as_of` (one query)."""
	as_of = getdate(as_of)
	cooldown = call_cooldown_days()
	call = frappe.qb.DocType(CALL)
	ended_on = Coalesce(call.call_date, Date(call.modified))
	return set(
		frappe.qb.from_(call)
		.select(call.customer)
		.distinct()
		.where((call.status == "Open") | ended_on.between(add_days(as_of, -cooldown), as_of))
		.run(pluck=True)
	)


def daily_call_list() -> None:
	"""Scheduler (daily_long): recompute every customer's predicted next purchase (set-based, writes only
	what changed), then refresh the call lists when there are agents to call, sharing the new calls out
	the way the settings say (by load or round robin). One job, so the list never runs on yesterday's
	predictions."""
	from sales_reengineering.customer_intelligence.next_purchase import refresh_all

	refresh_all()
	if get_agents():
		generate_call_list(assignment_method())


def assignment_method() -> str:
	setting = frappe.db.get_single_value("Sales Reengineering Settings", "telesales_assignment_method")
	return SETTING_METHODS.get(setting or "By Load", "load")


@frappe.whitelist(methods=["POST"])
def generate_calls(method: Annotated[str, plain_text("Assignment Method")] | None = None) -> int:
	"""Button on the call list (Sales Manager): make today's call list now, shared out by `method`, or
	the way the settings say when none is given."""
	frappe.has_permission(CALL, "create", throw=True)
	return len(generate_call_list(method or assignment_method()))


@frappe.whitelist(methods=["POST"])
@check_arguments
def make_opportunity(call: Annotated[str, plain_text("Telesales Call")]) -> str:
	"""Turn a call into an Opportunity for its customer and record the conversion on the call."""
	doc = frappe.get_doc(CALL, call)
	doc.check_permission("write")
	frappe.has_permission("Opportunity", "create", throw=True)
	opportunity = frappe.get_doc(
		{
			"doctype": "Opportunity",
			"opportunity_from": "Customer",
			"party_name": doc.customer,
			"sr_sales_person": frappe.db.get_value("Customer", doc.customer, "sr_sales_person"),
			"source": frappe.db.get_value("Lead Source", "Cold Calling") and "Cold Calling",
		}
	).insert()
	doc.update(
		{"outcome": "Converted", "conversion_doctype": "Opportunity", "conversion_name": opportunity.name}
	)
	doc.save()
	return opportunity.name
