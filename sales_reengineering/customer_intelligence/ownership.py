"""Account ownership: which records a salesperson answers for, moving them in an `Account Handover`,
and flagging the accounts (customers, open opportunities and dealers) of disabled or departed
salespeople until they are handed over.

A handover moves customers (`sr_sales_person`) with ERPNext's own ownership of them (their Sales Team
and account manager), open opportunities, the Sales Team of open Sales Orders, dealers
(`account_manager`), Sales Tasks whose period has not ended (`assignee`), Leads and Prospects, planned
Events and the open ToDos about all of them. Every write is set-based: one statement per table (and per
doctype whose assignments change), whatever the size of the book."""

import json

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.utils import cint, get_datetime, getdate, now_datetime

from sales_reengineering.scope.people import get_user_sales_persons
from sales_reengineering.customer_intelligence.opportunity import OPEN_STATUSES
from sales_reengineering.exceptions import OverlappingSalesTaskError

DEPARTED_EMPLOYEE_STATUSES = ("Left", "Inactive", "Suspended")
# a submitted Sales Order in one of these is history: its Sales Team stays with who earned it
FINISHED_ORDER_STATUSES = ("Completed", "Closed")
# a Lead in this status became a customer: the customer moves, the lead is history
CONVERTED_LEAD_STATUSES = ("Converted",)


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
	"""Set `sr_needs_handover` on every Customer and open Opportunity of an inactive salesperson, and
	`needs_handover` on every Dealer they manage; clear it on the rest (an opportunity that is no longer
	open is history: its flag is cleared too). Two set-based UPDATEs per doctype, touching only rows
	whose flag changes."""
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
	dealer = frappe.qb.DocType("Dealer")
	_refresh_flags(dealer, dealer.account_manager, inactive, flag=dealer.needs_handover)


def _refresh_flags(table, owner, inactive: list[str], is_open=None, flag=None) -> None:
	"""Flag `table`'s rows owned by an inactive salesperson (and open, when `is_open` is given)."""
	flag = flag if flag is not None else table.sr_needs_handover
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

	Set-based: one SELECT and one UPDATE per table, whatever the number of records (the caller runs it
	inside a savepoint and rolls back on any error, so a failure moves nothing). Raises when a Sales Task
	cannot move."""
	source, target = handover.from_sales_person, handover.to_sales_person
	selected = (
		[row.customer for row in handover.customers] if handover.scope == "Selected Customers" else None
	)
	whole_book = selected is None
	users = frappe._dict(source=get_sales_person_user(source), target=get_sales_person_user(target))
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
	# ERPNext's own ownership of the accounts: the customers' Sales Team and account manager
	shared = _move_customer_team(handover, selected, users, now)
	_log(handover, "Customer", [name for name in shared if name not in set(customers)], source)

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

	orders = _open_orders(source, selected) if handover.move_open_orders else []
	_move_sales_team("Sales Order", orders, source, target, now)
	_log(handover, "Sales Order", orders, source)
	counts["orders_moved"] = len(orders)

	dealers = []
	if handover.move_dealers:
		dealer = frappe.qb.DocType("Dealer")
		query = frappe.qb.from_(dealer).select(dealer.name).where(dealer.account_manager == source)
		if selected is not None:
			# a dealer goes with the customer record it trades under
			query = query.where(dealer.customer.isin(selected or [""]))
		dealers = query.run(pluck=True)
	counts["dealers_moved"] = _move("Dealer", dealers, "account_manager", target, now, handover, source)
	if dealers:
		table = frappe.qb.DocType("Dealer")
		frappe.qb.update(table).set(table.needs_handover, 0).where(table.name.isin(dealers)).run()

	tasks = []
	if handover.move_sales_tasks and whole_book:
		tasks = _move_sales_tasks(handover, now)
	counts["sales_tasks_moved"] = len(tasks)

	leads, prospects = [], []
	if handover.move_leads and whole_book and users.source:
		leads, prospects = _move_leads_and_prospects(handover, users, now)
	counts["leads_moved"], counts["prospects_moved"] = len(leads), len(prospects)

	events = []
	if handover.move_events and users.source:
		events = _move_events(handover, users, customers, opportunities, leads, now)
	counts["events_moved"] = len(events)

	counts["todos_moved"] = 0
	if handover.move_todos:
		counts["todos_moved"] = _move_todos(
			handover,
			{"Customer": customers, "Opportunity": opportunities, "Dealer": dealers, "Sales Task": tasks},
		)
	return counts


def _log(handover, doctype: str, names, previous: str | None) -> None:
	for name in names:
		handover.append(
			"items", {"reference_doctype": doctype, "reference_name": name, "previous_value": previous}
		)


def _move(doctype, names, field, target, now, handover, source) -> int:
	if not names:
		return 0
	table = frappe.qb.DocType(doctype)
	frappe.qb.update(table).set(table[field], target).set(table.modified, now).where(
		table.name.isin(names)
	).run()
	_log(handover, doctype, names, source)
	return len(names)


# --- ERPNext's own ownership: Sales Team, account manager, leads, prospects, events ---------------------


def _move_customer_team(handover, selected: list[str] | None, users, now) -> list[str]:
	"""The outgoing salesperson's place on the customers' Sales Team (the default team of their new
	orders and invoices) and the customers' account manager (their user) go to the new salesperson. With
	All Accounts, on every customer; with Selected Customers, on those only. Returns the customers
	touched."""
	source, target = handover.from_sales_person, handover.to_sales_person
	team = frappe.qb.DocType("Sales Team")
	query = (
		frappe.qb.from_(team)
		.select(team.parent)
		.distinct()
		.where((team.parenttype == "Customer") & (team.sales_person == source))
	)
	if selected is not None:
		query = query.where(team.parent.isin(selected or [""]))
	teamed = query.run(pluck=True)
	_move_sales_team("Customer", teamed, source, target, now)

	managed = []
	if users.source:
		customer = frappe.qb.DocType("Customer")
		query = frappe.qb.from_(customer).select(customer.name).where(customer.account_manager == users.source)
		if selected is not None:
			query = query.where(customer.name.isin(selected or [""]))
		managed = query.run(pluck=True)
		if managed:
			frappe.qb.update(customer).set(customer.account_manager, users.target).set(
				customer.modified, now
			).where(customer.name.isin(managed)).run()
	return sorted(set(teamed) | set(managed))


def _open_orders(source: str, selected: list[str] | None) -> list[str]:
	"""Open Sales Orders with the outgoing salesperson on their Sales Team: drafts, and submitted orders
	still to deliver or bill (On Hold too). Completed, closed and cancelled orders are history."""
	team = frappe.qb.DocType("Sales Team")
	order = frappe.qb.DocType("Sales Order")
	query = (
		frappe.qb.from_(team)
		.join(order)
		.on(order.name == team.parent)
		.select(order.name)
		.distinct()
		.where(
			(team.parenttype == "Sales Order")
			& (team.sales_person == source)
			& (
				(order.docstatus == 0)
				| ((order.docstatus == 1) & order.status.notin(FINISHED_ORDER_STATUSES))
			)
		)
	)
	if selected is not None:
		query = query.where(order.customer.isin(selected or [""]))
	return query.run(pluck=True)


def _move_sales_team(parenttype: str, parents: list[str], source: str, target: str, now) -> None:
	"""Replace `source` by `target` on the Sales Team of `parents`, in three statements. Where `target`
	is already on a team, their row takes the outgoing row's share (percentage, amount, incentives) and
	the outgoing row goes, so that the shares still add up. Rows of submitted documents are written
	directly: the Sales Team is who answers for the order, not what was ordered."""
	if not parents:
		return
	values = {"parenttype": parenttype, "parents": tuple(parents), "source": source, "target": target}
	frappe.db.sql(
		"""update `tabSales Team` kept
		join `tabSales Team` gone
			on gone.parent = kept.parent and gone.parenttype = kept.parenttype and gone.sales_person = %(source)s
		set kept.allocated_percentage = ifnull(kept.allocated_percentage, 0) + ifnull(gone.allocated_percentage, 0),
			kept.allocated_amount = ifnull(kept.allocated_amount, 0) + ifnull(gone.allocated_amount, 0),
			kept.incentives = ifnull(kept.incentives, 0) + ifnull(gone.incentives, 0)
		where kept.parenttype = %(parenttype)s and kept.parent in %(parents)s and kept.sales_person = %(target)s""",
		values,
	)
	frappe.db.sql(
		"""delete gone from `tabSales Team` gone
		join `tabSales Team` kept
			on kept.parent = gone.parent and kept.parenttype = gone.parenttype and kept.sales_person = %(target)s
		where gone.parenttype = %(parenttype)s and gone.parent in %(parents)s and gone.sales_person = %(source)s""",
		values,
	)
	team = frappe.qb.DocType("Sales Team")
	frappe.qb.update(team).set(team.sales_person, target).set(team.modified, now).where(
		(team.parenttype == parenttype) & team.parent.isin(parents) & (team.sales_person == source)
	).run()
	parent = frappe.qb.DocType(parenttype)
	frappe.qb.update(parent).set(parent.modified, now).where(parent.name.isin(parents)).run()


def _move_leads_and_prospects(handover, users, now) -> tuple[list[str], list[str]]:
	"""The outgoing user's Leads (not yet converted: a converted lead's customer moves instead) and
	Prospects go to the new salesperson's user, with the lead owner ERPNext copies onto a Prospect's
	leads."""
	lead = frappe.qb.DocType("Lead")
	leads = (
		frappe.qb.from_(lead)
		.select(lead.name)
		.where((lead.lead_owner == users.source) & lead.status.notin(CONVERTED_LEAD_STATUSES))
	).run(pluck=True)
	if leads:
		frappe.qb.update(lead).set(lead.lead_owner, users.target).set(lead.modified, now).where(
			lead.name.isin(leads)
		).run()
		row = frappe.qb.DocType("Prospect Lead")
		frappe.qb.update(row).set(row.lead_owner, users.target).where(row.lead.isin(leads)).run()
	_log(handover, "Lead", leads, users.source)

	prospect = frappe.qb.DocType("Prospect")
	prospects = (
		frappe.qb.from_(prospect).select(prospect.name).where(prospect.prospect_owner == users.source)
	).run(pluck=True)
	if prospects:
		frappe.qb.update(prospect).set(prospect.prospect_owner, users.target).set(
			prospect.modified, now
		).where(prospect.name.isin(prospects)).run()
	_log(handover, "Prospect", prospects, users.source)
	return leads, prospects


def planned_events(handover, users, customers, opportunities, leads) -> tuple[list[str], list[str]]:
	"""(owned, assigned): the open Events from the handover date on (a repeating one still repeating)
	about the customers, opportunities and leads that move, or the moving customers' own leads, that the
	outgoing user owns or is assigned to."""
	customer_leads = []
	if customers:
		lead = frappe.qb.DocType("Lead")
		customer_leads = (
			frappe.qb.from_(lead).select(lead.name).where(lead.customer.isin(customers))
		).run(pluck=True)
	links = {
		"Customer": customers,
		"Opportunity": opportunities,
		"Lead": sorted(set(leads) | set(customer_leads)),
	}
	links = {doctype: names for doctype, names in links.items() if names}
	if not links:
		return [], []
	event = frappe.qb.DocType("Event")
	participant = frappe.qb.DocType("Event Participants")
	about = None
	for doctype, names in links.items():
		condition = (participant.reference_doctype == doctype) & participant.reference_docname.isin(names)
		about = condition if about is None else about | condition
	start = get_datetime(getdate(handover.handover_date or now_datetime()))
	rows = (
		frappe.qb.from_(event)
		.join(participant)
		.on((participant.parent == event.name) & (participant.parenttype == "Event"))
		.select(event.name, event.owner, event._assign)
		.distinct()
		.where(
			(event.status == "Open")
			& (
				(event.starts_on >= start)
				| ((event.repeat_this_event == 1) & (event.repeat_till.isnull() | (event.repeat_till >= start.date())))
			)
			& ((event.owner == users.source) | event._assign.like(f'%{json.dumps(users.source)}%'))
			& about
		)
	).run(as_dict=True)
	owned = sorted(row.name for row in rows if row.owner == users.source)
	assigned = sorted(row.name for row in rows if users.source in _assignees(row._assign))
	return owned, assigned


def _move_events(handover, users, customers, opportunities, leads, now) -> list[str]:
	"""Planned Events (see `planned_events`) go to the new salesperson's user: the events they owned
	change owner, their open assignments on the others move with the ToDos."""
	owned, assigned = planned_events(handover, users, customers, opportunities, leads)
	if owned:
		event = frappe.qb.DocType("Event")
		frappe.qb.update(event).set(event.owner, users.target).set(event.modified, now).where(
			event.name.isin(owned)
		).run()
	_reassign_todos({"Event": assigned}, users.source, users.target, now)
	events = sorted(set(owned) | set(assigned))
	_log(handover, "Event", events, users.source)
	return events


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
	source_user = get_sales_person_user(handover.from_sales_person)
	if not source_user:
		return 0
	target_user = get_sales_person_user(handover.to_sales_person)
	todos = _reassign_todos(references, source_user, target_user, now_datetime())
	_log(handover, "ToDo", todos, source_user)
	return len(todos)


def _assignees(value) -> list[str]:
	try:
		users = json.loads(value or "[]")
	except ValueError:
		return []
	return users if isinstance(users, list) else []


def _reassign_todos(references: dict[str, list[str]], source_user: str, target_user: str, now) -> list[str]:
	"""Give the outgoing user's open ToDos about `references` ({doctype: names}) to the incoming user, and
	keep ERPNext's bookkeeping of who is assigned (`_assign` on each referenced document) right: one
	UPDATE of the ToDos, then one SELECT and one UPDATE per referenced doctype."""
	references = {doctype: names for doctype, names in references.items() if names}
	if not references:
		return []
	todo = frappe.qb.DocType("ToDo")
	where = None
	for doctype, names in references.items():
		condition = (todo.reference_type == doctype) & todo.reference_name.isin(names)
		where = condition if where is None else where | condition
	rows = (
		frappe.qb.from_(todo)
		.select(todo.name, todo.reference_type, todo.reference_name)
		.where((todo.allocated_to == source_user) & (todo.status == "Open") & where)
	).run(as_dict=True)
	if not rows:
		return []
	names = [row.name for row in rows]
	frappe.qb.update(todo).set(todo.allocated_to, target_user).set(todo.modified, now).where(
		todo.name.isin(names)
	).run()
	by_doctype: dict[str, set[str]] = {}
	for row in rows:
		by_doctype.setdefault(row.reference_type, set()).add(row.reference_name)
	for doctype, docnames in by_doctype.items():
		if not frappe.get_meta(doctype).has_field("_assign") and not frappe.db.has_column(doctype, "_assign"):
			continue
		table = frappe.qb.DocType(doctype)
		current = (
			frappe.qb.from_(table).select(table.name, table._assign).where(table.name.isin(list(docnames)))
		).run(as_dict=True)
		changed = {}
		for row in current:
			users = _assignees(row._assign)
			if source_user in users:
				kept = [user for user in users if user != source_user]
				changed[row.name] = json.dumps([*kept, target_user] if target_user not in kept else kept)
		if changed:
			case = Case()
			for name, value in changed.items():
				case = case.when(table.name == name, value)
			frappe.qb.update(table).set(table._assign, case).where(table.name.isin(list(changed))).run()
	return names


def count_open_todos(sales_person: str) -> int:
	user = get_sales_person_user(sales_person)
	return frappe.db.count("ToDo", {"allocated_to": user, "status": "Open"}) if user else 0


def records_needing_user(handover) -> list[str]:
	"""What would move to the receiving salesperson's user when they have none: the outgoing user's open
	ToDos, the customers they are account manager of, their leads and prospects, their planned events.
	Empty when the receiver has a user, or the outgoing salesperson had none."""
	source_user = get_sales_person_user(handover.from_sales_person)
	if not source_user or get_sales_person_user(handover.to_sales_person):
		return []
	selected = (
		[row.customer for row in handover.customers] if handover.scope == "Selected Customers" else None
	)
	needs = []
	if handover.move_todos and count_open_todos(handover.from_sales_person):
		needs.append(_("open ToDos"))
	managed = {"account_manager": source_user}
	if selected is not None:
		managed["name"] = ("in", selected or [""])
	if frappe.db.exists("Customer", managed):
		needs.append(_("customers whose account manager they are"))
	if handover.move_leads and selected is None and (
		frappe.db.exists("Lead", {"lead_owner": source_user, "status": ("not in", CONVERTED_LEAD_STATUSES)})
		or frappe.db.exists("Prospect", {"prospect_owner": source_user})
	):
		needs.append(_("leads and prospects"))
	if handover.move_events and frappe.db.exists(
		"Event",
		{
			"owner": source_user,
			"status": "Open",
			"starts_on": (">=", get_datetime(getdate(handover.handover_date or now_datetime()))),
		},
	):
		needs.append(_("planned events"))
	return needs


def has_records_needing_user(handover) -> bool:
	"""True when something would move to a user but the receiving salesperson has none."""
	return bool(records_needing_user(handover))
