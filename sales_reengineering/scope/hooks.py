"""The functions hooks.py names for permissions: every door asks `scope` through these.

Frappe checks a child table's rows against the parent's *role* permissions only: `frappe.client.get_list`,
`get_value`, `frappe.desk.reportview.get` and `get_count` on "Sales Team" or "Deal Registration Conflict"
would list the rows of every parent. `child_table_query` is registered for "*" and gives every child
table the conditions of its parents (whichever app registered them) and hides the rows of a table field
whose permission level the user lacks (the conflict rows of a deal registration, for a dealer).
"""

import frappe

from sales_reengineering.scope import customers

# -- the customer rule (Customer, Opportunity, Quotation, Sales Order, Delivery Note, Sales Invoice,
# Contract, Contact, Address, Channel Price Exception, Telesales Call) -------------------------------------


def customer_rule_query(user: str | None = None, doctype: str | None = None) -> str:
	return customers.condition(doctype, user)


def customer_rule_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	return customers.has_permission(doc, ptype, user)


# -- child tables ----------------------------------------------------------------------------------------


def _table_fields(child_doctype: str) -> list[tuple[str, str, int]]:
	"""(parent doctype, fieldname, permlevel) of every table field holding `child_doctype`, standard or
	custom; cached until the next cache clear (migrate clears it)."""

	def load():
		rows = []
		for source in ("DocField", "Custom Field"):
			parent_field = "parent" if source == "DocField" else "dt"
			rows += frappe.get_all(
				source,
				filters={"fieldtype": ("in", ("Table", "Table MultiSelect")), "options": child_doctype},
				fields=[f"{parent_field} as parent", "fieldname", "permlevel"],
			)
		return [(row.parent, row.fieldname, row.permlevel or 0) for row in rows]

	return frappe.cache.hget("sr_child_table_fields", child_doctype, load)


def child_table_query(user: str | None = None, doctype: str | None = None) -> str:
	"""Registered for "*": "" for every doctype that is not a child table."""
	if not doctype or not frappe.get_meta(doctype).istable:
		return ""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	hooks = frappe.get_hooks("permission_query_conditions")
	table = f"`tab{doctype}`"
	parents: dict[str, list[str]] = {}
	for parent, fieldname, permlevel in _table_fields(doctype):
		parents.setdefault(parent, [])
		if permlevel and permlevel not in frappe.get_meta(parent).get_permlevel_access("read", user=user):
			parents[parent].append(fieldname)

	clauses, restricted = [], []
	for parent, hidden_fields in parents.items():
		conditions = [
			condition
			for method in hooks.get(parent, [])
			if (condition := frappe.call(frappe.get_attr(method), user, doctype=parent))
		]
		if not conditions and not hidden_fields:
			continue
		restricted.append(parent)
		clause = [f"{table}.`parenttype` = {frappe.db.escape(parent)}"]
		if hidden_fields:
			fields = ", ".join(frappe.db.escape(field) for field in hidden_fields)
			clause.append(f"{table}.`parentfield` not in ({fields})")
		if conditions:
			clause.append(
				f"{table}.`parent` in (select `name` from `tab{parent}` where {' and '.join(conditions)})"
			)
		clauses.append("(" + " and ".join(clause) + ")")
	if not restricted:
		return ""
	others = ", ".join(frappe.db.escape(parent) for parent in restricted)
	clauses.append(f"ifnull({table}.`parenttype`, '') not in ({others})")
	return "(" + " or ".join(clauses) + ")"
