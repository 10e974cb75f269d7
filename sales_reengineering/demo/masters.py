"""Loader sections for the master data: fiscal years, sales organisation, territories, dealers, customers,
items and the sales funnel. Each section returns how many records it added."""

from __future__ import annotations

import frappe
from frappe.contacts.doctype.address.address import get_address_display
from frappe.model.naming import append_number_if_name_exists

from sales_reengineering.demo import data
from sales_reengineering.demo.company import ensure_fiscal_years, tree_root
from sales_reengineering.demo.context import (
	Batch,
	Context,
	customer_names,
	existing,
	fast_insert,
	guard,
	quiet,
)
from sales_reengineering.demo.generator import CustomerPlan, DealerPlan

PROVINCIAL_ROOT_PARENT = "All Territories"


def load_fiscal_years(ctx: Context) -> int:
	return ensure_fiscal_years(ctx.company, ctx.plan.fiscal_years())


# --- Trees ---------------------------------------------------------------------------------------------


def _ensure_tree_node(doctype: str, name: str, values: dict, is_group: bool) -> int:
	"""Create the node, or turn an existing leaf into a group; returns 1 when created."""
	if frappe.db.exists(doctype, name):
		if is_group and not frappe.db.get_value(doctype, name, "is_group"):
			doc = frappe.get_doc(doctype, name)
			doc.is_group = 1
			quiet(doc).save()
		return 0
	quiet(frappe.get_doc({"doctype": doctype, **values, "is_group": int(is_group)})).insert()
	return 1


def load_sales_persons(ctx: Context) -> int:
	root = tree_root("Sales Person")
	added = 0
	for person in ctx.plan.sales_persons:
		parent = root if person.parent == data.SALES_ROOT else person.parent
		values = {"sales_person_name": person.name, "parent_sales_person": parent, "enabled": 1}
		added += guard(
			"Sales Person",
			person.name,
			lambda values=values, person=person: _ensure_tree_node(
				"Sales Person", person.name, values, person.is_group
			),
		)
	return added


def load_territories(ctx: Context) -> int:
	root = tree_root("Territory")
	added = 0
	for territory in ctx.plan.territories:
		parent = root if territory.parent == PROVINCIAL_ROOT_PARENT else territory.parent
		values = {
			"territory_name": territory.name,
			"parent_territory": parent,
			"territory_manager": territory.manager,
		}
		added += guard(
			"Territory",
			territory.name,
			lambda values=values, territory=territory: _ensure_tree_node(
				"Territory", territory.name, values, territory.is_group
			),
		)
		if territory.manager and not frappe.db.get_value("Territory", territory.name, "territory_manager"):
			frappe.db.set_value("Territory", territory.name, "territory_manager", territory.manager)
	return added


def load_customer_groups(ctx: Context) -> int:
	root = tree_root("Customer Group")
	groups = [industry.customer_group for industry in data.INDUSTRIES] + [data.DEALER_CUSTOMER_GROUP]
	added = 0
	for group in groups:
		values = {
			"customer_group_name": group,
			"parent_customer_group": root,
			"default_price_list": ctx.info.price_list,
		}
		added += _ensure_tree_node("Customer Group", group, values, False)
	for industry_type in {industry.industry_type for industry in data.INDUSTRIES} | {"Technology"}:
		if not frappe.db.exists("Industry Type", industry_type):
			quiet(frappe.get_doc({"doctype": "Industry Type", "industry": industry_type})).insert()
			added += 1
	return added


# --- Dealer channel ------------------------------------------------------------------------------------


def load_dealers(ctx: Context) -> int:
	added = 0
	for partner_type in data.PARTNER_TYPES:
		if not frappe.db.exists("Sales Partner Type", partner_type):
			quiet(
				frappe.get_doc({"doctype": "Sales Partner Type", "sales_partner_type": partner_type})
			).insert()
			added += 1
	for dealer in ctx.plan.dealers:
		if frappe.db.exists("Sales Partner", dealer.name):
			continue
		doc = frappe.get_doc(
			{
				"doctype": "Sales Partner",
				"partner_name": dealer.name,
				"partner_type": dealer.partner_type,
				"territory": dealer.territory,
				"commission_rate": dealer.commission_rate,
				"description": dealer_description(ctx, dealer),
			}
		)
		guard("Sales Partner", dealer.name, lambda doc=doc: quiet(doc).insert())
		added += 1
	return added


def dealer_description(ctx: Context, dealer: DealerPlan) -> str:
	if dealer.agent:
		return (
			f"<p>省级代理 Provincial dealer · {dealer.territory}</p>"
			f"<p>上级总代理 Supplied by general agent: {dealer.agent}</p>"
		)
	supplied = "、".join(d.territory for d in ctx.plan.dealers_of_agent(dealer.name))
	return f"<p>总代理 General agent (national)</p><p>供货省级代理 Supplies the dealers of: {supplied}</p>"


# --- Customers -----------------------------------------------------------------------------------------


def load_customers(ctx: Context) -> int:
	"""Customers through the normal insert; their contacts and addresses through `fast_insert` (they are
	thousands of simple records), after which the completeness scores are refreshed in bulk."""
	plan_customers = ctx.plan.customers
	found = customer_names([customer.name for customer in plan_customers])
	with_contact = _linked("Contact", found.values())
	with_address = _linked("Address", found.values())
	batch = Batch(ctx, "Customers", len(plan_customers))
	added = 0
	partners = {dealer.customer: dealer.name for dealer in ctx.plan.dealers}
	for customer in plan_customers:
		docname = found.get(customer.name)
		created = docname is None
		if created:
			docname = guard("Customer", customer.name, lambda c=customer: insert_customer(c, partners))
			found[customer.name] = docname
			added += 1
		contact = address = None
		if customer.contact and docname not in with_contact:
			contact = guard(
				"Contact", customer.name, lambda c=customer, d=docname: insert_contact(c, d, partners)
			)
		if customer.address and docname not in with_address:
			address = guard(
				"Address", customer.name, lambda c=customer, d=docname: insert_address(c, d, partners)
			)
		if contact or address:
			set_primary(docname, contact, address)
		if created or contact or address:
			batch.tick()
	restore_responsible_sales_persons(plan_customers, found)
	if ctx.seed_rules:
		added += ensure_completeness_rules(ctx)
	refresh_completeness(list(found.values()))
	ctx.forget_customers()
	return added


def restore_responsible_sales_persons(plan_customers, found: dict[str, str]) -> None:
	"""Put back `sr_sales_person` where it is empty or different: uninstalling the app drops that column,
	so a reinstalled site has the customers but not their owners. One UPDATE per salesperson. Customers
	that a completed Account Handover moved belong to their new salesperson and are left alone."""
	from sales_reengineering.demo.field import handed_over_customers

	moved = handed_over_customers()
	current = dict(
		frappe.get_all(
			"Customer",
			filters={"name": ("in", list(found.values()))},
			fields=["name", "sr_sales_person"],
			as_list=True,
		)
	)
	wrong: dict[str, list[str]] = {}
	for customer in plan_customers:
		docname = found.get(customer.name)
		if docname in moved and current.get(docname):
			continue
		if docname and customer.sales_person and current.get(docname) != customer.sales_person:
			wrong.setdefault(customer.sales_person, []).append(docname)
	for sales_person, names in wrong.items():
		frappe.db.set_value("Customer", {"name": ("in", names)}, "sr_sales_person", sales_person)


def ensure_completeness_rules(ctx: Context) -> int:
	"""Demo completeness rules, so the completeness KPI shows the planned gaps; only on a site that has
	the rule doctype and no rule yet (an administrator's rules are never touched)."""
	doctype = data.COMPLETENESS_RULE_DOCTYPE
	if not frappe.db.exists("DocType", doctype) or frappe.db.count(doctype):
		return 0
	for name, weight, rule_type, fieldname, min_count in data.COMPLETENESS_RULES:
		values = {
			"doctype": doctype,
			"rule_name": name,
			"enabled": 1,
			"weight": weight,
			"rule_type": rule_type,
			"fieldname": fieldname,
			"min_count": min_count,
		}
		guard(doctype, name, lambda values=values: quiet(frappe.get_doc(values)).insert())
	return len(data.COMPLETENESS_RULES)


def refresh_completeness(customers: list[str]) -> None:
	"""Re-score the customers when the customer-intelligence module is there (contacts and addresses
	were written without their hooks)."""
	try:
		from sales_reengineering.customer_intelligence.completeness import update_scores
	except ImportError:
		return
	for start in range(0, len(customers), 500):
		update_scores(customers[start : start + 500])


def _linked(parenttype: str, customers) -> set[str]:
	customers = list(customers)
	if not customers:
		return set()
	return set(
		frappe.get_all(
			"Dynamic Link",
			filters={"parenttype": parenttype, "link_doctype": "Customer", "link_name": ("in", customers)},
			pluck="link_name",
		)
	)


def insert_customer(customer: CustomerPlan, partners: dict[str, str]) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": customer.name,
			"customer_type": "Company",
			"customer_group": customer.customer_group,
			"territory": customer.territory,
			"industry": customer.industry_type,
			"tax_id": customer.tax_id,
			"sr_sales_person": customer.sales_person,
			"default_sales_partner": partners.get(customer.name),
			"customer_details": customer_details(customer),
		}
	)
	quiet(doc).insert()
	return doc.name


def customer_details(customer: CustomerPlan) -> str:
	if customer.dealer:
		return "渠道商 Dealer · 统一社会信用代码 " + customer.tax_id
	industry = data.INDUSTRY_BY_KEY[customer.industry]
	return f"{industry.customer_group} {industry.en} · 统一社会信用代码 {customer.tax_id}"


def _add_links(doc, customer_docname: str, customer: CustomerPlan, partners: dict[str, str]) -> None:
	doc.append(
		"links", {"link_doctype": "Customer", "link_name": customer_docname, "link_title": customer.name}
	)
	if customer.name in partners:
		partner = partners[customer.name]
		doc.append("links", {"link_doctype": "Sales Partner", "link_name": partner, "link_title": partner})


def insert_contact(customer: CustomerPlan, docname: str, partners: dict[str, str]):
	plan = customer.contact
	doc = frappe.new_doc("Contact")
	doc.update(
		{
			"first_name": plan.full_name,
			"full_name": plan.full_name,
			"designation": plan.designation,
			"company_name": customer.name,
			"is_primary_contact": 1,
			"email_id": plan.email or "",
			"mobile_no": plan.mobile or "",
			"phone": "",
		}
	)
	if plan.email:
		doc.append("email_ids", {"email_id": plan.email, "is_primary": 1})
	if plan.mobile:
		doc.append("phone_nos", {"phone": plan.mobile, "is_primary_mobile_no": 1, "is_primary_phone": 0})
	_add_links(doc, docname, customer, partners)
	fast_insert(doc, append_number_if_name_exists("Contact", f"{plan.full_name}-{docname}"))
	return doc


def insert_address(customer: CustomerPlan, docname: str, partners: dict[str, str]):
	plan = customer.address
	doc = frappe.new_doc("Address")
	doc.update(
		{
			"address_title": customer.name,
			"address_type": "Billing",
			"address_line1": plan.line1,
			"address_line2": plan.line2,
			"city": plan.city,
			"state": plan.state,
			"pincode": plan.pincode,
			"country": data.COUNTRY,
			"is_primary_address": 1,
			"is_shipping_address": 1,
		}
	)
	_add_links(doc, docname, customer, partners)
	fast_insert(doc, append_number_if_name_exists("Address", f"{customer.name}-Billing"))
	return doc


def set_primary(customer: str, contact, address) -> None:
	values = {}
	if contact:
		values.update(
			customer_primary_contact=contact.name,
			mobile_no=contact.mobile_no,
			email_id=contact.email_id,
		)
	if address:
		values.update(
			customer_primary_address=address.name, primary_address=get_address_display(address.as_dict())
		)
	frappe.db.set_value("Customer", customer, values, update_modified=False)


# --- Items ---------------------------------------------------------------------------------------------


def load_items(ctx: Context) -> int:
	root = tree_root("Item Group")
	added = 0
	for group in data.ITEM_GROUPS:
		values = {"item_group_name": group.name, "parent_item_group": root, "description": group.zh}
		added += _ensure_tree_node("Item Group", group.name, values, False)
	groups = {group.key: group for group in data.ITEM_GROUPS}
	have_items = existing("Item", [item.code for item in data.ITEMS])
	priced = existing("Item Price", [item.code for item in data.ITEMS], field="item_code")
	priced = {
		code
		for code in priced
		if frappe.db.exists("Item Price", {"item_code": code, "price_list": ctx.info.price_list})
	}
	for item in data.ITEMS:
		group = groups[item.group]
		if item.code not in have_items:
			guard("Item", item.code, lambda item=item, group=group: insert_item(item, group))
			added += 1
		if item.code not in priced:
			price = {
				"doctype": "Item Price",
				"item_code": item.code,
				"price_list": ctx.info.price_list,
				"price_list_rate": item.price,
				"currency": "CNY",
			}
			guard("Item Price", item.code, lambda price=price: quiet(frappe.get_doc(price)).insert())
			added += 1
	return added


def insert_item(item: data.ItemDef, group: data.ItemGroupDef) -> None:
	doc = frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": item.code,
			"item_name": item.name,
			"item_group": group.name,
			"description": f"{item.name}<br>{item.en}",
			"stock_uom": item.uom,
			"is_stock_item": int(group.is_stock),
			"include_item_in_manufacturing": 0,
			"is_sales_item": 1,
			"is_purchase_item": int(group.is_stock),
			"valuation_rate": round(item.price * 0.6, 2) if group.is_stock else 0,
		}
	)
	quiet(doc).insert()


# --- Funnel --------------------------------------------------------------------------------------------


def load_funnel_masters(ctx: Context) -> int:
	added = 0
	for stage in data.SALES_STAGES:
		values = {
			"sr_stage_order": stage.order,
			"sr_probability": stage.probability,
			"sr_exit_criteria": f"{stage.en}: {stage.exit_criteria}",
		}
		if frappe.db.exists("Sales Stage", stage.name):
			current = frappe.db.get_value("Sales Stage", stage.name, list(values), as_dict=True)
			if any(current.get(field) in (None, "", 0) for field in ("sr_stage_order", "sr_probability")):
				frappe.db.set_value("Sales Stage", stage.name, values)
			continue
		quiet(frappe.get_doc({"doctype": "Sales Stage", "stage_name": stage.name, **values})).insert()
		added += 1
	simple = (
		[("Opportunity Lost Reason", "lost_reason", reason) for reason in data.LOST_REASONS]
		+ [("Quotation Lost Reason", "order_lost_reason", reason) for reason in data.LOST_REASONS]
		+ [("Competitor", "competitor_name", competitor) for competitor in data.COMPETITORS]
	)
	for doctype, fieldname, value in simple:
		if not frappe.db.exists(doctype, value):
			quiet(frappe.get_doc({"doctype": doctype, fieldname: value})).insert()
			added += 1
	return added
