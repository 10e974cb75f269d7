"""permission_query_conditions / has_permission for this module's doctypes and for ERPNext's Customer,
Opportunity, Quotation, Sales Order, Sales Invoice and Contract: a salesperson sees their own records, a
manager their Sales Person subtree, an assistant what they maintain, a telesales agent their call list,
Sales Manager and System Manager everything (see `access.py`).

The hooks only ever narrow: they return None (the role permissions decide) or False, never True."""

import frappe
from frappe.model.document import Document
from frappe.query_builder import Criterion

from sales_reengineering.customer_intelligence.access import (
	can_see_sales_person,
	get_visible_sales_persons,
	sales_person_condition,
)


def _by_sales_person(doctype: str, fieldname: str = "sales_person"):
	def query(user: str | None = None, doctype_: str | None = None) -> str:
		return sales_person_condition(doctype, fieldname, user)

	def check(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
		if doc.get("__islocal") or not doc.get("creation"):
			return None  # a record being created: the role decides, validate checks the rest
		if can_see_sales_person(doc.get(fieldname), user):
			return None  # fall through to the role permissions
		return False

	return query, check


stage_log_query, stage_log_has_permission = _by_sales_person("Opportunity Stage Log")
snapshot_query, snapshot_has_permission = _by_sales_person("Sales Progress Snapshot")
feedback_query, feedback_has_permission = _by_sales_person("Info Feedback Report")
training_query, training_has_permission = _by_sales_person("Sales Training Record")
career_plan_query, career_plan_has_permission = _by_sales_person("Career Development Plan")


# --- Customer and Opportunity -------------------------------------------------------------------------
# ERPNext lets every Sales User read every customer and opportunity. Users whose sales roles are only
# Sales User, Sales Assistant or Telesales Agent are narrowed to: the customers and opportunities of their
# Sales Person and its subtree, the records they created, the customers they maintain as assistant and
# the customers of their telesales call list. Managers, channel and accounts staff keep ERPNext's rights.

RESTRICTED_ROLES = {"Sales User", "Sales Assistant", "Telesales Agent"}
UNRESTRICTED_ROLES = {
	"System Manager",
	"Sales Manager",
	"Channel Manager",
	"Accounts User",
	"Accounts Manager",
	"Administrator",
}


def _is_restricted(user: str) -> bool:
	if user == "Administrator":
		return False
	roles = set(frappe.get_roles(user))
	return bool(roles & RESTRICTED_ROLES) and not roles & UNRESTRICTED_ROLES


def _scope(user: str) -> frappe._dict | None:
	"""What a restricted user may see, or None when they see everything. The single source of the
	customer rule: the SQL fragments, the document checks and the report criterion are built from it."""
	if not _is_restricted(user):
		return None
	roles = set(frappe.get_roles(user))
	return frappe._dict(
		user=user,
		sales_persons=get_visible_sales_persons(user) or [],
		assistant="Sales Assistant" in roles,
		agent="Telesales Agent" in roles,
	)


def _in(values: list[str]) -> str:
	return ", ".join(frappe.db.escape(value) for value in values)


def _call_list_sql(user: str) -> str:
	"""The customers of the user's telesales calls (a cancelled call no longer counts)."""
	return (
		"select `customer` from `tabTelesales Call` "
		f"where `agent` = {frappe.db.escape(user)} and `status` != 'Cancelled'"
	)


def _customer_sql(scope: frappe._dict) -> str:
	"""WHERE fragment on `tabCustomer` for the customers `scope` may see."""
	user = frappe.db.escape(scope.user)
	conditions = [f"`tabCustomer`.`owner` = {user}"]
	if scope.sales_persons:
		conditions.append(f"`tabCustomer`.`sr_sales_person` in ({_in(scope.sales_persons)})")
	if scope.assistant:
		conditions.append(f"`tabCustomer`.`sr_sales_assistant` = {user}")
	if scope.agent:
		conditions.append(f"`tabCustomer`.`name` in ({_call_list_sql(scope.user)})")
	return "(" + " or ".join(conditions) + ")"


def _visible_customers_sql(scope: frappe._dict) -> str:
	return f"select `name` from `tabCustomer` where {_customer_sql(scope)}"


def customer_query(user: str | None = None, doctype_: str | None = None) -> str:
	scope = _scope(user or frappe.session.user)
	return _customer_sql(scope) if scope else ""


def opportunity_query(user: str | None = None, doctype_: str | None = None) -> str:
	scope = _scope(user or frappe.session.user)
	if not scope:
		return ""
	conditions = [f"`tabOpportunity`.`owner` = {frappe.db.escape(scope.user)}"]
	if scope.sales_persons:
		conditions.append(f"`tabOpportunity`.`sr_sales_person` in ({_in(scope.sales_persons)})")
	if scope.agent:
		conditions.append(
			"(`tabOpportunity`.`opportunity_from` = 'Customer' "
			f"and `tabOpportunity`.`party_name` in ({_call_list_sql(scope.user)}))"
		)
	return "(" + " or ".join(conditions) + ")"


def _is_new(doc) -> bool:
	return bool(doc.get("__islocal") or not doc.get("name"))


def _in_call_list(customer: str | None, scope: frappe._dict) -> bool:
	return bool(
		customer
		and scope.agent
		and frappe.db.exists(
			"Telesales Call", {"customer": customer, "agent": scope.user, "status": ("!=", "Cancelled")}
		)
	)


def _customer_visible(customer: str | None, scope: frappe._dict) -> bool:
	"""Whether `scope` sees the (saved) customer: the list condition itself, applied to one row."""
	if not customer:
		return False
	return bool(
		frappe.db.sql(
			f"select `name` from `tabCustomer` where `name` = %(customer)s and {_customer_sql(scope)} limit 1",
			{"customer": customer},
		)
	)


def customer_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	scope = _scope(user or frappe.session.user)
	if not scope or _is_new(doc):
		return None  # unrestricted, or a record being created: the role decides
	if (
		doc.get("owner") == scope.user
		or doc.get("sr_sales_person") in scope.sales_persons
		or (scope.assistant and doc.get("sr_sales_assistant") == scope.user)
		or _in_call_list(doc.get("name"), scope)
	):
		return None
	return False


def opportunity_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	scope = _scope(user or frappe.session.user)
	if not scope or _is_new(doc):
		return None
	if (
		doc.get("owner") == scope.user
		or doc.get("sr_sales_person") in scope.sales_persons
		or (doc.get("opportunity_from") == "Customer" and _in_call_list(doc.get("party_name"), scope))
	):
		return None
	return False


# --- Quotation, Sales Order, Sales Invoice, Contract ----------------------------------------------------
# ERPNext shows a Sales User every customer's quotations and orders. A restricted user (see above) sees a
# document when they may see its customer, when they created it, or when their Sales Person (or one of
# their subtree) is on its Sales Team (Sales Order and Sales Invoice; a Quotation has none). Payment
# Entry is not listed: only accounts roles read it, and they are not restricted.

# doctype -> (customer field, the party type field when the party may be other than a Customer, whether
# it has a Sales Team table)
SALES_DOCUMENTS: dict[str, tuple[str, str | None, bool]] = {
	"Quotation": ("party_name", "quotation_to", False),
	"Sales Order": ("customer", None, True),
	"Sales Invoice": ("customer", None, True),
	"Contract": ("party_name", "party_type", False),
}


def _document_sql(doctype: str, scope: frappe._dict) -> str:
	customer_field, party_type_field, has_sales_team = SALES_DOCUMENTS[doctype]
	table = f"`tab{doctype}`"
	by_customer = f"{table}.`{customer_field}` in ({_visible_customers_sql(scope)})"
	if party_type_field:
		by_customer = f"({table}.`{party_type_field}` = 'Customer' and {by_customer})"
	conditions = [f"{table}.`owner` = {frappe.db.escape(scope.user)}", by_customer]
	if has_sales_team and scope.sales_persons:
		conditions.append(
			f"{table}.`name` in (select `parent` from `tabSales Team` "
			f"where `parenttype` = {frappe.db.escape(doctype)} "
			f"and `sales_person` in ({_in(scope.sales_persons)}))"
		)
	return "(" + " or ".join(conditions) + ")"


def _on_sales_team(doc, scope: frappe._dict) -> bool:
	if not scope.sales_persons:
		return False
	return any(row.get("sales_person") in scope.sales_persons for row in doc.get("sales_team") or [])


def _by_customer(doctype: str):
	customer_field, party_type_field, has_sales_team = SALES_DOCUMENTS[doctype]

	def query(user: str | None = None, doctype_: str | None = None) -> str:
		scope = _scope(user or frappe.session.user)
		return _document_sql(doctype, scope) if scope else ""

	def check(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
		scope = _scope(user or frappe.session.user)
		if not scope or _is_new(doc):
			return None  # unrestricted, or a record being created: the role decides
		if not isinstance(doc, Document):
			doc = frappe.get_doc(doctype, doc.get("name"))  # a bare row lacks the sales team
		customer = doc.get(customer_field)
		if party_type_field and doc.get(party_type_field) != "Customer":
			customer = None
		if (
			doc.get("owner") == scope.user
			or (has_sales_team and _on_sales_team(doc, scope))
			or _customer_visible(customer, scope)
		):
			return None  # fall through to the role permissions
		return False

	return query, check


quotation_query, quotation_has_permission = _by_customer("Quotation")
sales_order_query, sales_order_has_permission = _by_customer("Sales Order")
sales_invoice_query, sales_invoice_has_permission = _by_customer("Sales Invoice")
contract_query, contract_has_permission = _by_customer("Contract")


def visible_customers_criterion(field, user: str | None = None):
	"""For reports: a query-builder criterion keeping `field` (a customer name column) to the customers
	the user may see, or None when they see all. The same rule as `customer_query`."""
	scope = _scope(user or frappe.session.user)
	if not scope:
		return None
	customer = frappe.qb.DocType("Customer").as_("sr_visible_customer")
	conditions = [customer.owner == scope.user]
	if scope.sales_persons:
		conditions.append(customer.sr_sales_person.isin(scope.sales_persons))
	if scope.assistant:
		conditions.append(customer.sr_sales_assistant == scope.user)
	if scope.agent:
		call = frappe.qb.DocType("Telesales Call")
		conditions.append(
			customer.name.isin(
				frappe.qb.from_(call)
				.select(call.customer)
				.where((call.agent == scope.user) & (call.status != "Cancelled"))
			)
		)
	return field.isin(frappe.qb.from_(customer).select(customer.name).where(Criterion.any(conditions)))


# --- Telesales Call -------------------------------------------------------------------------------------
# A Telesales Agent works their own call list; managers see every list.


def is_agent_only(user: str) -> bool:
	roles = set(frappe.get_roles(user))
	return (
		user != "Administrator"
		and "Telesales Agent" in roles
		and not roles & {"Sales Manager", "System Manager"}
	)


def telesales_call_query(user: str | None = None, doctype_: str | None = None) -> str:
	user = user or frappe.session.user
	return f"`tabTelesales Call`.`agent` = {frappe.db.escape(user)}" if is_agent_only(user) else ""


def telesales_call_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if is_agent_only(user) and doc.get("agent") != user:
		return False
	return None


# --- Account Handover -----------------------------------------------------------------------------------
# Sales Manager and System Manager see every handover; anyone else only the handovers from or to a Sales
# Person of their subtree (the two salespeople themselves and their managers up the tree).


def handover_query(user: str | None = None, doctype_: str | None = None) -> str:
	visible = get_visible_sales_persons(user)
	if visible is None:
		return ""
	if not visible:
		return "1=0"
	values = _in(visible)
	return (
		f"(`tabAccount Handover`.`from_sales_person` in ({values})"
		f" or `tabAccount Handover`.`to_sales_person` in ({values}))"
	)


def handover_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	if doc.get("__islocal") or not doc.get("creation"):
		return None  # a record being created: the role decides
	visible = get_visible_sales_persons(user)
	if visible is None or {doc.get("from_sales_person"), doc.get("to_sales_person")} & set(visible):
		return None
	return False
