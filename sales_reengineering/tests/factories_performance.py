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
		"company": TEST_COMPANY,
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


# --- every built-in indicator, with its source documents ------------------------------------------

# key: (responsible rep, maintaining assistant, completeness score) as `make_team` names them;
# "a_disabled" is a disabled customer, never counted
ASSISTANT_CUSTOMERS = {
	"a_new": ("rep_a", "rep_b_user", 40),
	"a_repeat": ("rep_a", "rep_a_user", 80),
	"a_disabled": ("rep_a", "rep_a_user", 10),
	"b_new": ("rep_b", "rep_a_user", 50),
	"b_repeat": ("rep_b", None, 90),
}


def make_assistant_customers(team, tag: str) -> dict[str, str]:
	"""The `ASSISTANT_CUSTOMERS` of a `make_team` team: {key: customer name}. With their scores set
	(`set_assistant_scores`): Customer Data Completeness A (40 + 80) / 2 = 60, B (50 + 90) / 2 = 70;
	Maintained Customer Completeness A (80 + 50) / 2 = 65, B 40; Customers Maintained A 2, B 1."""
	return {
		key: make_customer(f"_Test SR Drill {key} {tag}", team[person])
		for key, (person, _user, _score) in ASSISTANT_CUSTOMERS.items()
	}


def set_assistant_scores(team, customers: dict[str, str]) -> None:
	"""Assistants, scores and the disabled flag of `make_assistant_customers`, written directly: the
	site's completeness rules would score the customers by their contacts and addresses instead, and
	every later save of a customer (a dealer's portal sync, say) rescores it, so call this last."""
	for key, (_person, user, score) in ASSISTANT_CUSTOMERS.items():
		frappe.db.set_value(
			"Customer",
			customers[key],
			{
				"sr_sales_assistant": team[user] if user else None,
				"sr_completeness_score": score,
				"disabled": int(key == "a_disabled"),
			},
			update_modified=False,
		)


def make_won_opportunity(customer: str, sales_person: str, ordered_on: str) -> str:
	"""An opportunity won by a Sales Order dated `ordered_on`, made from a quotation of the opportunity."""
	from sales_reengineering.tests.factories_customer_intelligence import make_opportunity

	opportunity = make_opportunity(customer, sales_person=sales_person).name
	quotation = frappe.get_doc(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": customer,
			"opportunity": opportunity,
			"company": TEST_COMPANY,
			"currency": "CNY",
			"transaction_date": ordered_on,
			"valid_till": ordered_on,
			"items": [{"item_code": make_item(), "qty": 1, "rate": 1000}],
		}
	).insert(ignore_permissions=True)
	quotation.submit()
	order = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": customer,
			"company": TEST_COMPANY,
			"currency": "CNY",
			"transaction_date": ordered_on,
			"delivery_date": ordered_on,
			"items": [
				{
					"item_code": make_item(),
					"qty": 1,
					"rate": 1000,
					"delivery_date": ordered_on,
					"prevdoc_docname": quotation.name,
				}
			],
		}
	).insert(ignore_permissions=True)
	order.submit()
	return opportunity


def make_stage_move(opportunity: str, sales_person: str, old: str, new: str, when: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Opportunity Stage Log",
				"opportunity": opportunity,
				"sales_person": sales_person,
				"from_stage": old,
				"to_stage": new,
				"changed_on": when,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_snapshot(sales_person: str, week_start: str, rate: float) -> str:
	snapshot = frappe.new_doc("Sales Progress Snapshot")
	snapshot.update({"sales_person": sales_person, "week_start": week_start, "progress_rate": rate})
	snapshot.flags.ignore_mandatory = True
	return snapshot.insert(ignore_permissions=True).name


def make_feedback(sales_person: str, report_date: str, rating: int = 0, state: str = "Approved") -> str:
	"""An Info Feedback Report in review workflow state `state` (only Approved ones count as filed)."""
	name = (
		frappe.get_doc(
			{
				"doctype": "Info Feedback Report",
				"title": "Regional demand",
				"report_type": "Customer Demand",
				"report_date": report_date,
				"sales_person": sales_person,
				"territory": "_Test SR Beijing",
				"content": "Hospitals plan storage upgrades.",
			}
		)
		.insert(ignore_permissions=True, ignore_mandatory=True)
		.name
	)
	frappe.db.set_value(
		"Info Feedback Report", name, {"workflow_state": state, "quality_rating": rating or 0}
	)
	return name


def make_event(owner: str, starts_on: str, reference: tuple[str, str] | None = None) -> str:
	"""An Event created by `owner` (insert always stamps the session user, so the owner is set after),
	logged against `reference` = (doctype, name); without one it is a private calendar entry."""
	participants = (
		[{"reference_doctype": reference[0], "reference_docname": reference[1]}] if reference else []
	)
	name = (
		frappe.get_doc(
			{
				"doctype": "Event",
				"subject": "Customer visit",
				"event_type": "Private",
				"starts_on": starts_on,
				"event_participants": participants,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)
	frappe.db.set_value("Event", name, "owner", owner, update_modified=False)
	return name


def make_telesales_call(
	agent: str, customer: str, call_date: str | None, outcome: str | None = None, **kwargs
) -> str:
	"""A Telesales Call of `agent` (given the Telesales Agent role); with outcome Converted, pass
	conversion_doctype, conversion_name and converted_on."""
	from sales_reengineering.customer_intelligence.telesales import AGENT_ROLE

	if AGENT_ROLE not in frappe.get_roles(agent):
		frappe.get_doc("User", agent).add_roles(AGENT_ROLE)
	values = {
		"doctype": "Telesales Call",
		"customer": customer,
		"agent": agent,
		"status": "Completed" if outcome else "Open",
		"reason": "Manual",
		"call_date": call_date,
		"outcome": outcome,
	}
	values.update(kwargs)
	return frappe.get_doc(values).insert(ignore_permissions=True).name


def make_drilldown_scenario() -> frappe._dict:
	"""Source documents in 2026-Q3 for every built-in indicator, for the two reps of a fresh team, plus
	documents just outside the rules (before or after the quarter, moved down a stage, not rated, disabled).

	Returns the team, the customers and `expected`: {builtin key: {rep: sorted document names}}.
	"""
	from sales_reengineering.tests.factories_channel import make_dealer
	from sales_reengineering.tests.factories_customer_intelligence import make_opportunity, make_team
	from sales_reengineering.tests.setup import TEST_SALES_STAGES

	team = make_team()
	a, b = team.rep_a, team.rep_b
	tag = frappe.generate_hash(length=6)
	customers = make_assistant_customers(team, tag)
	c = customers
	qualification, _analysis, proposal, _negotiation = (stage for stage, _o, _p in TEST_SALES_STAGES)
	# each dealer buys through the other rep's customer: sell-in follows the dealer, not the sales team
	make_dealer(account_manager=a, customer=c["b_repeat"])
	make_dealer(account_manager=b, customer=c["a_repeat"])

	def invoice(customer, day, amount, person):
		return make_invoice(customer, day, amount, [(person, 100)]).name

	a_new = invoice(c["a_new"], "2026-08-10", 1000, a)
	invoice(c["a_repeat"], "2026-05-10", 100, a)  # before the quarter: makes a_repeat a repeat customer
	a_repeat = invoice(c["a_repeat"], "2026-08-12", 400, a)
	b_new = invoice(c["b_new"], "2026-08-11", 600, b)
	invoice(c["b_repeat"], "2026-05-11", 100, b)
	b_repeat = invoice(c["b_repeat"], "2026-08-13", 300, b)
	paid_a = make_payment(a_new, "2026-08-20").name
	paid_b = make_payment(b_new, "2026-08-21").name

	won_a = make_won_opportunity(c["a_new"], a, "2026-08-15")
	won_b = make_won_opportunity(c["b_new"], b, "2026-08-16")
	advanced_a = make_opportunity(c["a_new"], sales_person=a).name
	advanced_b = make_opportunity(c["b_new"], sales_person=b).name
	make_stage_move(advanced_a, a, qualification, proposal, "2026-08-05 10:00:00")
	make_stage_move(won_a, a, proposal, qualification, "2026-08-06 10:00:00")  # a move down: not counted
	make_stage_move(advanced_b, b, qualification, proposal, "2026-08-07 10:00:00")

	snapshot_a = make_snapshot(a, "2026-08-03", 50)
	make_snapshot(a, "2026-10-05", 0)  # after the quarter
	snapshot_b = make_snapshot(b, "2026-08-10", 100)

	rated_a = make_feedback(a, "2026-08-05", 4)
	unrated_a = make_feedback(a, "2026-08-06")
	make_feedback(a, "2026-10-05", 5)  # after the quarter
	make_feedback(a, "2026-08-07", 5, state="Draft")  # never reviewed: not counted, not rated
	make_feedback(a, "2026-08-08", state="Rejected")  # rejected: not counted
	make_feedback(a, "2026-08-09", 1, state="Submitted")  # awaiting review: not counted, not rated
	rated_b = make_feedback(b, "2026-08-07", 3)

	event_a = make_event(team.rep_a_user, "2026-08-05 10:00:00", ("Customer", c["a_new"]))
	make_event(team.rep_a_user, "2026-10-05 10:00:00", ("Customer", c["a_new"]))  # after the quarter
	make_event(team.rep_a_user, "2026-08-07 10:00:00")  # a private calendar entry: no activity
	event_b = make_event(team.rep_b_user, "2026-08-06 10:00:00", ("Customer", c["b_new"]))

	# visit plans: rep A visits the one customer planned, rep B one of two; a plan after the quarter
	from sales_reengineering.tests.factories_customer_intelligence import make_visit_plan

	plan_a = make_visit_plan(a, "2026-08-03", [("Customer", c["a_new"], "2026-08-05")]).name
	plan_b = make_visit_plan(
		b, "2026-08-03", [("Customer", c["b_new"], "2026-08-06"), ("Customer", c["b_repeat"], "2026-08-07")]
	).name
	make_visit_plan(a, "2026-10-05", [("Customer", c["a_new"], "2026-10-05")])

	# trainings: rep A passed one (6 h) and failed one (4 h), missed one and trained after the quarter;
	# rep B attended one without an exam (5 h) and passed one (2 h)
	def trained(person, day, hours, result, score=None):
		return (
			frappe.get_doc(
				{
					"doctype": "Sales Training Record",
					"sales_person": person,
					"training_title": "_Test SR Drill-down Training",
					"start_date": day,
					"hours": hours,
					"result": result,
					"score": score,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)

	passed_a = trained(a, "2026-08-04", 6, "Passed", 80)
	failed_a = trained(a, "2026-08-05", 4, "Failed", 40)
	trained(a, "2026-08-06", 3, "Absent")  # absent: no hours
	trained(a, "2026-10-05", 8, "Passed", 90)  # after the quarter
	attended_b = trained(b, "2026-08-07", 5, "Attended")
	passed_b = trained(b, "2026-08-08", 2, "Passed", 90)

	call_a = make_telesales_call(team.rep_a_user, c["a_new"], "2026-08-03", "Not Reached")
	converted_a = make_telesales_call(
		team.rep_a_user,
		c["a_new"],
		"2026-08-04",
		"Converted",
		conversion_doctype="Opportunity",
		conversion_name=advanced_a,
		converted_on="2026-08-04",
	)
	make_telesales_call(team.rep_a_user, c["a_new"], "2026-10-05", "Not Reached")  # after the quarter
	make_telesales_call(team.rep_a_user, c["a_new"], None)  # not called yet
	call_b = make_telesales_call(team.rep_b_user, c["b_new"], "2026-08-05", "Not Interested")
	converted_b = make_telesales_call(
		team.rep_b_user,
		c["b_new"],
		"2026-08-06",
		"Converted",
		conversion_doctype="Opportunity",
		conversion_name=advanced_b,
		converted_on="2026-08-06",
	)

	set_assistant_scores(team, customers)
	expected = {
		"net_sales": {a: [a_new, a_repeat], b: [b_new, b_repeat]},
		# the same invoices: the share of them billed from an opportunity's orders (none here: 0 %)
		"opportunity_revenue_share": {a: [a_new, a_repeat], b: [b_new, b_repeat]},
		"collections": {a: [paid_a], b: [paid_b]},
		"new_customers": {a: [c["a_new"]], b: [c["b_new"]]},
		"repeat_customers": {a: [c["a_repeat"]], b: [c["b_repeat"]]},
		"opportunities_advanced": {a: [advanced_a], b: [advanced_b]},
		"opportunities_won": {a: [won_a], b: [won_b]},
		"stage_progress_rate": {a: [snapshot_a], b: [snapshot_b]},
		"customer_completeness": {a: [c["a_new"], c["a_repeat"]], b: [c["b_new"], c["b_repeat"]]},
		"info_feedback_count": {a: [rated_a, unrated_a], b: [rated_b]},
		"info_feedback_rating": {a: [rated_a], b: [rated_b]},
		"info_feedback_weekly": {a: [rated_a, unrated_a], b: [rated_b]},
		"telesales_calls": {a: [call_a, converted_a], b: [call_b, converted_b]},
		"telesales_conversions": {a: [converted_a], b: [converted_b]},
		"activities_logged": {a: [event_a], b: [event_b]},
		"visit_plan_completion": {a: [plan_a], b: [plan_b]},
		"training_hours": {a: [passed_a, failed_a], b: [attended_b, passed_b]},
		"training_pass_rate": {a: [passed_a, failed_a], b: [passed_b]},
		"dealer_sell_in": {a: [b_repeat], b: [a_repeat]},
		"assistant_completeness": {a: [c["a_repeat"], c["b_new"]], b: [c["a_new"]]},
		"customers_maintained": {a: [c["a_repeat"], c["b_new"]], b: [c["a_new"]]},
	}
	for by_rep in expected.values():
		for rep, names in by_rep.items():
			by_rep[rep] = sorted(names)
	return frappe._dict(team=team, customers=customers, expected=expected)
