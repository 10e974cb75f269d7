"""Test factories of the performance module: items, customers, invoices, payments, templates, tasks."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import flt

from sales_reengineering.tests.setup import TEST_COMPANY

ITEM = "_Test SR Service"
REP_A = "_Test SR Rep Beijing"
REP_B = "_Test SR Rep Hebei"
REP_C = "_Test SR Rep Shanghai"
NORTH = "_Test SR North Manager"


def make_item() -> str:
	if not frappe.db.exists("Item", ITEM):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": ITEM,
				"item_name": ITEM,
				"item_group": "Services",
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	return ITEM


def make_customer(name: str, sales_person: str | None = None, customer_type: str = "Company") -> str:
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": customer_type,
				"customer_group": "Commercial",
				"territory": "_Test SR Beijing",
				"sr_sales_person": sales_person,
			}
		).insert(ignore_permissions=True)
	return name


def make_invoice(
	customer: str,
	posting_date: str,
	amount: float,
	team: list[tuple[str, float]] | None = None,
	return_against: str | None = None,
	submit: bool = True,
):
	make_item()
	qty = -1 if return_against else 1
	doc = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": TEST_COMPANY,
			"customer": customer,
			"territory": frappe.db.get_value("Customer", customer, "territory"),
			"posting_date": posting_date,
			"set_posting_time": 1,
			"due_date": posting_date,
			"currency": "CNY",
			"is_return": 1 if return_against else 0,
			"return_against": return_against,
			"items": [{"item_code": ITEM, "qty": qty, "rate": flt(amount)}],
			"sales_team": [
				{"sales_person": person, "allocated_percentage": percentage}
				for person, percentage in team or []
			],
		}
	)
	doc.insert(ignore_permissions=True)
	if submit:
		doc.submit()
	return doc


def make_payment(invoice: str, posting_date: str):
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	payment = get_payment_entry("Sales Invoice", invoice)
	payment.posting_date = posting_date
	payment.reference_no = f"REF-{invoice}"
	payment.reference_date = posting_date
	payment.insert(ignore_permissions=True)
	payment.submit()
	return payment


def make_indicator(name: str, **kwargs):
	if frappe.db.exists("KPI Indicator", name):
		frappe.delete_doc("KPI Indicator", name, force=True)
	values = {"doctype": "KPI Indicator", "indicator_name": name, "source": "Manual", "unit": "Number"}
	values.update(kwargs)
	return frappe.get_doc(values).insert(ignore_permissions=True)


def make_template(name: str, rows: list[tuple[str, float, float]], **kwargs):
	"""rows: (indicator, weight, default target)."""
	values = {
		"doctype": "KPI Template",
		"template_name": name,
		"applies_to": "Salesperson",
		"scoring_method": "Capped",
		"indicators": [
			{"indicator": indicator, "weight": weight, "default_target": target}
			for indicator, weight, target in rows
		],
	}
	values.update(kwargs)
	return frappe.get_doc(values).insert(ignore_permissions=True)


def make_task(
	assignee: str, template: str, year: int = 2026, quarter: int | None = 3, month=None, approve=False, **kw
):
	values = {
		"doctype": "Sales Task",
		"assignee_type": "Sales Person",
		"assignee": assignee,
		"template": template,
		"period_type": "Month" if month else "Quarter",
		"year": year,
		"quarter": None if month else str(quarter),
		"month": str(month) if month else None,
	}
	values.update(kw)
	doc = frappe.get_doc(values).insert(ignore_permissions=True)
	if approve:
		doc = apply_workflow(doc, "Propose")
		doc = apply_workflow(doc, "Approve")
	return doc


def make_sales_scenario() -> frappe._dict:
	"""The hand-computed Q3 2026 scenario shared by the indicator and scorecard tests.

	Rep A = Beijing, Rep B = Hebei (both under North Manager).
	* C1 (A's customer): invoice 1000 to A (Jul 10), return of 200 against it (Aug 5)  -> C1 is new in Q3
	* C2 (A's customer): invoice 300 to A on Jun 20 (outside Q3), invoice 500 split A 60 / B 40 on
	  Sep 30, paid in full on Sep 30 -> C2 is a repeat customer in Q3
	* C3 (B's customer): invoice 700 to A, cancelled -> nothing
	Net sales Q3: A = 1000 - 200 + 300 = 1100, B = 200. Collections Q3: A = 300, B = 200.
	"""
	c1 = make_customer("_Test SR Perf Customer 1", REP_A)
	c2 = make_customer("_Test SR Perf Customer 2", REP_A)
	c3 = make_customer("_Test SR Perf Customer 3", REP_B)
	if frappe.db.exists("Sales Invoice", {"customer": ("in", (c1, c2, c3))}):
		# left over by a run that committed: building it again would double every hand-computed figure
		frappe.throw("The performance test scenario already exists on this site; delete its invoices first.")
	inv1 = make_invoice(c1, "2026-07-10", 1000, [(REP_A, 100)])
	ret = make_invoice(c1, "2026-08-05", 200, [(REP_A, 100)], return_against=inv1.name)
	old = make_invoice(c2, "2026-06-20", 300, [(REP_A, 100)])
	split = make_invoice(c2, "2026-09-30", 500, [(REP_A, 60), (REP_B, 40)])
	cancelled = make_invoice(c3, "2026-07-15", 700, [(REP_A, 100)])
	cancelled.cancel()
	payment = make_payment(split.name, "2026-09-30")
	return frappe._dict(
		inv1=inv1.name,
		ret=ret.name,
		old=old.name,
		split=split.name,
		cancelled=cancelled.name,
		payment=payment.name,
		customers=(c1, c2, c3),
	)


def link_user(email: str, sales_person: str, role: str = "Sales User") -> str:
	"""A desk user linked to `sales_person` through an Employee."""
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "send_welcome_email": 0}
		)
		user.insert(ignore_permissions=True)
		user.add_roles(role)
	employee = frappe.get_doc(
		{
			"doctype": "Employee",
			"first_name": email.split("@")[0],
			"gender": "Female",
			"date_of_birth": "1990-01-01",
			"date_of_joining": "2020-01-01",
			"company": TEST_COMPANY,
			"user_id": email,
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value("Sales Person", sales_person, "employee", employee.name)
	return email


SCORED_TEMPLATE = "_Test SR Scored Template"


def make_scored_quarter() -> frappe._dict:
	"""The sales scenario with approved 2026-Q3 tasks for A (score 88), B (20) and North (102)."""
	scenario = make_sales_scenario()
	make_template(
		SCORED_TEMPLATE, [("Net Sales", 60, 1000), ("New Customers", 20, 2), ("Collections", 20, 500)]
	)
	scenario.task_a = make_task(REP_A, SCORED_TEMPLATE, approve=True).name
	scenario.task_b = make_task(REP_B, SCORED_TEMPLATE, approve=True).name
	scenario.task_north = make_task(NORTH, SCORED_TEMPLATE, approve=True).name
	scenario.rep_user = link_user("sr_report_rep@example.com", REP_A)
	scenario.manager_user = link_user("sr_report_manager@example.com", NORTH)
	return scenario


SETTINGS = "Sales Reengineering Settings"
TIER_FIELDS = ("tier_name", "basis", "threshold", "priority", "enabled", "reward")


def get_reward_tier_rows() -> list[dict]:
	"""The settings' reward tiers as plain rows, to hand back to `set_reward_tiers` in a tearDown."""
	return [
		{field: row.get(field) for field in TIER_FIELDS}
		for row in frappe.get_all(
			"KPI Reward Tier",
			filters={"parenttype": SETTINGS, "parent": SETTINGS, "parentfield": "reward_tiers"},
			fields=list(TIER_FIELDS),
			order_by="idx",
		)
	]


def set_reward_tiers(rows: list[dict | tuple]) -> None:
	"""Replace the settings' reward tiers; a tuple is (tier_name, basis, threshold, priority[, enabled])."""
	settings = frappe.get_doc(SETTINGS)
	settings.set(
		"reward_tiers",
		[
			row if isinstance(row, dict) else {"enabled": 1, **dict(zip(TIER_FIELDS, row, strict=False))}
			for row in rows
		],
	)
	settings.flags.ignore_permissions = True
	settings.save()
	frappe.clear_document_cache(SETTINGS, SETTINGS)
