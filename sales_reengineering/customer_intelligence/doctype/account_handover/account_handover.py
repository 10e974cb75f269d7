# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from sales_reengineering.customer_intelligence.ownership import (
	records_needing_user,
	refresh_handover_flags,
	transfer,
)
from sales_reengineering.exceptions import InvalidHandoverError

# books larger than this many customers + open opportunities are moved by a background job
ENQUEUE_THRESHOLD = 500
SAVEPOINT = "sr_account_handover"


class AccountHandover(Document):
	"""Moves a salesperson's accounts (with ERPNext's Sales Team and account manager of them), open
	opportunities, the Sales Team of open Sales Orders, dealers, current Sales Tasks, Leads, Prospects,
	planned Events and ToDos to another salesperson on submit, in one transaction: a failure moves
	nothing. Books above ENQUEUE_THRESHOLD are moved by a background job (status Queued, then Completed
	or Failed). Every write is one statement per table (ownership.transfer).

	Sales Tasks, Leads and Prospects move only with All Accounts; Sales Tasks only those whose period
	ends on or after the handover date: a finished period stays with the salesperson who earned it (see
	ownership._move_sales_tasks)."""

	def validate(self):
		self.validate_people()
		self.validate_customers()
		self.validate_todo_receiver()
		if self.scope == "Selected Customers":
			# a salesperson's targets, leads and prospects go with the whole book only
			self.move_sales_tasks = 0
			self.move_leads = 0
		if self.docstatus == 0:
			self.status = "Draft"

	def validate_people(self):
		if self.from_sales_person == self.to_sales_person:
			frappe.throw(_("Hand the accounts over to a different salesperson."), InvalidHandoverError)
		if not frappe.db.get_value("Sales Person", self.to_sales_person, "enabled"):
			frappe.throw(
				_("{0} is disabled and cannot receive accounts.").format(frappe.bold(self.to_sales_person)),
				InvalidHandoverError,
			)

	def validate_customers(self):
		if self.scope != "Selected Customers":
			self.customers = []
			return
		if not self.customers:
			frappe.throw(_("Select the customers to hand over."), InvalidHandoverError)
		names = [row.customer for row in self.customers]
		duplicates = sorted({name for name in names if names.count(name) > 1})
		if duplicates:
			frappe.throw(
				_("Customers listed twice: {0}.").format(", ".join(duplicates)), InvalidHandoverError
			)
		owners = dict(
			frappe.get_all(
				"Customer", filters={"name": ("in", names)}, fields=["name", "sr_sales_person"], as_list=True
			)
		)
		others = [name for name in names if owners.get(name) != self.from_sales_person]
		if others:
			frappe.throw(
				_("These customers are not accounts of {0}: {1}.").format(
					self.from_sales_person, ", ".join(others)
				),
				InvalidHandoverError,
			)

	def validate_todo_receiver(self):
		if needs := records_needing_user(self):
			frappe.throw(
				_(
					"{0} has {1} to hand over, but {2} has no user to receive them. Link {2} to an employee with a user, or untick them under What Moves."
				).format(self.from_sales_person, ", ".join(needs), self.to_sales_person),
				InvalidHandoverError,
			)

	def on_submit(self):
		if self.book_size() > ENQUEUE_THRESHOLD:
			self.db_set("status", "Queued")
			frappe.enqueue(
				"sales_reengineering.customer_intelligence.doctype.account_handover.account_handover.run_queued_handover",
				queue="long",
				job_id=f"sr_account_handover_{self.name}",
				deduplicate=True,
				enqueue_after_commit=True,
				name=self.name,
			)
			frappe.msgprint(_("This is a large book: the handover runs in the background."), alert=True)
			return
		self.run()

	def on_cancel(self):
		frappe.throw(
			_("A completed handover cannot be cancelled. Make a new handover back instead."),
			InvalidHandoverError,
		)

	def book_size(self) -> int:
		if self.scope == "Selected Customers":
			return len(self.customers)
		return frappe.db.count("Customer", {"sr_sales_person": self.from_sales_person}) + frappe.db.count(
			"Opportunity", {"sr_sales_person": self.from_sales_person}
		)

	def run(self):
		"""All or nothing: a failure half-way undoes what was already moved, whoever commits later."""
		frappe.db.savepoint(SAVEPOINT)
		try:
			counts = transfer(self)
			self.update({**counts, "status": "Completed", "completed_on": now_datetime(), "error": None})
			self.insert_items()
			self.db_update()
			refresh_handover_flags()
		except Exception:
			frappe.db.rollback(save_point=SAVEPOINT)
			raise


	def insert_items(self):
		"""The moved-records log in one INSERT (per 10,000 rows), however large the book."""
		if not self.items:
			return
		now = now_datetime()
		fields = [
			"name", "creation", "modified", "owner", "modified_by", "docstatus", "idx", "parent",
			"parentfield", "parenttype", "reference_doctype", "reference_name", "previous_value",
		]  # fmt: skip
		values = []
		for idx, row in enumerate(self.items, 1):
			row.name, row.idx, row.parent, row.docstatus = frappe.generate_hash(length=10), idx, self.name, 1
			values.append(
				(
					row.name, now, now, frappe.session.user, frappe.session.user, 1, idx, self.name,
					"items", self.doctype, row.reference_doctype, row.reference_name, row.previous_value,
				)  # fmt: skip
			)
		frappe.db.bulk_insert("Account Handover Item", fields, values)


def run_queued_handover(name: str) -> None:
	"""Background job for large books: all or nothing. A failure leaves every record where it was (run()
	rolls back to its savepoint) and is recorded on the handover and in the Error Log; the worker then
	commits that record (frappe's job runner commits after a job returns)."""
	doc = frappe.get_doc("Account Handover", name)
	if doc.status != "Queued":
		return
	try:
		doc.run()
	except Exception as e:
		error = frappe.get_traceback()
		# the people on the handover read the record: they get the message, the Error Log (System
		# Managers only) gets the traceback
		message = (
			frappe.utils.strip_html(str(e))
			if isinstance(e, frappe.ValidationError)
			else _("The handover failed; a System Manager finds the details in the Error Log.")
		)
		doc.db_set({"status": "Failed", "error": message[:2000]})
		frappe.log_error(
			title=_("Account Handover {0} failed").format(name),
			message=error,
			reference_doctype="Account Handover",
			reference_name=name,
		)
