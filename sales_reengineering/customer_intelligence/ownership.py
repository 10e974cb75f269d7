"""Account ownership: which records a salesperson answers for, moving them in an `Account Handover`,
and flagging the accounts (customers and open opportunities) of disabled or departed
salespeople until they are handed over.

A handover moves customers (`sr_sales_person`), open opportunities, dealers (`account_manager`), Sales
Tasks whose period has not ended (`assignee`) and the open ToDos about all of them."""

import frappe
from frappe import _
from frappe.utils import cint, getdate, now_datetime

from sales_reengineering.scope.people import get_user_sales_persons
from sales_reengineering.customer_intelligence.opportunity import OPEN_STATUSES
from sales_reengineering.exceptions import OverlappingSalesTaskError

DEPARTED_EMPLOYEE_STATUSES = ("Left", "Inactive", "Suspended")


def get_sales_person_user(sales_person: str) -> str | None:
	employee = frappe.db.get_value("Sales Person", sales_person, "employee")
	return frappe.db.get_value("Employee", employee, "user_id") if employee else None


# --- flags ------------------------------------------------------------------------------------------


def get_inactive_sales_persons() -> list[str]:
	"""Disabled Sales Persons and those whose employee has left, in one query."""
	sales_person = frappe.qb.DocType("Sales Person")
	employee = frappe.qb.DocType("Employee")
	return (
		frappe.qb.from_(sales_person)
		.left_join(employee)
		.on(employee.name == sales_person.employee)
		.select(sales_person.name)
		.where((sales_person.enabled == 0) | employee.status.isin(DEPARTED_EMPLOYEE_STATUSES))
	).run(pluck=True)


def refresh_handover_flags() -> None:
	"""Set `sr_needs_handover` on every Customer and open Opportunity of an inactive salesperson, clear
	it on the rest (an opportunity that is no longer open is history: its flag is cleared too).
	Two set-based UPDATEs per doctype, touching only rows whose flag changes."""
	inactive = get_inactive_sales_persons()
	customer = frappe.qb.DocType("Customer")
	_refresh_flags(customer, customer.sr_sales_person, inactive)
	opportunity = frappe.qb.DocType("Opportunity")
	_refresh_flags(
		opportunity,
		opportunity.sr_sales_person,
		inactive,
		opportunity.status.isin(OPEN_STATUSES) & (opportunity.docstatus < 2),
	)


def _refresh_flags(table, owner, inactive: list[str], is_open=None) -> None:
	"""Flag `table`'s rows owned by an inactive salesperson (and open, when `is_open` is given)."""
	flag = table.sr_needs_handover
	if not inactive:
		frappe.qb.update(table).set(flag, 0).where(flag == 1).run()
		return
	flagged = owner.isin(inactive)
	unflagged = owner.isnull() | owner.notin(inactive)
	if is_open is not None:
		flagged, unflagged = flagged & is_open, unflagged | ~is_open
	frappe.qb.update(table).set(flag, 1).where(flagged & (flag == 0)).run()
	frappe.qb.update(table).set(flag, 0).where(unflagged & (flag == 1)).run()


def on_sales_person_update(doc, method=None) -> None:
	if doc.has_value_changed("enabled") or doc.has_value_changed("employee"):
		refresh_handover_flags()


def on_employee_update(doc, method=None) -> None:
	if doc.has_value_changed("status"):
		refresh_handover_flags()


def set_default_sales_person(doc, method=None) -> None:
	"""before_insert of Customer / Opportunity: a value given explicitly is kept; an opportunity of a
	customer goes to the customer's responsible salesperson; otherwise (a new customer, an opportunity
	of a Lead or Prospect, or a customer without one) a salesperson's new record is theirs."""
	if doc.get("sr_sales_person"):
		return
	if doc.doctype == "Opportunity" and doc.get("opportunity_from") == "Customer" and doc.get("party_name"):
		if owner := frappe.db.get_value("Customer", doc.party_name, "sr_sales_person"):
			doc.sr_sales_person = owner
			return
	mine = get_user_sales_persons()
	if len(mine) == 1:
		doc.sr_sales_person = mine[0]


# --- handover ---------------------------------------------------------------------------------------


def transfer(handover) -> dict[str, int]:
	"""Move everything the handover covers, in the current transaction; fills `handover.items`.

	Set-based: one SELECT and one UPDATE per doctype; ToDos are saved one by one so that ERPNext's
	assignment bookkeeping (`_assign` on the referenced document) stays right. Raises (and the caller
	rolls back) when a Sales Task cannot move."""
	source, target = handover.from_sales_person, handover.to_sales_person
	selected = (
		[row.customer for row in handover.customers] if handover.scope == "Selected Customers" else None
	)
	now = now_datetime()
	handover.set("items", [])
	counts = {}

	customer = frappe.qb.DocType("Customer")
	query = frappe.qb.from_(customer).select(customer.name).where(customer.sr_sales_person == source)
	if selected is not None:
		query = query.where(customer.name.isin(selected))
	customers = query.run(pluck=True)
	counts["customers_moved"] = _move("Customer", customers, "sr_sales_person", target, now, handover, source)
	if customers:
		# the new owner is active (validated), so the moved accounts are no longer waiting for a handover
		frappe.qb.update(customer).set(customer.sr_needs_handover, 0).where(
			customer.name.isin(customers)
		).run()

	opportunities = []
	if handover.move_open_opportunities:
		opp = frappe.qb.DocType("Opportunity")
		query = (
			frappe.qb.from_(opp)
			.select(opp.name)
			.where((opp.sr_sales_person == source) & opp.status.isin(OPEN_STATUSES) & (opp.docstatus < 2))
		)
		if selected is not None:
			query = query.where((opp.opportunity_from == "Customer") & opp.party_name.isin(selected or [""]))
		opportunities = query.run(pluck=True)
	counts["opportunities_moved"] = _move(
		"Opportunity", opportunities, "sr_sales_person", target, now, handover, source
	)
	if opportunities:
		opp = frappe.qb.DocType("Opportunity")
		frappe.qb.update(opp).set(opp.sr_needs_handover, 0).where(opp.name.isin(opportunities)).run()

	dealers = []
	if handover.move_dealers:
		dealer = frappe.qb.DocType("Dealer")
		query = frappe.qb.from_(dealer).select(dealer.name).where(dealer.account_manager == source)
		if selected is not None:
			# a dealer goes with the customer record it trades under
			query = query.where(dealer.customer.isin(selected or [""]))
		dealers = query.run(pluck=True)
	counts["dealers_moved"] = _move("Dealer", dealers, "account_manager", target, now, handover, source)

	tasks = []
	if handover.move_sales_tasks and selected is None:
		tasks = _move_sales_tasks(handover, now)
	counts["sales_tasks_moved"] = len(tasks)

	counts["todos_moved"] = 0
	if handover.move_todos:
		counts["todos_moved"] = _move_todos(
			handover,
			{"Customer": customers, "Opportunity": opportunities, "Dealer": dealers, "Sales Task": tasks},
		)
	return counts


def _move(doctype, names, field, target, now, handover, source) -> int:
	if not names:
		return 0
	table = frappe.qb.DocType(doctype)
	frappe.qb.update(table).set(table[field], target).set(table.modified, now).where(
		table.name.isin(names)
	).run()
	for name in names:
		handover.append(
			"items", {"reference_doctype": doctype, "reference_name": name, "previous_value": source}
		)
	return len(names)


def _move_sales_tasks(handover, now) -> list[str]:
	"""Move the outgoing salesperson's Sales Tasks whose period has not ended by the handover date.

	Tasks of periods that ended before the handover date stay with the person who earned them (their
	scorecards and rankings are history). Draft and approved tasks both move: the period's targets
	become the new salesperson's, and the approved ones' scorecards are recomputed for them. Refuses
	(the caller rolls the whole handover back) when the new salesperson already has a task with the same
	KPI template for an overlapping period, as a Sales Task itself would."""
	from sales_reengineering.performance.scorecard import compute_scorecards

	source, target = handover.from_sales_person, handover.to_sales_person
	task = frappe.qb.DocType("Sales Task")
	moving = (
		frappe.qb.from_(task)
		.select(task.name, task.template, task.from_date, task.to_date, task.period_label, task.docstatus)
		.where(
			(task.assignee_type == "Sales Person")
			& (task.assignee == source)
			& (task.docstatus < 2)
			& (task.to_date >= getdate(handover.handover_date))
		)
		.orderby(task.from_date)
	).run(as_dict=True)
	if not moving:
		return []

	existing = (
		frappe.qb.from_(task)
		.select(task.name, task.template, task.from_date, task.to_date, task.period_label)
		.where(
			(task.assignee_type == "Sales Person")
			& (task.assignee == target)
			& (task.docstatus < 2)
			& task.template.isin(list({row.template for row in moving}))
		)
	).run(as_dict=True)
	for row in moving:
		for other in existing:
			if (
				other.template == row.template
				and other.from_date <= row.to_date
				and other.to_date >= row.from_date
			):
				frappe.throw(
					_(
						"Sales Task {0} ({1}, {2}) cannot move: {3} already has Sales Task {4} with the same KPI Template for the overlapping period {5}. Cancel or change one of the two tasks, or untick Sales Tasks; nothing was handed over."
					).format(
						row.name, row.template, row.period_label, target, other.name, other.period_label
					),
					OverlappingSalesTaskError,
					title=_("Overlapping Sales Task"),
				)

	names = [row.name for row in moving]
	is_group = cint(frappe.db.get_value("Sales Person", target, "is_group"))
	frappe.qb.update(task).set(task.assignee, target).set(task.is_group, is_group).set(
		task.modified, now
	).where(task.name.isin(names)).run()
	for name in names:
		handover.append(
			"items", {"reference_doctype": "Sales Task", "reference_name": name, "previous_value": source}
		)
	# a scorecard measures its task's assignee: recompute the approved tasks' cards for the new one
	compute_scorecards([row.name for row in moving if row.docstatus == 1])
	return names


def _move_todos(handover, references: dict[str, list[str]]) -> int:
	references = {doctype: values for doctype, values in references.items() if values}
	source_user = get_sales_person_user(handover.from_sales_person)
	if not references or not source_user:
		return 0
	todo = frappe.qb.DocType("ToDo")
	conditions = [
		(todo.reference_type == doctype) & todo.reference_name.isin(values)
		for doctype, values in references.items()
	]
	where = conditions[0]
	for condition in conditions[1:]:
		where = where | condition
	todos = (
		frappe.qb.from_(todo)
		.select(todo.name)
		.where((todo.allocated_to == source_user) & (todo.status == "Open") & where)
	).run(pluck=True)
	target_user = get_sales_person_user(handover.to_sales_person)
	for name in todos:
		doc = frappe.get_doc("ToDo", name)
		doc.allocated_to = target_user
		doc.save(ignore_permissions=True)
		handover.append(
			"items", {"reference_doctype": "ToDo", "reference_name": name, "previous_value": source_user}
		)
	return len(todos)


def count_open_todos(sales_person: str) -> int:
	user = get_sales_person_user(sales_person)
	return frappe.db.count("ToDo", {"allocated_to": user, "status": "Open"}) if user else 0


def has_records_needing_user(handover) -> bool:
	"""True when ToDos would move but the receiving salesperson has no user to give them to."""
	return bool(
		handover.move_todos
		and count_open_todos(handover.from_sales_person)
		and not get_sales_person_user(handover.to_sales_person)
	)
