"""Frappe's User Permissions (Setup > User Permission) in the app's reports.

List views apply them; script reports do not by themselves (Frappe's report runner only drops rows whose
*link columns* fail them, so sums and counts over hidden rows still count). Every report adds
`criterion(...)` to its base query, once per table, for the Company, Territory and Customer columns that
table has, the way ERPNext's list view of that table's doctype treats them:

- a permission without "Applicable For", or applicable to the table's doctype (`reference_doctype`),
  counts; one applicable to another doctype does not;
- tree doctypes (Territory) include their descendants unless "Hide Descendants" is set (Frappe's
  `get_user_permissions` already expands them);
- an empty value passes unless "Apply Strict User Permissions" is set in System Settings;
- a Dynamic Link (Opportunity.party_name, Contract.party_name, Payment Entry.party ...) is checked only
  on the rows whose type column names the restricted doctype (`Party`); the other rows pass, as list
  views ignore Dynamic Links altogether.

A report's filters are checked first (`check_filters`): a Customer, Territory or Company the user's User
Permissions exclude is refused with a PermissionError before anything looks the record up, so the
answer is the same whether it exists or not.

Reports whose rows are people (KPI Ranking, Scorecard Trend, Task Attainment by Sales Person) are not
cut by these permissions: a Sales Person, a Sales Task and a KPI Scorecard carry no Company, Territory
or Customer (ERPNext's Sales Person list is not limited by them either), and a score is the person's
attainment of their whole target, the same figure their stored scorecard and the ranking show. Who
may see which person is the salesperson scope's question (`scope.performance`). Task Attainment by
Territory walks the Territory tree, which a Territory permission does cut.
"""

from dataclasses import dataclass

import frappe
from frappe import _
from frappe.query_builder import Criterion
from pypika.terms import Term

# the doctypes whose User Permissions the app's reports honour
HONOURED = ("Company", "Territory", "Customer")

# Where each doctype the reports read keeps its Company, Territory and Customer: {restricted doctype:
# field, or (field, type field) for a Dynamic Link}. The Link fields are those ERPNext's list view of
# the doctype checks; `represents_company` is left out as the list view leaves it out
# (ignore_user_permissions).
LINKS = {
	"Sales Invoice": {"Company": "company", "Territory": "territory", "Customer": "customer"},
	"Sales Order": {"Company": "company", "Territory": "territory", "Customer": "customer"},
	"POS Invoice": {"Company": "company", "Territory": "territory", "Customer": "customer"},
	"Quotation": {
		"Company": "company",
		"Territory": "territory",
		"Customer": ("party_name", "quotation_to"),
	},
	"Opportunity": {
		"Company": "company",
		"Territory": "territory",
		"Customer": ("party_name", "opportunity_from"),
	},
	"Payment Entry": {"Company": "company", "Customer": ("party", "party_type")},
	"Contract": {"Customer": ("party_name", "party_type")},
	"Customer": {"Customer": "name", "Territory": "territory"},
	"Territory": {"Territory": "name"},
	"Dealer": {"Territory": "territory", "Customer": "customer"},
	"Deal Registration": {"Territory": "territory", "Customer": "customer"},
	"Sell Through Report": {"Territory": "territory"},
	"Channel Price Exception": {"Customer": "customer"},
	"Telesales Call": {"Customer": "customer"},
	"Info Feedback Report": {"Territory": "territory", "Customer": "customer"},
}


@dataclass(frozen=True)
class Party:
	"""A Dynamic Link column (`name`) that names a record of the restricted doctype only on the rows
	whose `type` column says so, e.g. Party(opportunity.party_name, opportunity.opportunity_from)."""

	name: Term
	type: Term


def allowed_values(
	doctype: str, user: str | None = None, reference_doctype: str | None = None
) -> list[str] | None:
	"""The names of `doctype` the user is limited to when reading `reference_doctype`, or None when no
	User Permission limits them. A tree doctype's list includes the descendants."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	permissions = frappe.permissions.get_user_permissions(user).get(doctype)
	if not permissions:
		return None
	values = [
		row.get("doc")
		for row in permissions
		if not row.get("applicable_for") or row.get("applicable_for") == reference_doctype
	]
	return list(dict.fromkeys(values)) or None


def criterion(columns: dict, user: str | None = None, reference_doctype: str | None = None):
	"""A query-builder criterion for {doctype: column}, e.g. {"Company": invoice.company, "Customer":
	invoice.customer}, for the rows of one table whose doctype is `reference_doctype`; None when nothing
	limits the user. A value may also be a `Party`, or a list of columns that must all pass."""
	strict = None
	parts = []
	for doctype, column in columns.items():
		values = allowed_values(doctype, user, reference_doctype)
		if values is None:
			continue
		if strict is None:
			strict = bool(frappe.get_system_settings("apply_strict_user_permissions"))
		for one in column if isinstance(column, list | tuple) else (column,):
			parts.append(_allows(doctype, one, values, strict))
	return Criterion.all(parts) if parts else None


def _allows(doctype: str, column, values: list[str], strict: bool):
	name = column.name if isinstance(column, Party) else column
	allowed = name.isin(values)
	if not strict:
		allowed = allowed | name.isnull() | (name == "")
	if isinstance(column, Party):
		return column.type.isnull() | (column.type != doctype) | allowed
	return allowed


def apply(query, columns: dict, user: str | None = None, reference_doctype: str | None = None):
	"""`query` with `criterion(columns)` added when there is one."""
	condition = criterion(columns, user, reference_doctype)
	return query.where(condition) if condition is not None else query


def columns_of(doctype: str, table=None) -> dict:
	"""{restricted doctype: column} of `table` (default: the doctype's own table) as `LINKS` lists them."""
	table = table or frappe.qb.DocType(doctype)
	return {
		restricted: Party(table[field[0]], table[field[1]]) if isinstance(field, tuple) else table[field]
		for restricted, field in LINKS[doctype].items()
	}


def table_criterion(doctype: str, table=None, user: str | None = None):
	"""`criterion` for the rows of one `doctype` table (None when nothing limits the user)."""
	return criterion(columns_of(doctype, table), user, reference_doctype=doctype)


def apply_to(query, doctype: str, table=None, user: str | None = None):
	"""`query` with the User Permissions of its `doctype` table (`table`, default the doctype's own)."""
	condition = table_criterion(doctype, table, user)
	return query.where(condition) if condition is not None else query


def check_filters(
	filters: dict, fields: dict[str, str], user: str | None = None, reference_doctype: str | None = None
) -> None:
	"""Refuse report filters naming a record outside the user's User Permissions: `fields` maps a filter
	to its doctype, e.g. {"customer": "Customer", "territory": "Territory"}. Nothing is read from the
	database, so a missing record and a forbidden one get the same answer; call this before any check
	that the record exists."""
	for fieldname, doctype in fields.items():
		value = filters.get(fieldname)
		if not value:
			continue
		values = allowed_values(doctype, user, reference_doctype)
		if values is None:
			continue
		for one in value if isinstance(value, list | tuple) else (value,):
			if one and one not in values:
				frappe.throw(
					_("Your User Permissions do not allow reports on {0} {1}.").format(_(doctype), one),
					frappe.PermissionError,
					title=_("Not Permitted"),
				)
