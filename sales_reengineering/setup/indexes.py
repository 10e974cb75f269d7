"""The database indexes the app's queries need, on ERPNext's tables and its own.

Each comes from a query of the app (see docs/performance.md, "Indexes", for each one's EXPLAIN before and
after). They are made by the patch `v0_1.query_indexes` on existing sites and by `after_install` on new
ones; adding them is idempotent (an index that exists is left alone). Every index on an ERPNext table is
named `sr_...` and dropped by `before_uninstall`; those on the app's own tables go with the tables.
"""

import frappe

# (doctype, index name, columns): the leading columns are the query's equality filters or join keys,
# the rest its range column and the columns it reads, so that the index alone answers it
INDEXES = (
	# net sales and collections, per salesperson: from the person's Sales Team rows to their invoices
	("Sales Team", "sr_person_parent", ("sales_person", "parenttype", "parent", "allocated_percentage")),
	# the same for many people at once, read from the invoices of the period: the join reads the index only
	("Sales Team", "sr_parent_person", ("parent", "parenttype", "sales_person", "allocated_percentage")),
	# each customer's first and last invoice (new / repeat customers, dormant customers), a dealer's
	# purchases, transaction history: one customer's submitted invoices by date
	("Sales Invoice", "sr_customer_posting", ("customer", "docstatus", "is_return", "posting_date")),
	# the same in one company (the scorecards' new and repeat customers since they count per company):
	# a customer's earlier invoice in the company, or its first one, from the index alone
	(
		"Sales Invoice",
		"sr_customer_company",
		("customer", "company", "docstatus", "is_return", "posting_date"),
	),
	# a period's submitted invoices for the whole company (every scorecard of a quarter at once, reports):
	# a range of the index alone, never the wide invoice rows, also when the query names the company and
	# reads the customer (new / repeat customers); replaces sr_posting_net, which lacked them
	(
		"Sales Invoice",
		"sr_period_invoices",
		("docstatus", "posting_date", "company", "is_return", "customer", "base_net_total"),
	),
	# a salesperson's customers (every scope rule, new / repeat customers, completeness by person)
	("Customer", "sr_sales_person", ("sr_sales_person", "disabled")),
	("Customer", "sr_sales_assistant", ("sr_sales_assistant", "disabled")),
	# a salesperson's opportunities (scope, opportunities won / advanced)
	("Opportunity", "sr_sales_person", ("sr_sales_person", "status")),
	# reminders: open opportunities (stuck, close date passed), stuck opportunities report
	("Opportunity", "sr_status_closing", ("status", "expected_closing")),
	# the app's own tables
	# live tasks (daily job, reminders): Frappe wraps "from_date <=" in IFNULL, so the range is on to_date
	# opportunities advanced for a whole company: the period's stage moves from the index alone
	("Opportunity Stage Log", "sr_moves", ("changed_on", "opportunity", "from_stage", "to_stage")),
	("Sales Task", "sr_live_tasks", ("docstatus", "to_date", "from_date")),
	("Sales Task", "sr_period", ("period_type", "period_label", "assignee_type")),
	("Sales Task", "sr_assignee", ("assignee_type", "assignee")),
	("KPI Scorecard", "sr_period", ("period_type", "period_label", "assignee_type", "is_group")),
	("KPI Scorecard", "sr_assignee", ("assignee", "period_type")),
	("Telesales Call", "sr_status_agent", ("status", "agent")),
	# the digests still to send, in the order they are mailed (no sort)
	("Sales Reminder Log", "sr_digest_order", ("digest_sent", "recipient", "rule", "due_date")),
)


# indexes of earlier versions that one above replaces: dropped by add_indexes (and by before_uninstall)
RETIRED = (("Sales Invoice", "sr_posting_net"),)


def _exists(doctype: str) -> bool:
	return bool(frappe.db.table_exists(doctype)) and frappe.db.exists("DocType", doctype)


def _columns_exist(doctype: str, columns: tuple[str, ...]) -> bool:
	present = set(frappe.db.get_table_columns(doctype))
	return all(column in present for column in columns)


def add_indexes() -> list[str]:
	"""Create every missing index whose table and columns exist, and drop the retired ones; returns the
	ones created."""
	_drop(RETIRED)
	created = []
	for doctype, name, columns in INDEXES:
		if not _exists(doctype) or not _columns_exist(doctype, columns):
			continue
		if frappe.db.has_index(f"tab{doctype}", name):
			continue
		frappe.db.add_index(doctype, list(columns), name)
		created.append(f"{doctype}.{name}")
	return created


def _app_doctypes() -> set[str]:
	modules = frappe.get_module_list("sales_reengineering")
	return set(frappe.get_all("DocType", filters={"module": ("in", modules)}, pluck="name"))


def _drop(indexes) -> list[str]:
	dropped = []
	for doctype, name in indexes:
		if _exists(doctype) and frappe.db.has_index(f"tab{doctype}", name):
			frappe.db.sql_ddl(f"ALTER TABLE `tab{doctype}` DROP INDEX `{name}`")
			dropped.append(f"{doctype}.{name}")
	return dropped


def remove_indexes() -> list[str]:
	"""Drop the app's indexes on tables that are not its own (before_uninstall); returns them."""
	own = _app_doctypes()
	return _drop(
		[(doctype, name) for doctype, name, _columns in INDEXES if doctype not in own] + list(RETIRED)
	)
