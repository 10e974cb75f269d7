"""Account ownership: which records a salesperson answers for, moving them in an `Account Handover`,
and flagging the accounts of disabled or departed salespeople until they are handed over."""

import frappe
from frappe.utils import now_datetime

from sales_reengineering.customer_intelligence.access import get_user_sales_persons
from sales_reengineering.customer_intelligence.opportunity import OPEN_STATUSES

# doctypes of other modules that also carry a responsible Sales Person; moved when installed
OPTIONAL_DOCTYPES = ("Dealer", "Sales Task")
CLOSED_TASK_STATUSES = ("Completed", "Closed", "Cancelled", "Done")
DEPARTED_EMPLOYEE_STATUSES = ("Left", "Inactive", "Suspended")


def get_sales_person_user(sales_person: str) -> str | None:
	employee = frappe.db.get_value("Sales Person", sales_person, "employee")
	return frappe.db.get_value("Employee", employee, "user_id") if employee else None


def sales_person_field(doctype: str) -> str | None:
	"""The Link-to-Sales-Person field that names the responsible person of an optional doctype."""
	if not frappe.db.exists("DocType", doctype):
		return None
	links = [
		df.fieldname
		for df in frappe.get_meta(doctype).fields
		if df.fieldtype == "Link" and df.options == "Sales Person"
	]
	for preferred in ("sr_sales_person", "sales_person", "responsible_sales_person"):
		if preferred in links:
			return preferred
	return links[0] if len(links) == 1 else None


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
	"""Set Customer.sr_needs_handover for every account of an inactive salesperson, clear the rest.
	Two set-based UPDATEs, touching only rows whose flag changes."""
	inactive = get_inactive_sales_persons()
	customer = frappe.qb.DocType("Customer")
	flagged = customer.sr_sales_person.isin(inactive) if inactive else None
	if flagged is not None:
		frappe.qb.update(customer).set(customer.sr_needs_handover, 1).where(
			flagged & (customer.sr_needs_handover == 0)
		).run()
		unflag = (customer.sr_needs_handover == 1) & (
			customer.sr_sales_person.isnull() | customer.sr_sales_person.notin(inactive)
		)
	else:
		unflag = customer.sr_needs_handover == 1
	frappe.qb.update(customer).set(customer.sr_needs_handover, 0).where(unflag).run()


def on_sales_person_update(doc, method=None) -> None:
	if doc.has_value_changed("enabled") or doc.has_value_changed("employee"):
		refresh_handover_flags()


def on_employee_update(doc, method=None) -> None:
	if doc.has_value_changed("status"):
		refresh_handover_flags()


def set_default_sales_person(doc, method=None) -> None:
	"""before_insert of Customer / Opportunity: a salesperson's new record is theirs by default."""
	if doc.get("sr_sales_person"):
		return
	mine = get_user_sales_persons()
	if len(mine) == 1:
		doc.sr_sales_person = mine[0]


# --- handover ---------------------------------------------------------------------------------------


def transfer(handover) -> dict[str, int]:
	"""Move everything the handover covers, in the current transaction; fills `handover.items`.

	Set-based: one SELECT and one UPDATE per doctype; ToDos are saved one by one so that ERPNext's
	assignment bookkeeping (`_assign` on the referenced document) stays right."""
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

	counts["todos_moved"] = 0
	if handover.move_todos:
		counts["todos_moved"] = _move_todos(handover, {"Customer": customers, "Opportunity": opportunities})

	counts["other_moved"] = 0
	if handover.move_other_records and selected is None:
		for doctype in OPTIONAL_DOCTYPES:
			field = sales_person_field(doctype)
			if not field:
				continue
			table = frappe.qb.DocType(doctype)
			query = frappe.qb.from_(table).select(table.name).where(table[field] == source)
			if frappe.get_meta(doctype).has_field("status") and doctype == "Sales Task":
				query = query.where(table.status.notin(CLOSED_TASK_STATUSES))
			names = query.run(pluck=True)
			counts["other_moved"] += _move(doctype, names, field, target, now, handover, source)
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


def _move_todos(handover, references: dict[str, list[str]]) -> int:
	names = [name for values in references.values() for name in values]
	source_user = get_sales_person_user(handover.from_sales_person)
	if not names or not source_user:
		return 0
	todo = frappe.qb.DocType("ToDo")
	conditions = [
		(todo.reference_type == doctype) & todo.reference_name.isin(values)
		for doctype, values in references.items()
		if values
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
