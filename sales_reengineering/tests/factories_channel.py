"""Test factories for the channel module (dealers, tiers, deal registrations)."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, random_string, today

from sales_reengineering.tests.setup import TEST_COMPANY

# status -> workflow actions that lead there from Prospect
STATUS_ACTIONS = {
	"Prospect": (),
	"Active": ("Activate",),
	"Suspended": ("Activate", "Suspend"),
	"Terminated": ("Terminate",),
}


def unique(prefix: str) -> str:
	return f"{prefix} {random_string(6)}"


def make_tier(**kwargs) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Dealer Tier",
			"tier_name": kwargs.pop("tier_name", unique("_Test SR Tier")),
			"tier_rank": kwargs.pop("tier_rank", 1),
			"discount_min": kwargs.pop("discount_min", 5),
			"discount_max": kwargs.pop("discount_max", 15),
			"deal_protection_days": kwargs.pop("deal_protection_days", 60),
			"min_quarterly_purchase": kwargs.pop("min_quarterly_purchase", 100000),
			**kwargs,
		}
	)
	return doc.insert(ignore_permissions=True).name


def make_customer(**kwargs) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": kwargs.pop("customer_name", unique("_Test SR Channel Customer")),
			"customer_type": "Company",
			"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
			"territory": kwargs.pop("territory", "_Test SR Beijing"),
			**kwargs,
		}
	)
	return doc.insert(ignore_permissions=True).name


def make_website_user(email: str | None = None) -> str:
	email = email or f"dealer-{random_string(8).lower()}@sr-test.invalid"
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
	return email


def set_dealer_status(dealer: str, status: str) -> None:
	for action in STATUS_ACTIONS[status]:
		apply_workflow(frappe.get_doc("Dealer", dealer), action)


def make_dealer(level: str = "General Agent", parent: str | None = None, status: str = "Active", **kwargs):
	"""A dealer with its own customer; `status` is reached through the lifecycle workflow."""
	portal_users = kwargs.pop("portal_users", [])
	doc = frappe.get_doc(
		{
			"doctype": "Dealer",
			"dealer_name": kwargs.pop("dealer_name", unique("_Test SR Dealer")),
			"dealer_level": level,
			"parent_dealer": parent,
			"territory": kwargs.pop("territory", "_Test SR Beijing"),
			"customer": kwargs.pop("customer", None) or make_customer(),
			# the company it buys from: the test company invoices every dealer (make_sales_invoice)
			"company": kwargs.pop("company", TEST_COMPANY),
			"portal_users": [{"user": user} for user in portal_users],
			**kwargs,
		}
	).insert(ignore_permissions=True)
	set_dealer_status(doc.name, status)
	return frappe.get_doc("Dealer", doc.name)


def make_item(item_code: str | None = None) -> str:
	item_code = item_code or unique("_Test SR Server")
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_name": item_code,
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	return item_code


def make_registration(dealer: str, submit: bool = True, **kwargs):
	items = kwargs.pop("items", None)
	if items is None:
		items = [{"item_code": make_item(), "qty": 2, "rate": 50000}]
	doc = frappe.get_doc(
		{
			"doctype": "Deal Registration",
			"dealer": dealer,
			"registration_date": kwargs.pop("registration_date", today()),
			"expected_close_date": kwargs.pop("expected_close_date", add_days(today(), 30)),
			"items": items,
			**kwargs,
		}
	)
	if not doc.customer:
		doc.company_name = doc.company_name or unique("_Test SR Prospect")
		doc.city = doc.city or "北京"
	doc.insert(ignore_permissions=True)
	if submit:
		doc.submit()
	return doc


def approve(registration: str):
	return apply_workflow(frappe.get_doc("Deal Registration", registration), "Approve")


def make_direct_opportunity(customer: str, sales_person: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Opportunity",
				"opportunity_from": "Customer",
				"party_name": customer,
				"company": TEST_COMPANY,
				"transaction_date": today(),
				"sr_sales_person": sales_person,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


PRICE_LIST = "_Test SR CNY Selling"


def make_price_list() -> str:
	if not frappe.db.exists("Price List", PRICE_LIST):
		frappe.get_doc(
			{
				"doctype": "Price List",
				"price_list_name": PRICE_LIST,
				"currency": "CNY",
				"selling": 1,
				"enabled": 1,
			}
		).insert(ignore_permissions=True)
	return PRICE_LIST


def make_policy(**kwargs) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Channel Price Policy",
			"channel_level": kwargs.pop("channel_level", "Direct"),
			"policy_type": kwargs.pop("policy_type", "Floor Price"),
			**kwargs,
		}
	)
	return doc.insert(ignore_permissions=True).name


def make_quotation(customer: str, items: list[dict], submit: bool = False):
	doc = frappe.get_doc(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": customer,
			"company": TEST_COMPANY,
			"transaction_date": today(),
			"valid_till": add_days(today(), 30),
			"currency": "CNY",
			"conversion_rate": 1,
			"selling_price_list": make_price_list(),
			"price_list_currency": "CNY",
			"plc_conversion_rate": 1,
			"items": items,
		}
	).insert(ignore_permissions=True)
	if submit:
		doc.submit()
	return doc


def make_sell_through(dealer: str, submit: bool = True, **kwargs):
	items = kwargs.pop("items", None)
	if items is None:
		items = [{"item_code": make_item(), "qty": 4, "amount": 2000, "city": "北京", "stock_on_hand": 1}]
	doc = frappe.get_doc(
		{
			"doctype": "Sell Through Report",
			"dealer": dealer,
			"period": kwargs.pop("period", today()),
			"items": items,
			**kwargs,
		}
	).insert(ignore_permissions=True)
	if submit:
		doc.submit()
	return doc


def make_sales_invoice(
	customer: str,
	amount: float,
	posting_date: str | None = None,
	item_code: str | None = None,
	qty: float = 1,
):
	"""A submitted sell-in invoice (company -> dealer)."""
	doc = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": customer,
			"company": TEST_COMPANY,
			"posting_date": posting_date or today(),
			"set_posting_time": 1,
			"due_date": add_days(posting_date or today(), 30),
			"currency": "CNY",
			"conversion_rate": 1,
			"selling_price_list": make_price_list(),
			"price_list_currency": "CNY",
			"plc_conversion_rate": 1,
			"items": [{"item_code": item_code or make_item(), "qty": qty, "rate": amount / qty}],
		}
	).insert(ignore_permissions=True)
	doc.submit()
	return doc
