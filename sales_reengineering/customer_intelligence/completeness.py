"""Customer data completeness: the enabled `Customer Completeness Rule`s scored with
`sales_reengineering.core.completeness`, stored on Customer.sr_completeness_score and
Customer.sr_completeness_missing, kept current by doc_events on Customer, Contact and Address.

Set-based: `compute_scores(customers)` loads the customers, their linked contacts and addresses in
three queries, whatever the number of customers.
"""

from collections import defaultdict

import frappe
from frappe import _, get_document_cache_key
from frappe.query_builder import Case
from frappe.query_builder.functions import Avg, Count
from frappe.utils import flt

from sales_reengineering.core.completeness import completeness, min_items, rule

RULE = "Customer Completeness Rule"
FIELD_TARGET = {
	"Customer Field": ("Customer", ""),
	"Primary Contact Field": ("Contact", "primary_contact."),
	"Primary Address Field": ("Address", "primary_address."),
}
BULK_CHUNK = 500


def get_rules() -> list[dict]:
	return frappe.get_all(
		RULE,
		filters={"enabled": 1},
		fields=["name", "rule_name", "weight", "rule_type", "fieldname", "designation", "min_count"],
		order_by="weight desc, name asc",
	)


def _core_rules(rules: list[dict]) -> list:
	built = []
	for row in rules:
		if row.rule_type in FIELD_TARGET:
			spec = FIELD_TARGET[row.rule_type][1] + row.fieldname
		elif row.rule_type == "Contacts with Designation":
			spec = min_items(f"designations.{frappe.scrub(row.designation)}", max(row.min_count or 1, 1))
		elif row.rule_type == "Contact Count":
			spec = min_items("contacts", max(row.min_count or 1, 1))
		else:
			spec = min_items("addresses", max(row.min_count or 1, 1))
		built.append(rule(row.name, flt(row.weight), spec))
	return built


def _fields(rules: list[dict], doctype: str) -> list[str]:
	meta = frappe.get_meta(doctype)
	wanted = {
		row.fieldname
		for row in rules
		if row.rule_type in FIELD_TARGET and FIELD_TARGET[row.rule_type][0] == doctype
	}
	return sorted(field for field in wanted if meta.has_field(field) or field in ("name", "owner"))


def _linked(doctype: str, customers: list[str], fields: list[str]) -> dict[str, list[dict]]:
	"""Contacts or addresses linked to each customer, in one query."""
	table = frappe.qb.DocType(doctype)
	link = frappe.qb.DocType("Dynamic Link")
	primary = "is_primary_contact" if doctype == "Contact" else "is_primary_address"
	extra = ["designation"] if doctype == "Contact" else []
	columns = sorted({"name", primary, *extra, *fields})
	rows = (
		frappe.qb.from_(table)
		.join(link)
		.on((link.parent == table.name) & (link.parenttype == doctype))
		.select(link.link_name.as_("_customer"), *[table[column] for column in columns])
		.where((link.link_doctype == "Customer") & link.link_name.isin(customers))
		.orderby(table[primary], order=frappe.qb.desc)
		.orderby(table.creation)
	).run(as_dict=True)
	by_customer = defaultdict(list)
	for row in rows:
		by_customer[row.pop("_customer")].append(row)
	return by_customer


def _primary(rows: list[dict], chosen: str | None, flag: str) -> dict:
	for row in rows:
		if chosen and row.name == chosen:
			return row
	return next((row for row in rows if row.get(flag)), rows[0] if rows else {})


def compute_scores(
	customers: list[str], rules: list[dict] | None = None
) -> dict[str, tuple[float, list[str]]]:
	"""`{customer: (score, [names of the rules not met])}` for the given customers."""
	rules = get_rules() if rules is None else rules
	if not customers:
		return {}
	if not rules:
		return {name: (100.0, []) for name in customers}
	core_rules = _core_rules(rules)
	customer_fields = _fields(rules, "Customer")
	records = frappe.get_all(
		"Customer",
		filters={"name": ("in", customers)},
		fields=sorted({"name", "customer_primary_contact", "customer_primary_address", *customer_fields}),
	)
	contacts = _linked("Contact", customers, _fields(rules, "Contact"))
	addresses = _linked("Address", customers, _fields(rules, "Address"))
	scores = {}
	for record in records:
		own_contacts = contacts.get(record.name, [])
		own_addresses = addresses.get(record.name, [])
		designations = defaultdict(list)
		for contact in own_contacts:
			if contact.designation:
				designations[frappe.scrub(contact.designation.strip())].append(contact.name)
		data = {
			**record,
			"contacts": own_contacts,
			"addresses": own_addresses,
			"primary_contact": _primary(own_contacts, record.customer_primary_contact, "is_primary_contact"),
			"primary_address": _primary(own_addresses, record.customer_primary_address, "is_primary_address"),
			"designations": designations,
		}
		scores[record.name] = completeness(data, core_rules)
	return scores


def update_scores(
	customers: list[str], rules: list[dict] | None = None, from_replica: bool = False
) -> dict[str, tuple[float, list[str]]]:
	"""Compute and store the scores; only customers whose score or missing list changed are written.

	from_replica: compute on the site's read replica when it has one (the bulk job, whose data is
	committed; never a doc_event, which must see the change being saved)."""
	customers = sorted({name for name in customers if name})
	scores, current = (_scores_on_replica if from_replica else _scores_and_current)(customers, rules)
	if not scores:
		return scores
	changed = {}
	for name, (score, missing) in scores.items():
		text = "\n".join(missing)
		if current.get(name) != (flt(score), text):
			changed[name] = (score, text)
	store_scores(changed)
	return scores


def _scores_and_current(customers: list[str], rules: list[dict] | None) -> tuple[dict, dict]:
	"""(new scores, {customer: (stored score, stored missing text)})."""
	scores = compute_scores(customers, rules)
	if not scores:
		return scores, {}
	current = {
		row.name: (flt(row.sr_completeness_score), row.sr_completeness_missing or "")
		for row in frappe.get_all(
			"Customer",
			filters={"name": ("in", list(scores))},
			fields=["name", "sr_completeness_score", "sr_completeness_missing"],
		)
	}
	return scores, current


@frappe.read_only()
def _scores_on_replica(customers: list[str], rules: list[dict] | None) -> tuple[dict, dict]:
	return _scores_and_current(customers, rules)


def store_scores(changed: dict[str, tuple[float, str]]) -> None:
	"""Write {customer: (score, missing text)} with one UPDATE per BULK_CHUNK customers (a CASE on the
	name), leaving `modified` alone as before; the customers' cached documents are dropped."""
	if not changed:
		return
	customer = frappe.qb.DocType("Customer")
	names = sorted(changed)
	for start in range(0, len(names), BULK_CHUNK):
		chunk = names[start : start + BULK_CHUNK]
		score, missing = Case(), Case()
		for name in chunk:
			score = score.when(customer.name == name, changed[name][0])
			missing = missing.when(customer.name == name, changed[name][1])
		(
			frappe.qb.update(customer)
			.set(customer.sr_completeness_score, score.else_(customer.sr_completeness_score))
			.set(customer.sr_completeness_missing, missing.else_(customer.sr_completeness_missing))
			.where(customer.name.isin(chunk))
		).run()
	frappe.cache.delete_value([get_document_cache_key("Customer", name) for name in names])


# --- doc_events -----------------------------------------------------------------------------------


def on_customer_update(doc, method=None) -> None:
	scores = update_scores([doc.name])
	if doc.name in scores:
		score, missing = scores[doc.name]
		doc.sr_completeness_score = score
		doc.sr_completeness_missing = "\n".join(missing)


def _linked_customers(doc) -> set[str]:
	customers = {link.link_name for link in doc.get("links") or [] if link.link_doctype == "Customer"}
	before = doc.get_doc_before_save() if hasattr(doc, "get_doc_before_save") else None
	if before:
		customers |= {link.link_name for link in before.get("links") or [] if link.link_doctype == "Customer"}
	return customers


def on_contact_or_address_change(doc, method=None) -> None:
	"""Contact / Address on_update and after_delete: rescore every customer linked before or after."""
	if customers := _linked_customers(doc):
		update_scores(list(customers))


def on_rule_change(doc=None, method=None) -> None:
	"""A rule changed: every customer's score may change, so recompute them all in the background."""
	enqueue_recompute_all()


# --- bulk -----------------------------------------------------------------------------------------


def enqueue_recompute_all() -> None:
	frappe.enqueue(
		"sales_reengineering.customer_intelligence.completeness.recompute_all",
		queue="long",
		job_id="sr_recompute_customer_completeness",
		deduplicate=True,
		enqueue_after_commit=True,
	)


def recompute_all() -> int:
	"""Background job: rescore every customer in chunks of BULK_CHUNK; returns the number of customers
	scored. Each chunk's names are read after the last one scored (by name), so the job holds one chunk,
	not every customer's name (its peak memory doubled with the customers when it read them all first)."""
	rules = get_rules()
	customer = frappe.qb.DocType("Customer")
	scored, last = 0, None
	while True:
		query = frappe.qb.from_(customer).select(customer.name).orderby(customer.name).limit(BULK_CHUNK)
		if last is not None:
			query = query.where(customer.name > last)
		names = [name for (name,) in query.run()]
		if not names:
			break
		update_scores(names, rules, from_replica=True)
		if not frappe.flags.in_test:
			frappe.db.commit()
		scored, last = scored + len(names), names[-1]
		if len(names) < BULK_CHUNK:
			break
	return scored


@frappe.whitelist(methods=["POST"])
def recompute_completeness() -> None:
	"""Button on the rule list: queue the bulk recompute (rule editors only)."""
	frappe.has_permission(RULE, "write", throw=True)
	enqueue_recompute_all()
	frappe.msgprint(_("Customer completeness scores are being recomputed in the background."))


# --- for the KPI engineer -------------------------------------------------------------------------


def get_completeness_averages(by: str = "sales_person", names: list[str] | None = None) -> dict[str, dict]:
	"""Average completeness score per responsible salesperson (`by="sales_person"`) or per
	maintaining assistant (`by="assistant"`, a User): `{key: {"average": float, "customers": int}}`.
	Disabled customers are left out. One query."""
	field = {"sales_person": "sr_sales_person", "assistant": "sr_sales_assistant"}.get(by)
	if not field:
		frappe.throw(_("Averages can be grouped by sales_person or assistant, not {0}.").format(by))
	customer = frappe.qb.DocType("Customer")
	key = customer[field]
	query = (
		frappe.qb.from_(customer)
		.select(
			key.as_("key"), Avg(customer.sr_completeness_score).as_("average"), Count("*").as_("customers")
		)
		.where(key.isnotnull() & (key != "") & (customer.disabled == 0))
		.groupby(key)
	)
	if names is not None:
		if not names:
			return {}
		query = query.where(key.isin(names))
	return {
		row.key: {"average": flt(row.average, 2), "customers": row.customers}
		for row in query.run(as_dict=True)
	}
