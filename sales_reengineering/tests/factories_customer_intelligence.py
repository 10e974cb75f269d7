"""Test factories for the customer intelligence module."""

import frappe
from frappe.utils import add_days, random_string, today

from sales_reengineering.tests.setup import TEST_COMPANY, TEST_SALES_STAGES

STAGES = [stage for stage, _order, _probability in TEST_SALES_STAGES]


def make_user(email: str, roles: list[str]) -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "send_welcome_email": 0}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.remove_roles(*[role.role for role in user.roles if role.role not in roles])
	user.add_roles(*roles)
	return email


def link_user_to_sales_person(user: str, sales_person: str) -> str:
	"""Tie `user` to `sales_person` through an Employee (ERPNext's own link)."""
	employee = frappe.db.get_value("Employee", {"user_id": user}, "name")
	if not employee:
		employee = (
			frappe.get_doc(
				{
					"doctype": "Employee",
					"first_name": user.split("@")[0],
					"company": TEST_COMPANY,
					"status": "Active",
					"gender": frappe.db.get_value("Gender", {}, "name") or "Male",
					"date_of_birth": "1990-01-01",
					"date_of_joining": "2020-01-01",
					"user_id": user,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	frappe.db.set_value("Sales Person", sales_person, "employee", employee)
	return employee


def make_sales_user(sales_person: str, roles: tuple[str, ...] = ("Sales User",)) -> str:
	slug = frappe.scrub(sales_person).strip("_")
	user = make_user(f"{slug}@sr-test.invalid", list(roles))
	link_user_to_sales_person(user, sales_person)
	return user


def make_customer(sales_person: str | None = None, **kwargs) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": kwargs.pop("customer_name", f"_Test SR Customer {random_string(6)}"),
			"customer_type": "Company",
			"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
			"territory": kwargs.pop("territory", "_Test SR Beijing"),
			"sr_sales_person": sales_person,
			**kwargs,
		}
	)
	return doc.insert(ignore_permissions=True).name


def make_opportunity(customer: str | None = None, sales_stage: str | None = STAGES[0], **kwargs):
	sales_person = kwargs.pop("sales_person", None)
	customer = customer or make_customer(sales_person)
	doc = frappe.get_doc(
		{
			"doctype": "Opportunity",
			"opportunity_from": "Customer",
			"party_name": customer,
			"company": TEST_COMPANY,
			"transaction_date": kwargs.pop("transaction_date", today()),
			"sales_stage": sales_stage,
			"sr_sales_person": sales_person,
			"currency": "CNY",
			"opportunity_amount": kwargs.pop("opportunity_amount", 1000),
			**kwargs,
		}
	)
	return doc.insert(ignore_permissions=True)


def backdate(doctype: str, name: str, days: int, fields: tuple[str, ...] = ("creation",)) -> None:
	"""Move a record's timestamps `days` days into the past."""
	moment = add_days(frappe.utils.now_datetime(), -days)
	frappe.db.set_value(doctype, name, dict.fromkeys(fields, moment), update_modified=False)


def make_sales_person(name: str, parent: str = "_Test SR Sales Director", is_group: int = 0) -> str:
	if not frappe.db.exists("Sales Person", name):
		frappe.get_doc(
			{
				"doctype": "Sales Person",
				"sales_person_name": name,
				"parent_sales_person": parent,
				"is_group": is_group,
			}
		).insert(ignore_permissions=True)
	return name


def make_team(tag: str | None = None, with_users: bool = True) -> frappe._dict:
	"""A fresh manager (group node) with two reps under it, each tied to a Sales User (creating the
	users is the slow part: pass `with_users=False` when a test needs only the Sales Persons)."""
	tag = tag or random_string(5)
	manager = make_sales_person(f"_Test SR CI Manager {tag}", is_group=1)
	rep_a = make_sales_person(f"_Test SR CI Rep A {tag}", parent=manager)
	rep_b = make_sales_person(f"_Test SR CI Rep B {tag}", parent=manager)
	team = frappe._dict(manager=manager, rep_a=rep_a, rep_b=rep_b)
	if with_users:
		team.update(
			manager_user=make_sales_user(manager),
			rep_a_user=make_sales_user(rep_a),
			rep_b_user=make_sales_user(rep_b),
		)
	return team


def make_sales_document(doctype: str, customer: str, rate: float = 1000, **kwargs):
	"""A submitted Quotation, Sales Order or Sales Invoice of one service item for `customer`.
	`sales_team`: [(sales person, allocated %)] (Sales Order and Sales Invoice)."""
	from sales_reengineering.tests.factories_performance import make_item

	team = kwargs.pop("sales_team", None) or []
	values = {
		"doctype": doctype,
		"company": TEST_COMPANY,
		"currency": "CNY",
		"items": [{"item_code": make_item(), "qty": 1, "rate": rate}],
		**kwargs,
	}
	if doctype == "Quotation":
		values.update(quotation_to="Customer", party_name=customer, transaction_date=today())
	else:
		values["customer"] = customer
		values["sales_team"] = [
			{"sales_person": person, "allocated_percentage": share} for person, share in team
		]
	if doctype == "Sales Order":
		values.update(transaction_date=today(), delivery_date=add_days(today(), 10))
	if doctype == "Sales Invoice":
		values.update(posting_date=today(), set_posting_time=1, due_date=add_days(today(), 30))
	doc = frappe.get_doc(values).insert(ignore_permissions=True)
	doc.submit()
	return doc


def make_visit_plan(sales_person: str, week_start: str, lines: list[tuple], submit: bool = True):
	"""A Visit Plan of `sales_person` for the week of `week_start`; `lines`: (party type, party, planned
	date[, purpose]). Submitted unless `submit` is false."""
	doc = frappe.get_doc(
		{
			"doctype": "Visit Plan",
			"sales_person": sales_person,
			"week_start": week_start,
			"items": [
				{
					"party_type": line[0],
					"party": line[1],
					"planned_date": line[2],
					"purpose": line[3] if len(line) > 3 else "Relationship Visit",
				}
				for line in lines
			],
		}
	).insert(ignore_permissions=True)
	if submit:
		doc.submit()
	return doc
