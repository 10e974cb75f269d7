"""Frappe's bell notifications (`Notification Log`), ToDos and their timeline comments, written in bulk.

A job that notifies or assigns many people at once (the reminder engine, a ranking's winners) would
insert one document per row, each with its own hooks: a realtime push, the bell marked unseen, the
"Assigned" comment on the record (which loads the record), and the record's `_assign` list re-read and
rewritten. Here the rows go in as multi-row INSERTs (`bulk.insert_records`, through Frappe's column
conversion) and the hooks' effects follow set-based, once per recipient or per doctype:

* Notification Log (`after_insert`): ONE realtime "notification" push per recipient after commit, and
  the recipients' bells marked unseen in one UPDATE. Only the "Alert" type is written here: Frappe
  mails no Alert (`is_email_notifications_enabled_for_type`), so there is no e-mail to send.
* ToDo (`on_update`): the "Assigned" comment on the record, in one INSERT, and the record's `_assign`
  (its users with an open ToDo, as Frappe's `ToDo.update_in_reference` computes it) in one query and
  one UPDATE per doctype.

Left out on purpose: the "created" Version of each ToDo and comment (the rows carry their owner and
creation), and the timeline's realtime refresh of a form that is open at that moment (it shows the
comment when next loaded)."""

from __future__ import annotations

import json
from collections import defaultdict

import frappe
from frappe.query_builder import Case
from frappe.utils import sanitize_html

from sales_reengineering.bulk import insert_records

ALERT = "Alert"
CLOSED_TODO = ("Cancelled", "Closed")


def enabled_for_notifications(users) -> list[str]:
	"""The enabled users among `users` who have not switched notifications off (one query): whom
	Frappe's `make_notification_logs` would notify."""
	users = sorted({user for user in users if user})
	if not users:
		return []
	user, settings = frappe.qb.DocType("User"), frappe.qb.DocType("Notification Settings")
	rows = (
		frappe.qb.from_(user)
		.left_join(settings)
		.on(settings.name == user.name)
		.select(user.name)
		.where(user.name.isin(users) & (user.enabled == 1))
		.where(settings.enabled.isnull() | (settings.enabled == 1))
	).run()
	return sorted(row[0] for row in rows)


def insert_notifications(records: list[dict]) -> list[str]:
	"""Alert Notification Logs ({for_user, subject, document_type, document_name, from_user}) in bulk;
	then, once per recipient, what `NotificationLog.after_insert` does for an alert."""
	if not records:
		return []
	records = [{"type": ALERT, "read": 0, **record} for record in records]
	if any(record["type"] != ALERT for record in records):
		raise ValueError("insert_notifications writes alerts only (no e-mail goes with them)")
	names = insert_records("Notification Log", records)
	recipients = sorted({record["for_user"] for record in records})
	settings = frappe.qb.DocType("Notification Settings")
	(frappe.qb.update(settings).set(settings.seen, 0).where(settings.name.isin(recipients))).run()
	for user in recipients:
		frappe.publish_realtime("notification", after_commit=True, user=user)
	return names


def full_names(users) -> dict[str, str]:
	"""{user: full name, else the user} in one query (Frappe's `get_fullname`, set-based)."""
	users = sorted({user for user in users if user})
	found = dict(
		frappe.get_all("User", filters={"name": ("in", users or [""])}, fields=["name", "full_name"], as_list=True)
	)
	return {user: found.get(user) or user for user in users}


def insert_todos(records: list[dict]) -> list[str]:
	"""Open ToDos ({allocated_to, reference_type, reference_name, description, date, assigned_by,
	priority}) in bulk, each with the "Assigned" comment Frappe writes on the record, and every
	referenced record's `_assign` brought up to date. Returns the ToDo names in order."""
	if not records:
		return []
	names_of = full_names(
		[record["allocated_to"] for record in records] + [record.get("assigned_by") for record in records]
	)
	todos = [
		{
			"status": "Open",
			"priority": "Medium",
			**record,
			"assigned_by_full_name": names_of.get(record.get("assigned_by")),
		}
		for record in records
	]
	names = insert_records("ToDo", todos)
	comments = []
	for todo in todos:
		if not (todo.get("reference_type") and todo.get("reference_name")):
			continue
		by, to = names_of.get(todo.get("assigned_by")), names_of[todo["allocated_to"]]
		if todo.get("assigned_by") == todo["allocated_to"]:
			text = frappe._("{0} self assigned this task: {1}").format(by, todo["description"])
		else:
			text = frappe._("{0} assigned {1}: {2}").format(by, to, todo["description"])
		comments.append(
			{
				"comment_type": "Assigned",
				"comment_email": frappe.session.user,
				"reference_doctype": todo["reference_type"],
				"reference_name": todo["reference_name"],
				"content": sanitize_html(text, always_sanitize=True),
			}
		)
	insert_records("Comment", comments)
	by_doctype = defaultdict(set)
	for todo in todos:
		if todo.get("reference_type") and todo.get("reference_name"):
			by_doctype[todo["reference_type"]].add(todo["reference_name"])
	for doctype, references in by_doctype.items():
		update_assignments(doctype, sorted(references))
	return names


def update_assignments(doctype: str, names: list[str]) -> None:
	"""Set `_assign` of the `doctype` records `names` to the users of their open ToDos, oldest first, as
	`ToDo.update_in_reference` does for one record: one query and one UPDATE for all of them."""
	meta = frappe.get_meta(doctype)
	if meta.issingle or meta.istable or meta.is_virtual or not frappe.db.has_column(doctype, "_assign"):
		return
	todo = frappe.qb.DocType("ToDo")
	rows = (
		frappe.qb.from_(todo)
		.select(todo.reference_name, todo.allocated_to)
		.where((todo.reference_type == doctype) & todo.reference_name.isin(names))
		.where(todo.status.notin(CLOSED_TODO) & todo.allocated_to.isnotnull() & (todo.allocated_to != ""))
		.orderby(todo.creation)
		.orderby(todo.name)
		.for_update()
	).run()
	assigned = defaultdict(list)
	for name, user in rows:
		assigned[name].append(user)
	table = frappe.qb.DocType(doctype)
	case = Case()
	for name in names:
		case = case.when(table.name == name, json.dumps(assigned[name]) if assigned[name] else "")
	(frappe.qb.update(table).set(table._assign, case.else_(table._assign)).where(table.name.isin(names))).run()
