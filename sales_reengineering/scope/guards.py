"""Edits that would widen a user's own scope: refused in `validate`, whichever door the save came through
(the form, the REST API, an import).

- A restricted salesperson may set a customer's or opportunity's salesperson only to someone of their
  own team (themselves, or their subtree when they manage one). An opportunity of a customer may always
  take that customer's salesperson.
- A telesales agent may not point a call at another customer, nor reopen a cancelled call.
- A quotation, order, delivery note or invoice is saved only for a customer the user may work with
  (an Order Desk user: any customer), refused with the rule's own message.
"""

import frappe
from frappe import _

from sales_reengineering.exceptions import OwnershipError
from sales_reengineering.scope import for_user


def validate_sales_person_assignment(doc, method=None) -> None:
	"""validate of Customer and Opportunity."""
	new = doc.get("sr_sales_person")
	if not new or (not doc.is_new() and not doc.has_value_changed("sr_sales_person")):
		return
	scope = for_user()
	if scope.sees_sales_person(new):
		return
	if (
		doc.doctype == "Opportunity"
		and doc.get("opportunity_from") == "Customer"
		and doc.get("party_name")
		and frappe.db.get_value("Customer", doc.party_name, "sr_sales_person") == new
	):
		return  # an opportunity follows its customer's salesperson
	frappe.throw(
		_("You can only give {0} to a salesperson of your own team; ask their manager or a Sales Manager to hand it over.").format(
			_(doc.doctype)
		),
		OwnershipError,
	)


def validate_document_customer(doc, method=None) -> None:
	"""before_validate of Quotation, Sales Order, Delivery Note and Sales Invoice. ERPNext's validate
	reads the customer's details with a permission check and refuses with "No permission for Customer";
	this refuses first, saying whose customer it is and whom to ask. Saves made by the system
	(ignore_permissions) are not the user's."""
	if doc.flags.ignore_permissions or frappe.session.user == "Administrator":
		return
	from sales_reengineering.scope.customers import check_customer

	check_customer(doc)


def validate_telesales_call_scope(doc, method=None) -> None:
	"""validate of Telesales Call, for an agent working their own list."""
	if doc.is_new() or not for_user().agent:
		return
	before = doc.get_doc_before_save()
	if not before:
		return
	if doc.customer != before.customer or doc.agent != before.agent:
		frappe.throw(
			_("A call's customer and agent are set by the call list; ask a Sales Manager to change them."),
			OwnershipError,
		)
	if before.status == "Cancelled" and doc.status != "Cancelled":
		frappe.throw(_("A cancelled call cannot be reopened; ask a Sales Manager."), OwnershipError)


def enforce_workflow_edit(doc) -> None:
	"""What a workflow state's "Only Allow Edit For" role means in the form, enforced on every save: a
	user without that role may move the document on (Frappe checks the transition), not change it in
	place. So an author cannot rewrite an approved feedback report or a task waiting for approval."""
	if doc.is_new() or doc.flags.ignore_permissions or frappe.session.user == "Administrator":
		return
	workflow = doc.meta.get_workflow()
	before = doc.get_doc_before_save()
	if not workflow or not before:
		return
	from frappe.model.workflow import get_workflow

	workflow = get_workflow(doc.doctype)
	field = workflow.workflow_state_field
	state = before.get(field)
	if not state or doc.get(field) != state:
		return  # a transition: frappe.model.workflow.validate_workflow checks it
	editors = {row.allow_edit for row in workflow.states if row.state == state and row.allow_edit}
	if not editors or editors & set(frappe.get_roles()):
		return
	frappe.throw(
		_("{0} {1} is {2}; only {3} can change it now.").format(
			_(doc.doctype), doc.name, _(state), ", ".join(_(role) for role in sorted(editors))
		),
		OwnershipError,
	)
