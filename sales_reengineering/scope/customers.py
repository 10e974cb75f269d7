"""The customer rule and the records that follow it.

ERPNext lets every Sales User read every customer. A user whose scope is restricted (`Scope.
customers_restricted`: only Sales User, Sales Assistant or Telesales Agent among the sales roles, or a
dealer user) sees a customer when:

- its salesperson (`sr_sales_person`) is one of theirs or in their subtree;
- they maintain it as its sales assistant;
- it is on their telesales call list (a cancelled call no longer counts);
- they created it and no salesperson has been set yet (a handover that sets one ends it);
- for a dealer user: it is the customer of a dealer of their branch.

Opportunities follow their salesperson the same way. Quotations, orders, delivery notes, invoices and
contracts follow their customer, or the user's place on their Sales Team; a document for a party that is
not a Customer (a Lead) stays with its creator. Contacts and addresses follow the customers they link to.

Each rule is ONE SQL condition; the list hook returns it, and the document check applies the same
condition to the one row, so a list and a form can never disagree.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from pypika.terms import LiteralValue

from sales_reengineering.exceptions import CustomerRuleError
from sales_reengineering.scope import ORDER_DESK_DOCUMENTS, Scope, for_user
from sales_reengineering.scope.people import (
	can_see_sales_person,
	sales_person_condition,
)


def _in(values) -> str:
	return ", ".join(frappe.db.escape(value) for value in values)


def _restricted(user: str | None) -> Scope | None:
	scope = for_user(user)
	return scope if scope.customers_restricted else None


# --- the customer condition -----------------------------------------------------------------------------


def _call_list_sql(user: str) -> str:
	"""The customers of the user's telesales calls (a cancelled call no longer counts)."""
	return (
		"select `customer` from `tabTelesales Call` "
		f"where `agent` = {frappe.db.escape(user)} and `status` != 'Cancelled'"
	)


def customer_sql(scope: Scope, table: str = "`tabCustomer`") -> str:
	"""WHERE fragment on `table` (the Customer table or an alias of it) for what `scope` may see."""
	if scope.is_dealer:
		if not scope.dealers:
			return "1=0"
		return (
			f"{table}.`name` in (select `customer` from `tabDealer` "
			f"where `name` in ({_in(scope.dealers)}) and ifnull(`customer`, '') != '')"
		)
	user = frappe.db.escape(scope.user)
	conditions = [f"({table}.`owner` = {user} and ifnull({table}.`sr_sales_person`, '') = '')"]
	if scope.team:
		conditions.append(f"{table}.`sr_sales_person` in ({_in(scope.team)})")
	if scope.assistant:
		conditions.append(f"{table}.`sr_sales_assistant` = {user}")
	if scope.agent:
		conditions.append(f"{table}.`name` in ({_call_list_sql(scope.user)})")
	return "(" + " or ".join(conditions) + ")"


def visible_customers_sql(scope: Scope) -> str:
	return f"select `sr_vc`.`name` from `tabCustomer` `sr_vc` where {customer_sql(scope, '`sr_vc`')}"


def visible_customers_criterion(field, user: str | None = None):
	"""For reports: a query-builder criterion keeping `field` (a customer name column) to the customers
	the user may see, or None when they see all. The very condition of the Customer list."""
	scope = _restricted(user)
	if not scope:
		return None
	column = field.get_sql(with_namespace=True, quote_char="`")
	return LiteralValue(f"{column} in ({visible_customers_sql(scope)})")


def can_see_customer(customer: str | None, user: str | None = None) -> bool:
	scope = _restricted(user)
	if not scope:
		return True
	return bool(customer) and _row_visible("Customer", customer, customer_sql(scope))


# --- one condition per doctype --------------------------------------------------------------------------


def opportunity_sql(scope: Scope) -> str:
	table = "`tabOpportunity`"
	if scope.is_dealer:
		return "1=0"
	conditions = [
		f"({table}.`owner` = {frappe.db.escape(scope.user)} and ifnull({table}.`sr_sales_person`, '') = '')"
	]
	if scope.team:
		conditions.append(f"{table}.`sr_sales_person` in ({_in(scope.team)})")
	if scope.agent:
		conditions.append(
			f"({table}.`opportunity_from` = 'Customer' and {table}.`party_name` in ({_call_list_sql(scope.user)}))"
		)
	return "(" + " or ".join(conditions) + ")"


# doctype -> (customer field, the party type field when the party may be other than a Customer, whether
# it has a Sales Team table)
SALES_DOCUMENTS: dict[str, tuple[str, str | None, bool]] = {
	"Quotation": ("party_name", "quotation_to", False),
	"Sales Order": ("customer", None, True),
	"Delivery Note": ("customer", None, True),
	"Sales Invoice": ("customer", None, True),
	"Contract": ("party_name", "party_type", False),
}


def document_sql(doctype: str, scope: Scope) -> str:
	customer_field, party_type_field, has_sales_team = SALES_DOCUMENTS[doctype]
	table = f"`tab{doctype}`"
	by_customer = f"{table}.`{customer_field}` in ({visible_customers_sql(scope)})"
	conditions = []
	if party_type_field:
		by_customer = f"({table}.`{party_type_field}` = 'Customer' and {by_customer})"
		if not scope.is_dealer:
			# a quotation to a Lead, a contract with a Supplier: its creator's
			conditions.append(
				f"({table}.`{party_type_field}` != 'Customer' and {table}.`owner` = {frappe.db.escape(scope.user)})"
			)
	conditions.append(by_customer)
	if has_sales_team and scope.team:
		conditions.append(
			f"{table}.`name` in (select `parent` from `tabSales Team` "
			f"where `parenttype` = {frappe.db.escape(doctype)} "
			f"and `sales_person` in ({_in(scope.team)}))"
		)
	return "(" + " or ".join(conditions) + ")"


def linked_record_sql(doctype: str, scope: Scope) -> str:
	"""Contact and Address: linked to a customer the user sees, or created by the user and linked to no
	customer at all."""
	table = f"`tab{doctype}`"
	links = (
		f"select `parent` from `tabDynamic Link` where `parenttype` = {frappe.db.escape(doctype)} "
		"and `link_doctype` = 'Customer'"
	)
	conditions = [f"{table}.`name` in ({links} and `link_name` in ({visible_customers_sql(scope)}))"]
	if not scope.is_dealer:
		conditions.append(
			f"({table}.`owner` = {frappe.db.escape(scope.user)} and {table}.`name` not in ({links}))"
		)
	return "(" + " or ".join(conditions) + ")"


def price_exception_sql(scope: Scope) -> str:
	"""Channel Price Exception: for the customers the user sees, or raised by the user."""
	table = "`tabChannel Price Exception`"
	return (
		f"({table}.`owner` = {frappe.db.escape(scope.user)} "
		f"or {table}.`customer` in ({visible_customers_sql(scope)}))"
	)


def telesales_call_sql(scope: Scope) -> str:
	"""A telesales agent works their own call list; managers see every list."""
	if not scope.agent:
		return ""
	return f"`tabTelesales Call`.`agent` = {frappe.db.escape(scope.user)}"


# The doctypes that follow the customer rule, and their condition for a restricted scope.
CUSTOMER_RULES = {
	"Customer": customer_sql,
	"Opportunity": opportunity_sql,
	"Contact": lambda scope: linked_record_sql("Contact", scope),
	"Address": lambda scope: linked_record_sql("Address", scope),
	"Channel Price Exception": price_exception_sql,
	**{doctype: (lambda scope, doctype=doctype: document_sql(doctype, scope)) for doctype in SALES_DOCUMENTS},
}


def condition(doctype: str, user: str | None = None, ptype: str | None = "read") -> str:
	"""The condition of `doctype` for `user` doing `ptype` (a list reads): "" when nothing narrows it."""
	scope = for_user(user)
	if doctype == "Telesales Call":
		return telesales_call_sql(scope)
	return CUSTOMER_RULES[doctype](scope) if scope.rule_applies(doctype, ptype) else ""


def _row_visible(doctype: str, name: str, sql: str) -> bool:
	return bool(
		frappe.db.sql(
			f"select `name` from `tab{doctype}` where `name` = %(name)s and {sql} limit 1", {"name": name}
		)
	)


def _is_new(doc) -> bool:
	"""A document being created (the role decides; its validation checks the rest). A bare row (a dict
	from a query) with a name is an existing record."""
	if isinstance(doc, Document):
		return bool(doc.get("__islocal") or not doc.get("creation"))
	return not doc.get("name")


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""The document check of every doctype in CUSTOMER_RULES (and Telesales Call): the list condition
	applied to the one saved row. None lets the role permissions decide; a record being created is
	checked by its validation."""
	if _is_new(doc):
		return None
	if _refused(doc, ptype, user):
		frappe.permissions.push_perm_check_log(refusal_message(doc, for_user(user)))
		return False
	return None


def _refused(doc, ptype: str | None, user: str | None) -> bool:
	sql = condition(doc.doctype, user, ptype)
	return bool(sql) and not _row_visible(doc.doctype, doc.name, sql)


def check_document(doc, ptype: str = "read", user: str | None = None) -> None:
	"""Raise `CustomerRuleError` with the rule's own message (whose customer, whom to ask) when the
	customer rule refuses `ptype` on the saved `doc`; for doors that would otherwise turn the refusal into
	a generic "no permission" (ERPNext's Update Items)."""
	if doc.doctype in CUSTOMER_RULES and not _is_new(doc) and _refused(doc, ptype, user):
		frappe.throw(refusal_message(doc, for_user(user)), CustomerRuleError, title=_("Not your customer"))


def refusal_for(doctype, name, ptype: str = "read", user: str | None = None) -> str | None:
	"""The rule's message when the customer rule is what refuses `ptype` on a saved record, else None."""
	if not isinstance(doctype, str) or doctype not in CUSTOMER_RULES or not isinstance(name, str):
		return None
	if not frappe.db.exists(doctype, name):
		return None
	doc = frappe.get_doc(doctype, name)
	return refusal_message(doc, for_user(user)) if _refused(doc, ptype, user) else None


def document_customer(doc) -> str | None:
	"""The Customer a Quotation, Sales Order, Delivery Note, Sales Invoice or Contract is for (None for a
	Lead's quotation, a Supplier's contract)."""
	customer_field, party_type_field, _team = SALES_DOCUMENTS[doc.doctype]
	if party_type_field and doc.get(party_type_field) != "Customer":
		return None
	return doc.get(customer_field) or None


def check_customer(doc, user: str | None = None) -> None:
	"""A sales document being saved is for a customer the user may work with: otherwise
	`CustomerRuleError` naming whose customer it is and whom to ask. ERPNext refuses the same save when
	it reads the customer's details, with Frappe's generic "No permission for Customer ..." only."""
	customer = document_customer(doc)
	scope = for_user(user)
	if not customer or not scope.rule_applies(doc.doctype, "write"):
		return
	if _row_visible("Customer", customer, customer_sql(scope)):
		return
	message = _customer_refusal(
		f"{_('Customer')} {customer}", frappe.db.get_value("Customer", customer, ["sr_sales_person", "owner"], as_dict=True), scope
	)
	if doc.doctype in ORDER_DESK_DOCUMENTS:
		message += " " + _("Staff who process orders for every customer need the Order Desk role.")
	frappe.throw(message, CustomerRuleError, title=_("Not your customer"))


def refusal_message(doc, scope: Scope) -> str:
	"""Why a restricted user may not open `doc`, naming the rule: whose customer it is and whom to ask,
	instead of Frappe's generic "no permission". A dealer is told nothing about the record."""
	if scope.is_dealer:
		return _("This record is outside your dealer branch.")
	customer = None
	if doc.doctype == "Customer":
		customer = frappe._dict(sr_sales_person=doc.get("sr_sales_person"), owner=doc.get("owner"))
	elif doc.doctype == "Opportunity":
		customer = frappe._dict(sr_sales_person=doc.get("sr_sales_person"))
	elif doc.doctype in SALES_DOCUMENTS and (name := document_customer(doc)):
		customer = frappe.db.get_value("Customer", name, ["sr_sales_person", "owner"], as_dict=True)
	return _customer_refusal(f"{_(doc.doctype)} {doc.name}", customer, scope)


def _customer_refusal(label: str, customer, scope: Scope) -> str:
	"""`customer`: its salesperson and creator (None: the record is not a customer's)."""
	sales_person = customer and customer.sr_sales_person
	if not sales_person:
		if customer and customer.get("owner"):
			return _(
				"{0} belongs to a customer with no salesperson yet, which only its creator {1} works with. Ask a Sales Manager to give the customer a salesperson."
			).format(label, customer.owner)
		return _(
			"{0} is not one of your customers' records. Ask the salesperson responsible for it, or a Sales Manager."
		).format(label)
	manager = frappe.db.get_value("Sales Person", sales_person, "parent_sales_person")
	return _(
		"{0} belongs to the customers of {1}, not to yours. Ask {2} or a Sales Manager to hand it over to you."
	).format(label, sales_person, manager or _("their manager"))


# --- records keyed by a salesperson ---------------------------------------------------------------------


def _by_sales_person(doctype: str, fieldname: str = "sales_person"):
	def query(user: str | None = None) -> str:
		return sales_person_condition(doctype, fieldname, user)

	def check(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
		if _is_new(doc):
			return None  # a record being created: the role decides, validate checks the rest
		if can_see_sales_person(doc.get(fieldname), user):
			return None  # fall through to the role permissions
		return False

	return query, check


stage_log_query, stage_log_has_permission = _by_sales_person("Opportunity Stage Log")
snapshot_query, snapshot_has_permission = _by_sales_person("Sales Progress Snapshot")
feedback_query, feedback_has_permission = _by_sales_person("Info Feedback Report")
training_query, training_has_permission = _by_sales_person("Sales Training Record")
enrolment_query, enrolment_has_permission = _by_sales_person("Sales Training Enrolment")
_plan_query, _plan_has_permission = _by_sales_person("Career Development Plan")


def career_plan_query(user: str | None = None) -> str:
	"""A career plan: its salesperson's (own, subtree, Sales Manager), and the mentor's it names."""
	user = user or frappe.session.user
	condition = _plan_query(user)
	if not condition:
		return ""
	return f"({condition} or `tabCareer Development Plan`.`mentor` = {frappe.db.escape(user)})"


def career_plan_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if not _is_new(doc) and doc.get("mentor") == user:
		return None  # the mentor reads the plan (the role permissions decide the rest)
	return _plan_has_permission(doc, ptype, user)
visit_plan_query, visit_plan_has_permission = _by_sales_person("Visit Plan")
reward_ledger_query, reward_ledger_has_permission = _by_sales_person("Reward Ledger Entry")


def is_agent_only(user: str | None = None) -> bool:
	return for_user(user).agent


# --- Account Handover -----------------------------------------------------------------------------------
# Sales Manager and System Manager see every handover; anyone else only the handovers from or to a Sales
# Person of their subtree (the two salespeople themselves and their managers up the tree).


def handover_query(user: str | None = None) -> str:
	team = for_user(user).team
	if team is None:
		return ""
	if not team:
		return "1=0"
	values = _in(team)
	return (
		f"(`tabAccount Handover`.`from_sales_person` in ({values})"
		f" or `tabAccount Handover`.`to_sales_person` in ({values}))"
	)


def handover_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	if _is_new(doc):
		return None  # a record being created: the role decides
	team = for_user(user).team
	if team is None or {doc.get("from_sales_person"), doc.get("to_sales_person")} & set(team):
		return None
	return False
