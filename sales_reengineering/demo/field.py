"""Story section "Sales team at work": what the demo's people did in the weeks before the demo's day, done
through the app's own documents, workflows and methods, as the user who would do it (`users.acting_as`).

- 何晓明 (`story.departing_rep`) left the company: HR marks his employee Left, which flags his accounts;
  the sales manager hands his key accounts over to 梁志勇 (a completed Account Handover); the rest of his
  book still waits for a handover ("Customers Needing Handover").
- The sales manager makes 陈静 the sales assistant of 梁志勇's customers; she enters two contracts that
  come up for renewal within the month, which he signs.
- 梁志勇 opened two opportunities a few weeks ago and has not moved them since (stuck).
- The reps file info-feedback reports; the sales manager rates them (approved, rejected, one waiting).
- 梁志勇 and his manager log their visits and calls (Events naming customers, opportunities, the dealer).
- Training records for every rep (the national product launch) and 梁志勇's own; his career plan with
  goals and a review against his last quarter's scorecard.
- 梁志勇 proposes next quarter's targets, waiting for the sales manager's approval.
- The weekly progress snapshots of the last weeks (the weekly job's work).

Telesales (`load_telesales`) and the reminder run (`load_reminders`) are sections of their own.
"""

from __future__ import annotations

import math
from datetime import datetime, time

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, add_months, flt, getdate

from sales_reengineering.demo import data, story
from sales_reengineering.demo.context import Batch, Context, guard
from sales_reengineering.demo.users import (
	ASSISTANT,
	REP,
	SALES_MANAGER,
	TEAM_MANAGER,
	TELESALES,
	acting_as,
	actor,
	employee_of,
	make_employee,
)

HANDOVER_DAY = -28
LEFT_DAY = -30
HANDOVER_REASON = "离职交接: 重点客户移交梁志勇 / Left the company: key accounts to 梁志勇"


def load_field(ctx: Context) -> int:
	added = 0
	for step in (
		departure_and_handover,
		assign_assistant,
		stuck_opportunities,
		renewal_contracts,
		feedback_reports,
		activities,
		trainings,
		career_plan,
		next_quarter_task,
		progress_snapshots,
	):
		added += guard("Story", step.__name__, lambda step=step: step(ctx))
		frappe.db.commit()
	return added


# --- a rep leaves; his key accounts are handed over -----------------------------------------------------


def departure_and_handover(ctx: Context) -> int:
	added = 0
	departing = story.departing_rep(ctx)
	employee = employee_of(departing)
	if not employee:
		employee = make_employee(ctx, departing)
		person = frappe.get_doc("Sales Person", departing)
		person.employee = employee
		person.save(ignore_permissions=True)
		added += 1
	if frappe.db.get_value("Employee", employee, "status") != "Left":
		doc = frappe.get_doc("Employee", employee)  # HR's record: done by Administrator
		doc.status = "Left"
		doc.relieving_date = story.day(ctx, LEFT_DAY)
		doc.save(ignore_permissions=True)

	if frappe.db.exists(
		"Account Handover", {"from_sales_person": departing, "to_sales_person": data.DEMO_REP, "docstatus": 1}
	):
		return added
	draft = story.find(
		"Account Handover", {"from_sales_person": departing, "to_sales_person": data.DEMO_REP, "docstatus": 0}
	)
	with acting_as(actor(ctx, SALES_MANAGER)):
		if draft:
			doc = frappe.get_doc("Account Handover", draft)
		else:
			key_accounts = handover_customers(ctx, departing)
			if not key_accounts:
				return added
			doc = frappe.get_doc(
				{
					"doctype": "Account Handover",
					"from_sales_person": departing,
					"to_sales_person": data.DEMO_REP,
					"scope": "Selected Customers",
					"handover_date": story.day(ctx, HANDOVER_DAY),
					"reason": HANDOVER_REASON,
					"move_open_opportunities": 1,
					"move_todos": 0,
					"move_dealers": 0,
					"customers": [{"customer": name} for name in key_accounts],
				}
			).insert()
			added += 1
		doc.submit()
	when = story.at(story.day(ctx, HANDOVER_DAY), 10)
	story.stamp("Account Handover", doc.name, when, completed_on=when)
	return added


def handover_customers(ctx: Context, departing: str) -> list[str]:
	"""His key accounts: the bigger half of his book (by the plan's customer weight)."""
	current = set(story.customers_of(ctx, departing))
	book = sorted(
		(customer for customer in ctx.plan.customers if ctx.customer(customer.name) in current),
		key=lambda customer: (-customer.weight, customer.name),
	)
	return [ctx.customer(customer.name) for customer in book[: math.ceil(len(book) / 2)]]


def handed_over_customers() -> set[str]:
	"""Customers moved by a completed Account Handover (the History of ownership is theirs now)."""
	handovers = frappe.get_all("Account Handover", filters={"status": "Completed"}, pluck="name")
	if not handovers:
		return set()
	return set(
		frappe.get_all(
			"Account Handover Item",
			filters={"parent": ("in", handovers), "reference_doctype": "Customer"},
			pluck="reference_name",
		)
	)


# --- the sales assistant and the contracts she keeps -------------------------------------------------


def assign_assistant(ctx: Context) -> int:
	"""The sales manager makes the assistant the keeper of 梁志勇's customer records."""
	assistant = ctx.users.get(ASSISTANT)
	if not assistant:
		return 0
	todo = [
		name
		for name in story.customers_of(ctx, data.DEMO_REP)
		if frappe.db.get_value("Customer", name, "sr_sales_assistant") != assistant
	]
	with acting_as(actor(ctx, SALES_MANAGER)):
		for name in todo:
			doc = frappe.get_doc("Customer", name)
			doc.sr_sales_assistant = assistant
			doc.save()
	return 0  # an edit, no new record


# (days before the demo's day the one-year contract started, contract value when there is no order)
RENEWAL_CONTRACTS = ((300, 380_000), (284, 226_000))
RENEWAL_NOTICE_DAYS = 60
"""Renewal talks start this many days before a contract ends (as in the plan's contracts)."""


def renewal_contracts(ctx: Context) -> int:
	"""Two one-year contracts of 梁志勇's customers that come up for renewal within the month: the
	assistant enters them from the signed paper, the sales manager submits them as signed."""
	customers = story.customers_of(ctx, data.DEMO_REP)
	if not customers:
		return 0
	added = 0
	for index, (started, value) in enumerate(RENEWAL_CONTRACTS):
		customer = customers[index % len(customers)]
		start = story.day(ctx, -started)
		end = getdate(add_days(add_months(start, 12), -1))
		renewal = getdate(add_days(end, -RENEWAL_NOTICE_DAYS))
		name = story.find(
			"Contract",
			{"party_type": "Customer", "party_name": customer, "start_date": start, "docstatus": ("<", 2)},
		)
		if name:  # uninstalling the app drops its contract fields: put them back
			current = frappe.db.get_value(
				"Contract", name, ["sr_renewal_date", "sr_contract_value"], as_dict=True
			)
			if not current.sr_renewal_date or not current.sr_contract_value:
				document = frappe.db.get_value("Contract", name, "document_name")
				frappe.db.set_value(
					"Contract",
					name,
					{
						"sr_renewal_date": renewal,
						"sr_contract_value": current.sr_contract_value
						or (
							frappe.db.get_value("Sales Order", document, "grand_total") if document else value
						),
					},
					update_modified=False,
				)
		if not name:
			order = story.find(
				"Sales Order",
				{"customer": customer, "docstatus": 1, "company": ctx.company},
				"grand_total desc",
			)
			contact = frappe.db.get_value("Customer", customer, "customer_primary_contact")
			with acting_as(actor(ctx, ASSISTANT)):
				doc = frappe.get_doc(
					{
						"doctype": "Contract",
						"party_type": "Customer",
						"party_name": customer,
						"start_date": start,
						"end_date": end,
						"sr_renewal_date": renewal,
						"sr_contract_value": (
							frappe.db.get_value("Sales Order", order, "grand_total") if order else value
						),
						"document_type": "Sales Order" if order else None,
						"document_name": order,
						"contract_terms": (
							f"<p>{frappe.db.get_value('Customer', customer, 'customer_name')} 年度维保及扩容框架合同,"
							f"合同期 {start} 至 {end},到期前 60 天启动续约。</p>"
							f"<p>Annual maintenance and expansion framework contract, {start} to {end}; "
							"renewal talks start 60 days before it ends.</p>"
						),
						"signee": frappe.db.get_value("Contact", contact, "full_name") if contact else None,
					}
				).insert()
			name = doc.name
			story.stamp("Contract", name, story.at(start, 16))
			added += 1
		if frappe.db.get_value("Contract", name, "docstatus") == 0:
			with acting_as(actor(ctx, SALES_MANAGER)):
				doc = frappe.get_doc("Contract", name)
				doc.is_signed = 1
				doc.signee = doc.signee or data.DEMO_REP
				doc.signed_on = story.at(start, 16)
				doc.submit()
	return added


# --- opportunities that have not moved ------------------------------------------------------------------

# (days before the demo's day it was opened, stage order, items: (code, qty), discount %)
STUCK_OPPORTUNITIES = (
	(35, 1, (("SRV-R4900", 6), ("SVC-MA3Y", 6)), 8.0),
	(24, 2, (("STO-5300", 2), ("SVC-MIG", 1)), 10.0),
)


def stuck_opportunities(ctx: Context) -> int:
	"""Two opportunities 梁志勇 opened weeks ago and has not moved since: the Stuck Opportunities report
	lists them and the reminder engine reminds him and his manager."""
	customers = story.customers_of(ctx, data.DEMO_REP)
	if not customers:
		return 0
	added = 0
	for index, (opened, order, lines, discount) in enumerate(STUCK_OPPORTUNITIES):
		customer = customers[-1 - index % len(customers)]
		opened_on = story.day(ctx, -opened)
		found = story_opportunity(ctx, customer, opened_on)
		if found:
			if not frappe.db.get_value("Opportunity", found, "sr_sales_person"):  # app reinstalled
				frappe.db.set_value(
					"Opportunity", found, "sr_sales_person", data.DEMO_REP, update_modified=False
				)
			continue
		stage = data.STAGE_BY_ORDER[order]
		items = [
			{
				"item_code": code,
				"qty": qty,
				"rate": round(data.ITEM_BY_CODE[code].price * (1 - discount / 100), 2),
				"uom": data.ITEM_BY_CODE[code].uom,
			}
			for code, qty in lines
		]
		with acting_as(actor(ctx, REP)):
			doc = frappe.get_doc(
				{
					"doctype": "Opportunity",
					"opportunity_from": "Customer",
					"party_name": customer,
					"opportunity_type": "Sales",
					"status": "Open",
					"sales_stage": stage.name,
					"probability": stage.probability,
					"sr_sales_person": data.DEMO_REP,
					"company": ctx.company,
					"transaction_date": opened_on,
					"expected_closing": story.day(ctx, 30 + 15 * index),
					"currency": "CNY",
					"conversion_rate": 1,
					"opportunity_amount": sum(row["qty"] * row["rate"] for row in items),
					"territory": frappe.db.get_value("Customer", customer, "territory"),
					"items": items,
				}
			).insert()
		when = story.at(opened_on, 15)
		story.stamp("Opportunity", doc.name, when)
		if frappe.db.exists("DocType", "Opportunity Stage Log"):
			frappe.db.set_value(
				"Opportunity Stage Log",
				{"opportunity": doc.name},
				{"changed_on": when, "creation": when, "modified": when},
				update_modified=False,
			)
		added += 1
	return added


def story_opportunity(ctx: Context, customer: str, opened_on) -> str | None:
	return story.find(
		"Opportunity",
		{
			"party_name": customer,
			"transaction_date": opened_on,
			"company": ctx.company,
			"name": ("not like", f"{ctx.info.abbr}-OPP-%"),
		},
	)


# --- info-feedback reports, rated by the sales manager --------------------------------------------------

# 梁志勇's own reports: (days before the demo's day, type, state, rating, points)
REP_REPORTS = (
	(75, "Competitor Move", "Approved", 4, 10),
	(60, "Regional Purchasing Power", "Approved", 5, 20),
	(45, "Customer Demand", "Approved", 3, 5),
	(31, "Pricing", "Approved", 4, 10),
	(17, "Channel / Dealer", "Rejected", 2, -5),
	(10, "Competitor Move", "Submitted", 0, 0),
	(2, "Customer Demand", "Draft", 0, 0),
)
REPORTS_PER_REP = 3
"""Reports of every other rep in the last quarter, at scale 1."""
REVIEW_COMMENTS = {
	"Approved": "信息具体, 有数据支撑 / Specific and backed by figures.",
	"Rejected": "内容空泛, 缺少客户和数据 / Too vague: no customers, no figures.",
}


def feedback_reports(ctx: Context) -> int:
	specs = feedback_specs(ctx)
	batch = Batch(ctx, "Info feedback reports", len(specs))
	added = 0
	for spec in specs:
		added += file_report(ctx, spec)
		batch.tick()
	return added


def feedback_specs(ctx: Context) -> list[frappe._dict]:
	rng = story.rng(ctx, "feedback")
	territory = {person.name: person.territory for person in ctx.plan.sales_persons}
	specs = [
		_report_spec(ctx, rng, data.DEMO_REP, territory[data.DEMO_REP], *row, own=True) for row in REP_REPORTS
	]
	specs.append(
		_report_spec(
			ctx,
			rng,
			data.DEMO_TEAM_MANAGER,
			territory[data.DEMO_TEAM_MANAGER],
			20,
			"Regional Purchasing Power",
			"Approved",
			4,
			10,
			own=True,
		)
	)
	departing = story.departing_rep(ctx)
	count = round(REPORTS_PER_REP * ctx.plan.scale)
	for rep in story.reps(ctx):
		if rep in (data.DEMO_REP, departing):
			continue
		for _index in range(count):
			kind = rng.choice(FEEDBACK_TYPES)
			roll = rng.random()
			state = "Approved" if roll < 0.8 else "Rejected" if roll < 0.9 else "Submitted"
			rating = rng.randint(3, 5) if state == "Approved" else 2 if state == "Rejected" else 0
			points = {3: 5, 4: 10, 5: 20}.get(rating, -5 if state == "Rejected" else 0)
			specs.append(
				_report_spec(ctx, rng, rep, territory[rep], rng.randint(3, 88), kind, state, rating, points)
			)
	return specs


FEEDBACK_TYPES = (
	"Competitor Move",
	"Pricing",
	"Regional Purchasing Power",
	"Customer Demand",
	"Channel / Dealer",
)


def _report_spec(ctx, rng, sales_person, territory, days_before, kind, state, rating, points, own=False):
	competitor = rng.choice(data.COMPETITORS)
	product = rng.choice([item for item in data.ITEMS if item.group != "services"])
	index = rng.randint(70, 140) if kind == "Regional Purchasing Power" else 0
	titles = {
		"Competitor Move": f"{territory}: {competitor}降价抢单 {product.name}",
		"Pricing": f"{territory}: {product.name} 成交价下探",
		"Regional Purchasing Power": f"{territory}: 本季度IT预算与购买力",
		"Customer Demand": f"{territory}: 客户扩容需求集中在{data.ITEM_GROUPS[0].zh if product.group == 'servers' else '存储网络'}",
		"Channel / Dealer": f"{territory}: 经销商库存与回款情况",
	}
	contents = {
		"Competitor Move": (
			f"<p>{competitor}在{territory}多个项目上对标 {product.name} 报价, 低于我方 8%~12%。</p>"
			f"<p>{competitor} is quoting 8-12% below us against the {product.en} in {territory}.</p>"
		),
		"Pricing": (
			f"<p>{product.name} 最近三单成交折扣在 25% 左右, 接近渠道底价。</p>"
			f"<p>The last three {product.en} deals closed at about 25% off, close to the channel floor.</p>"
		),
		"Regional Purchasing Power": (
			f"<p>{territory}政府和医疗行业预算回升, 估算购买力指数 {index}。</p>"
			f"<p>Government and healthcare budgets in {territory} are recovering; purchasing power index "
			f"estimated at {index}.</p>"
		),
		"Customer Demand": (
			f"<p>重点客户下半年计划扩容, 关注 {product.name} 与三年维保。</p>"
			f"<p>Key accounts plan expansions in the second half: {product.en} with three-year support.</p>"
		),
		"Channel / Dealer": (
			"<p>省代库存约 6 周, 回款正常, 希望加强售前支持。</p>"
			"<p>The provincial dealer holds about six weeks of stock, pays on time, and asks for more "
			"presales support.</p>"
		),
	}
	return frappe._dict(
		sales_person=sales_person,
		territory=territory,
		report_date=story.day(ctx, -days_before),
		report_type=kind,
		title=titles[kind][:140],
		content=contents[kind],
		competitor=competitor if kind == "Competitor Move" else None,
		index=index,
		state=state,
		rating=rating,
		points=points,
		own=own,
	)


def file_report(ctx: Context, spec) -> int:
	"""Find or file the report, then take it through the review workflow to its state; 1 when filed."""
	author = actor(ctx, REP) if spec.sales_person == data.DEMO_REP else None
	if spec.sales_person == data.DEMO_TEAM_MANAGER:
		author = actor(ctx, TEAM_MANAGER)
	author = author or "Administrator"  # reps without a login: keyed in by the office
	name = story.find(
		"Info Feedback Report",
		{"sales_person": spec.sales_person, "title": spec.title, "report_date": spec.report_date},
	)
	added = 0
	if not name:
		with acting_as(author):
			doc = frappe.get_doc(
				{
					"doctype": "Info Feedback Report",
					"title": spec.title,
					"report_type": spec.report_type,
					"report_date": spec.report_date,
					"sales_person": spec.sales_person,
					"territory": spec.territory,
					"competitor": spec.competitor,
					"purchasing_power_index": spec.index or None,
					"content": spec.content,
				}
			).insert()
		name = doc.name
		story.stamp("Info Feedback Report", name, story.at(spec.report_date, 18))
		added = 1
	state = frappe.db.get_value("Info Feedback Report", name, "workflow_state")
	if state == "Draft" and spec.state != "Draft":
		with acting_as(author):
			apply_workflow(frappe.get_doc("Info Feedback Report", name), "Submit for Review")
		state = "Submitted"
	if state == "Submitted" and spec.state in ("Approved", "Rejected"):
		with acting_as(actor(ctx, SALES_MANAGER)):
			doc = frappe.get_doc("Info Feedback Report", name)
			doc.quality_rating = spec.rating
			doc.reward_points = spec.points
			doc.review_comment = REVIEW_COMMENTS[spec.state]
			doc.save()
			apply_workflow(doc, "Approve" if spec.state == "Approved" else "Reject")
		reviewed = story.at(min(getdate(add_days(spec.report_date, 2)), ctx.plan.as_of), 11)
		frappe.db.set_value(
			"Info Feedback Report",
			name,
			{"reviewed_on": reviewed, "modified": reviewed},
			update_modified=False,
		)
	return added


# --- visits and calls --------------------------------------------------------------------------------

# (who, days before the demo's day, hour, activity type, what it names, subject)
ACTIVITIES = (
	(
		REP,
		12,
		10,
		"Visit",
		"customer",
		"拜访信息中心主任, 了解扩容预算 / Visit: IT director, expansion budget",
	),
	(REP, 9, 15, "Call", "opportunity", "电话跟进方案反馈 / Call: feedback on the proposal"),
	(REP, 8, 9, "Visit", "dealer", "与广州粤海联合拜访客户 / Joint customer visit with 广州粤海"),
	(REP, 5, 14, "Meeting", "customer", "技术交流会: 存储双活方案 / Workshop: active-active storage"),
	(REP, 3, 11, "Call", "opportunity", "确认招标时间 / Call: tender date confirmed"),
	(REP, 1, 16, "Visit", "customer", "回访已上线项目 / Visit: project in production"),
	(TEAM_MANAGER, 6, 10, "Visit", "dealer", "季度经销商例会 / Quarterly dealer meeting"),
	(TEAM_MANAGER, 4, 15, "Meeting", "customer", "陪同拜访重点客户 / Key account visit with 梁志勇"),
)


def activities(ctx: Context) -> int:
	"""Visits, calls and meetings, logged with the app's `log_activity` by the people who made them."""
	from sales_reengineering.customer_intelligence.activity import log_activity

	customers = story.customers_of(ctx, data.DEMO_REP)
	opportunities = frappe.get_all(
		"Opportunity",
		filters={"sr_sales_person": data.DEMO_REP, "status": ("in", ("Open", "Replied", "Quotation"))},
		pluck="name",
		order_by="name",
	)
	dealer = next(dealer.name for dealer in ctx.plan.dealers if dealer.key == data.DEMO_DEALER)
	added = 0
	for index, (who, before, hour, kind, target, subject) in enumerate(ACTIVITIES):
		reference = {
			"customer": ("Customer", customers[index % len(customers)] if customers else None),
			"opportunity": (
				"Opportunity",
				opportunities[index % len(opportunities)] if opportunities else None,
			),
			"dealer": ("Dealer", dealer),
		}[target]
		if not reference[1]:
			continue
		user = actor(ctx, who)
		starts_on = datetime.combine(story.day(ctx, -before), time(hour, 0))
		if frappe.db.exists("Event", {"subject": subject, "starts_on": starts_on, "owner": user}):
			continue
		with acting_as(user):
			name = log_activity(reference[0], reference[1], kind, subject, str(starts_on))
		story.stamp("Event", name, starts_on)
		added += 1
	return added


# --- training and a career plan ----------------------------------------------------------------------

NATIONAL_TRAINING = ("S-R4900 四路服务器新品培训 / S-R4900 launch training", "Product Knowledge", 45, 8)
# 梁志勇's own: (title, type, days before the demo's day, hours, result, score)
REP_TRAININGS = (
	(
		"渠道管理与经销商赋能 / Channel management and dealer enablement",
		"Channel Management",
		150,
		16,
		"Passed",
		88,
	),
	("顾问式销售 / Consultative selling", "Sales Skills", 95, 12, "Attended", None),
	("反商业贿赂合规 / Anti-bribery compliance", "Compliance", 20, 2, "Passed", 95),
)


def trainings(ctx: Context) -> int:
	"""Every rep attended the national launch training; 梁志勇 also took three courses."""
	rng = story.rng(ctx, "training")
	title, kind, before, hours = NATIONAL_TRAINING
	specs = []
	for rep in story.reps(ctx):
		if rep == story.departing_rep(ctx):
			continue
		roll = rng.random()
		result = "Passed" if roll < 0.8 else "Attended" if roll < 0.95 else "Failed"
		score = (
			rng.randint(70, 98) if result == "Passed" else rng.randint(40, 59) if result == "Failed" else None
		)
		specs.append((rep, title, kind, before, hours, result, score))
	specs += [(data.DEMO_REP, *row) for row in REP_TRAININGS]
	added = 0
	with acting_as(actor(ctx, SALES_MANAGER)):
		for rep, title, kind, before, hours, result, score in specs:
			start = story.day(ctx, -before)
			if frappe.db.exists(
				"Sales Training Record", {"sales_person": rep, "training_title": title, "start_date": start}
			):
				continue
			doc = frappe.get_doc(
				{
					"doctype": "Sales Training Record",
					"sales_person": rep,
					"training_title": title,
					"training_type": kind,
					"trainer": "S Company 培训中心 / Training Center",
					"start_date": start,
					"end_date": add_days(start, 1 if hours > 8 else 0),
					"hours": hours,
					"result": result,
					"score": score,
				}
			).insert()
			story.stamp("Sales Training Record", doc.name, story.at(start, 18))
			added += 1
	return added


CAREER_GOALS = (
	("完成渠道管理认证 / Channel management certification", "Achieved", -40),
	("连续两个季度任务达成 ≥100% / Two quarters at 100% of target or more", "In Progress", 90),
	("带教一名新销售 / Mentor a new rep", "Not Started", 200),
)


def career_plan(ctx: Context) -> int:
	"""梁志勇's plan towards regional manager, mentored by his manager and reviewed once."""
	if frappe.db.exists("Career Development Plan", {"sales_person": data.DEMO_REP}):
		return 0
	mentor = ctx.users.get(TEAM_MANAGER)
	card = story.find(
		"KPI Scorecard", {"assignee": data.DEMO_REP, "to_date": ("<", ctx.plan.as_of)}, "to_date desc"
	)
	with acting_as(actor(ctx, SALES_MANAGER)):
		doc = frappe.get_doc(
			{
				"doctype": "Career Development Plan",
				"sales_person": data.DEMO_REP,
				"target_role": "区域经理 / Regional Manager",
				"mentor": mentor,
				"status": "Active",
				"from_date": story.day(ctx, -120),
				"to_date": story.day(ctx, 245),
				"goals": [
					{
						"goal": goal,
						"target_date": story.day(ctx, offset),
						"status": status,
						"achieved_on": story.day(ctx, offset) if status == "Achieved" else None,
					}
					for goal, status, offset in CAREER_GOALS
				],
				"reviews": [
					{
						"review_date": story.day(ctx, -30),
						"reviewer": mentor,
						"rating": 4,
						"kpi_scorecard": card,
						"comments": "客户拓展积极, 渠道协同需加强 / Strong at new accounts; work more with the dealer.",
					}
				],
			}
		).insert()
	story.stamp("Career Development Plan", doc.name, story.at(story.day(ctx, -120), 10))
	return 1


# --- next quarter's targets, proposed -----------------------------------------------------------------


def next_quarter_task(ctx: Context) -> int:
	"""梁志勇 proposes his targets for next quarter; the sales manager has not approved them yet."""
	from sales_reengineering.demo.network import KPI_ROWS, kpi_template_name

	template = kpi_template_name(ctx)
	if not ctx.kpi_plan or not frappe.db.exists("KPI Template", template):
		return 0
	year, quarter = ctx.plan.as_of.year, (ctx.plan.as_of.month - 1) // 3 + 2
	if quarter == 5:
		year, quarter = year + 1, 1
	filters = {"assignee": data.DEMO_REP, "year": year, "quarter": str(quarter), "docstatus": ("<", 2)}
	if frappe.db.exists("Sales Task", filters):
		return 0
	current = story.find(
		"Sales Task Target",
		{
			"parent": (
				"in",
				frappe.get_all("Sales Task", {"assignee": data.DEMO_REP, "docstatus": 1}, pluck="name"),
			),
			"indicator": "Net Sales",
		},
		"creation desc",
	)
	net_sales = flt(frappe.db.get_value("Sales Task Target", current, "target")) if current else 0
	with acting_as(actor(ctx, REP)):
		task = frappe.get_doc(
			{
				"doctype": "Sales Task",
				"assignee_type": "Sales Person",
				"assignee": data.DEMO_REP,
				"template": template,
				"company": ctx.company,
				"period_type": "Quarter",
				"year": year,
				"quarter": str(quarter),
				"targets": [
					{
						"indicator": label,
						"target": round(net_sales * 1.1, -3)
						if label == "Net Sales" and net_sales
						else default,
					}
					for label, _weight, default in KPI_ROWS
				],
			}
		).insert()
		apply_workflow(task, "Propose")
	return 1


# --- the weekly job's snapshots ------------------------------------------------------------------------

SNAPSHOT_WEEKS = 8


def progress_snapshots(ctx: Context) -> int:
	"""The weekly stage-progress snapshots of the last weeks, as the weekly job makes them."""
	from sales_reengineering.core.progress import iso_week_bounds
	from sales_reengineering.customer_intelligence.progress import SNAPSHOT, make_snapshots

	monday, _sunday = iso_week_bounds(ctx.plan.as_of)
	added = 0
	for weeks in range(SNAPSHOT_WEEKS, 0, -1):
		week = story.day(ctx, (monday - ctx.plan.as_of).days - 7 * weeks)
		if frappe.db.exists(SNAPSHOT, {"week_start": week}):
			continue
		added += len(make_snapshots(week))
	return added


# --- telesales ------------------------------------------------------------------------------------------

CALL_LIST_DAY = -10
# the outcomes of the calls made, in turn down the list (a quarter converted, a quarter not reached ...),
# so that even a short list shows every outcome from the first ones on
CALL_OUTCOMES = (
	"Converted",
	"Not Reached",
	"Interested",
	"Not Interested",
	"Call Back Later",
	"Not Reached",
	"Converted",
	"Not Interested",
)
WORKED_SHARE = 0.6
"""Share of the call list the agent has worked through; the rest is still open."""


def load_telesales(ctx: Context) -> int:
	"""The sales manager makes the call list of the demo's dormant customers (the app's dormancy rule,
	ten days ago), assigned to the telesales agent; the agent has called most of them since: not
	reached, call back, not interested, interested, or converted into an opportunity."""
	from sales_reengineering.customer_intelligence.telesales import (
		find_dormant_customers,
		get_recently_called_customers,
	)

	agent = ctx.users.get(TELESALES)
	if not agent:
		return 0
	listed_on = story.day(ctx, CALL_LIST_DAY)
	mine = story.demo_customers(ctx)
	have = set(
		frappe.get_all(
			"Telesales Call",
			filters={"agent": agent, "customer": ("in", list(mine) or [""])},
			pluck="customer",
		)
	)
	skip = get_recently_called_customers(listed_on) | have
	dormant = [
		row for row in find_dormant_customers(listed_on) if row.customer in mine and row.customer not in skip
	]
	added = 0
	with acting_as(actor(ctx, SALES_MANAGER)):
		for row in sorted(dormant, key=lambda row: (-(row.days_since_purchase or 0), row.customer)):
			doc = frappe.get_doc(
				{"doctype": "Telesales Call", "agent": agent, "status": "Open", **row}
			).insert()
			story.stamp("Telesales Call", doc.name, story.at(listed_on, 9))
			added += 1
	frappe.db.commit()
	calls = frappe.get_all(
		"Telesales Call",
		filters={"agent": agent, "customer": ("in", list(mine) or [""])},
		fields=["name", "customer", "status", "outcome"],
		order_by="days_since_purchase desc, customer",
	)
	batch = Batch(ctx, "Telesales calls worked", len(calls))
	for index, call in enumerate(calls):
		outcome, called_on = planned_call(ctx, call.customer, index, len(calls))
		if outcome and call.status == "Open" and not call.outcome:
			guard(
				"Telesales Call",
				call.name,
				lambda call=call, o=outcome, d=called_on: work_call(ctx, call.name, o, d),
			)
		batch.tick()
	return added


def planned_call(ctx: Context, customer: str, index: int, total: int):
	"""(outcome, day called) of the call at `index` of the list, or (None, None) while it waits."""
	if index >= math.ceil(total * WORKED_SHARE):
		return None, None
	rng = story.rng(ctx, f"call:{customer}")
	return CALL_OUTCOMES[index % len(CALL_OUTCOMES)], story.day(ctx, CALL_LIST_DAY + rng.randint(1, 9))


CALL_NOTES = {
	"Not Reached": "无人接听, 改日再拨 / No answer; try again.",
	"Call Back Later": "客户在开会, 约好回电 / In a meeting; agreed to call back.",
	"Not Interested": "已采购其他品牌 / Bought another brand.",
	"Interested": "有扩容计划, 需要报价 / Plans an expansion; wants a quote.",
	"Converted": "确认新需求, 已转商机 / New requirement confirmed; opportunity opened.",
}


def work_call(ctx: Context, name: str, outcome: str, called_on) -> None:
	from sales_reengineering.customer_intelligence.telesales import make_opportunity

	with acting_as(actor(ctx, TELESALES)):
		doc = frappe.get_doc("Telesales Call", name)
		doc.call_date = called_on
		doc.notes = CALL_NOTES[outcome]
		if outcome == "Converted":
			doc.save()
			opportunity = make_opportunity(name)
			story.stamp("Opportunity", opportunity, story.at(called_on, 15), transaction_date=called_on)
			frappe.db.set_value("Telesales Call", name, "converted_on", called_on, update_modified=False)
		else:
			doc.outcome = outcome
			if outcome in ("Call Back Later", "Interested"):
				doc.follow_up_date = story.day(ctx, 3 if outcome == "Call Back Later" else 5)
			doc.save()
	frappe.db.set_value("Telesales Call", name, "modified", story.at(called_on, 15), update_modified=False)


# --- the reminder engine's run ----------------------------------------------------------------------------

REMINDER_HOUR = 7


def load_reminders(ctx: Context) -> int:
	"""The reminder engine's rules, run as its hourly job runs them, at 07:00 of the demo's day: ToDos,
	notifications and reminder logs for the stuck opportunities, expiring protections, contracts due for
	renewal, waiting calls, tasks behind pace, missing reports ... The day's digest e-mails are left to the
	scheduler's next run (a demo site usually has no outgoing mail account). A second run, on any day,
	finds every reminder of that morning already logged."""
	from sales_reengineering.reminders.engine import RULES, Directory, create_logs, get_rules

	now = datetime.combine(ctx.plan.as_of, time(REMINDER_HOUR, 0))
	directory = Directory()
	created = 0
	for rule in get_rules():
		created += create_logs(rule, RULES[rule.rule](rule, now.date()), now.date(), now, directory)
	return created
