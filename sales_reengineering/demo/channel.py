"""Story section "Channel at work": the dealer network in use, through the app's documents, workflows, portal
endpoints and methods, each step by the user who would take it (`users.acting_as`).

- The channel manager sets the channel price policies (maximum discount per channel level) and posts two
  announcements to the dealers.
- Deal registrations in every state. 广州粤海's user registers through the portal: approved, about to
  expire, expired (its protection ended; the daily expiry job marked it), cancelled, rejected (it was
  梁志勇's key account, with an open opportunity), and one still pending that is flagged: the general
  agent 上海申联 had registered the same company first, a conflict between two dealers. The agent has one
  approved and one pending registration of its own; the channel manager keeps one draft typed in for a
  dealer on the phone.
- Monthly sell-through reports of the last six months from the dealers that buy (`plan.sell_in_orders`):
  the demo's two dealers through the portal, the others entered by the channel manager; some months are
  missing, which the reminders point out.
- A price exception: 梁志勇 quotes a server below the direct channel's floor to beat a competitor, asks for
  an exception, the sales manager approves it, and the quotation goes out. A second request waits.
"""

from __future__ import annotations

import random

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, add_months, getdate

from sales_reengineering.demo import data, story
from sales_reengineering.demo.context import Batch, Context, guard
from sales_reengineering.demo.generator import make_credit_code
from sales_reengineering.demo.users import (
	AGENT_USER,
	CHANNEL_MANAGER,
	DEALER_USER,
	REP,
	SALES_MANAGER,
	acting_as,
	actor,
)


def load_channel(ctx: Context) -> int:
	added = 0
	for step in (price_policies, announcements, deal_registrations, sell_through_reports, price_exceptions):
		added += guard("Story", step.__name__, lambda step=step: step(ctx))
		frappe.db.commit()
	return added


def _dealer(key: str) -> str:
	return next(dealer.name for dealer in data.DEALERS if dealer.key == key)


# --- price discipline -----------------------------------------------------------------------------------

# channel level -> maximum discount off the list price, for every hardware item group
PRICE_POLICIES = {"Direct": 30.0, "Provincial Dealer": 25.0, "General Agent": 40.0}


def price_policies(ctx: Context) -> int:
	"""A maximum discount per channel level and hardware group (an administrator's own policy for a group
	and level is left as it is)."""
	groups = [group.name for group in data.ITEM_GROUPS if group.is_stock]
	added = 0
	with acting_as(actor(ctx, CHANNEL_MANAGER)):
		for level, discount in PRICE_POLICIES.items():
			for group in groups:
				if frappe.db.exists(
					"Channel Price Policy", {"item_group": group, "channel_level": level, "enabled": 1}
				):
					continue
				frappe.get_doc(
					{
						"doctype": "Channel Price Policy",
						"enabled": 1,
						"item_group": group,
						"channel_level": level,
						"policy_type": "Maximum Discount",
						"max_discount": discount,
						"description": f"{level}: {group} 最低为目录价的 {100 - discount:g}% / at least "
						f"{100 - discount:g}% of list price",
					}
				).insert()
				added += 1
	return added


ANNOUNCEMENTS = (
	(
		"S-R4900 四路服务器上市 / S-R4900 quad-socket server launched",
		"",
		"<p>S-R4900 即日起接受订货, 首批渠道价见价格政策; 请在报备时注明项目预算。</p>"
		"<p>The S-R4900 can be ordered now; see the price policy for the launch channel price. Give the "
		"project budget when you register a deal.</p>",
	),
	(
		"季度末返点政策 / Quarter-end rebate",
		"Provincial Dealer",
		"<p>本季度采购额达到等级目标的省级代理, 可获 2% 返点。</p>"
		"<p>Provincial dealers reaching their tier's purchase target this quarter earn a 2% rebate.</p>",
	),
)


def announcements(ctx: Context) -> int:
	added = 0
	with acting_as(actor(ctx, CHANNEL_MANAGER)):
		for title, level, content in ANNOUNCEMENTS:
			if frappe.db.exists("Dealer Announcement", {"title": title}):
				continue
			doc = frappe.get_doc(
				{
					"doctype": "Dealer Announcement",
					"title": title,
					"published": 1,
					"dealer_level": level,
					"publish_from": story.day(ctx, -20),
					"publish_until": story.day(ctx, 70),
					"content": content,
				}
			).insert()
			story.stamp("Dealer Announcement", doc.name, story.at(story.day(ctx, -20), 9))
			added += 1
	return added


# --- deal registrations ----------------------------------------------------------------------------------

# (key, dealer key, who enters it, end customer, registered (days before the demo's day), final state,
#  decided (days before the demo's day, for approvals, rejections and cancellations))
# end customer: "P<n>" a prospect of `prospects`, "rep" 梁志勇's customer with a stuck opportunity
REGISTRATIONS = (
	("agent-key-account", data.DEMO_AGENT, AGENT_USER, "P1", 40, "Approved", 38),
	("dealer-approved", data.DEMO_DEALER, DEALER_USER, "P2", 25, "Approved", 23),
	("dealer-expiring", data.DEMO_DEALER, DEALER_USER, "P3", 84, "Approved", 82),
	("dealer-expired", data.DEMO_DEALER, DEALER_USER, "P4", 160, "Expired", 158),
	("dealer-cancelled", data.DEMO_DEALER, DEALER_USER, "P5", 50, "Cancelled", 10),
	("dealer-direct-conflict", data.DEMO_DEALER, DEALER_USER, "rep", 20, "Rejected", 18),
	("dealer-dealer-conflict", data.DEMO_DEALER, DEALER_USER, "P1", 3, "Pending Approval", None),
	("agent-pending", data.DEMO_AGENT, AGENT_USER, "P6", 2, "Pending Approval", None),
	("phoned-in-draft", data.DEMO_DEALER, CHANNEL_MANAGER, "P7", 1, "Draft", None),
)
PROSPECT_PATTERNS = (
	"{city}{brand}网络科技有限公司",
	"{city}{brand}智能制造有限公司",
	"{city}{brand}数据科技有限公司",
	"{city}{brand}医疗器械有限公司",
	"{city}{brand}物流有限公司",
	"{city}{brand}新能源科技有限公司",
	"{city}{brand}教育科技有限公司",
)
REGISTERED_ITEMS = (("SRV-R2200", 8), ("STO-5300", 1), ("NET-S5700", 12), ("SRV-R4900", 4), ("STO-N800", 6))


def prospects(ctx: Context) -> dict[str, frappe._dict]:
	"""The companies the dealers register: new prospects in 广东 (not customers of the plan)."""
	rng = story.rng(ctx, "prospects")
	province = data.PROVINCE_BY_KEY["GD"]
	taken = {customer.name for customer in ctx.plan.customers}
	found: dict[str, frappe._dict] = {}
	for number in range(1, 8):
		while True:
			city = rng.choice(province.cities)
			brand, _pinyin = rng.choice(data.BRANDS)
			name = rng.choice(PROSPECT_PATTERNS).format(city=city.zh, brand=brand)
			if name not in taken:
				break
		taken.add(name)
		found[f"P{number}"] = frappe._dict(
			company_name=name,
			credit_code=make_credit_code(rng, "91", city.admin_code),
			city=city.zh,
			customer=None,
		)
	return found


def rep_key_account(ctx: Context) -> frappe._dict | None:
	"""梁志勇's customer with the first of his stuck opportunities (field.STUCK_OPPORTUNITIES): a dealer
	registering it collides with the direct sales force."""
	from sales_reengineering.demo.field import STUCK_OPPORTUNITIES, story_opportunity

	customers = story.customers_of(ctx, data.DEMO_REP)
	if not customers:
		return None
	customer = customers[-1]
	if not story_opportunity(ctx, customer, story.day(ctx, -STUCK_OPPORTUNITIES[0][0])):
		return None
	name, tax_id, address = frappe.db.get_value(
		"Customer", customer, ["customer_name", "tax_id", "customer_primary_address"]
	)
	city = frappe.db.get_value("Address", address, "city") if address else None
	return frappe._dict(company_name=name, credit_code=tax_id, city=city or "广州", customer=None)


def deal_registrations(ctx: Context) -> int:
	targets = prospects(ctx)
	rep_account = rep_key_account(ctx)
	added = 0
	for key, dealer_key, who, target, registered, state, decided in REGISTRATIONS:
		company = rep_account if target == "rep" else targets[target]
		if not company:
			continue
		spec = frappe._dict(
			key=key,
			dealer=_dealer(dealer_key),
			who=who,
			registered_on=story.day(ctx, -registered),
			state=state,
			decided_on=story.day(ctx, -decided) if decided is not None else None,
			**company,
		)
		added += guard("Deal Registration", key, lambda spec=spec: registration(ctx, spec))
		frappe.db.commit()
	return added


def registration(ctx: Context, spec) -> int:
	"""Find or enter the registration, then take it to its state through the approval workflow."""
	from sales_reengineering.channel.doctype.deal_registration.deal_registration import expire_registrations

	# dealers and their registrations belong to the site, not to a company: a second demo company finds
	# them made (a new registration of a protected company would be refused)
	name = story.find("Deal Registration", {"dealer": spec.dealer, "company_name": spec.company_name})
	added = 0
	if not name:
		name = register(ctx, spec)
		added = 1
	doc = frappe.get_doc("Deal Registration", name)
	if doc.docstatus == 0 and spec.state != "Draft":
		with acting_as(actor(ctx, CHANNEL_MANAGER)):
			apply_workflow(doc, "Submit")
		doc.reload()
	if doc.status == "Pending Approval" and spec.state in ("Approved", "Expired", "Cancelled"):
		with acting_as(actor(ctx, CHANNEL_MANAGER)):
			apply_workflow(doc, "Approve")
		backdate_protection(ctx, name, spec.decided_on)
		doc.reload()
	if doc.status == "Pending Approval" and spec.state == "Rejected":
		with acting_as(actor(ctx, CHANNEL_MANAGER)):
			apply_workflow(doc, "Reject")
		stamp = story.at(spec.decided_on, 15)
		frappe.db.set_value(
			"Deal Registration", name, {"approved_on": stamp, "modified": stamp}, update_modified=False
		)
		doc.reload()
	if doc.status == "Approved" and spec.state == "Expired":
		expire_registrations()  # the daily job: the protection ended weeks ago
	if doc.status == "Approved" and spec.state == "Cancelled":
		with acting_as(actor(ctx, CHANNEL_MANAGER)):
			apply_workflow(doc, "Cancel")
		stamp = story.at(spec.decided_on, 16)
		frappe.db.set_value("Deal Registration", name, "modified", stamp, update_modified=False)
	return added


def register(ctx: Context, spec) -> str:
	"""A dealer user registers through the portal (submitted at once); the channel manager, or anybody
	without a portal login, enters it in the desk (a draft)."""
	from sales_reengineering.channel.portal import register_deal

	user = actor(ctx, spec.who)
	items = [
		{"item_code": code, "qty": qty, "rate": round(data.ITEM_BY_CODE[code].price * 0.85, 2)}
		for code, qty in registered_items(ctx, spec.key)
	]
	close = getdate(add_days(spec.registered_on, 75))
	entered_close = max(close, getdate())  # the form wants a close date from the day it is entered on
	description = f"{spec.company_name} 机房扩容项目 / data-centre expansion project"
	if spec.who in (AGENT_USER, DEALER_USER) and user != "Administrator":
		with acting_as(user):
			name = register_deal(
				company_name=spec.company_name,
				city=spec.city,
				expected_close_date=str(entered_close),
				items=items,
				credit_code=spec.credit_code,
				description=description,
				dealer=spec.dealer,
			)["name"]
	else:
		with acting_as(user):
			name = (
				frappe.get_doc(
					{
						"doctype": "Deal Registration",
						"dealer": spec.dealer,
						"registration_date": spec.registered_on,
						"company_name": spec.company_name,
						"credit_code": spec.credit_code,
						"city": spec.city,
						"expected_close_date": entered_close,
						"description": description,
						"items": items,
					}
				)
				.insert()
				.name
			)
	when = story.at(spec.registered_on, 10)
	frappe.db.set_value(
		"Deal Registration",
		name,
		{
			"registration_date": spec.registered_on,
			"expected_close_date": close,
			"creation": when,
			"modified": when,
		},
		update_modified=False,
	)
	return name


def registered_items(ctx: Context, key: str) -> list[tuple[str, int]]:
	rng = random.Random(f"{ctx.plan.seed}:story:registration:{key}")
	return rng.sample(REGISTERED_ITEMS, rng.randint(1, 2))


def backdate_protection(ctx: Context, name: str, approved_on) -> None:
	"""The approval happened on `approved_on`: its protection runs from then for the dealer tier's days."""
	from sales_reengineering.channel.doctype.dealer_tier.dealer_tier import get_protection_days
	from sales_reengineering.core.channel_hierarchy import protection_end

	dealer = frappe.db.get_value("Deal Registration", name, "dealer")
	days = get_protection_days(frappe.db.get_value("Dealer", dealer, "dealer_tier"))
	when = story.at(approved_on, 15)
	frappe.db.set_value(
		"Deal Registration",
		name,
		{
			"protected_from": approved_on,
			"protected_until": protection_end(getdate(approved_on), days),
			"approved_on": when,
			"modified": when,
		},
		update_modified=False,
	)


# --- sell-through ----------------------------------------------------------------------------------------

SELL_THROUGH_CHANCE = 0.85
"""Chance that a dealer (other than the demo's two) sent its report for a month."""
SELL_THROUGH_MONTHS = 6


def sell_through_reports(ctx: Context) -> int:
	specs = sell_through_specs(ctx)
	batch = Batch(ctx, "Sell-through reports", len(specs))
	added = 0
	for spec in specs:
		added += guard(
			"Sell Through Report", f"{spec.dealer} {spec.period}", lambda s=spec: sell_through(ctx, s)
		)
		batch.tick()
	return added


def sell_through_specs(ctx: Context) -> list[frappe._dict]:
	"""One report per dealer that buys and complete month, some missing; each names what the dealer
	sold on: items it bought, to end customers of its province (or just a city)."""
	rng = story.rng(ctx, "sell-through")
	first = getdate(ctx.plan.as_of).replace(day=1)
	months = [getdate(add_months(first, -offset)) for offset in range(SELL_THROUGH_MONTHS, 0, -1)]
	dealers = {dealer.customer: dealer for dealer in ctx.plan.dealers}
	bought: dict[str, list[str]] = {}
	for order in ctx.plan.sell_in_orders:
		bought.setdefault(dealers[order.customer].key, []).extend(line.item_code for line in order.lines)
	end_customers: dict[str, list] = {}
	for customer in ctx.plan.customers:
		if customer.industry:
			end_customers.setdefault(customer.territory, []).append(customer)
	specs = []
	late = next(
		(
			dealer.key
			for dealer in ctx.plan.dealers
			if dealer.key in bought and dealer.key not in data.DEMO_DEALERS
		),
		None,
	)
	for dealer in ctx.plan.dealers:
		if dealer.key not in bought:
			continue
		items = sorted(set(bought[dealer.key]))
		province = next(p for p in data.PROVINCES if p.zh == dealer.territory)
		for month in months:
			if dealer.key == late and month == months[-1]:
				continue  # one dealer is late with last month's report: the reminders chase it
			if dealer.key not in data.DEMO_DEALERS and rng.random() >= SELL_THROUGH_CHANCE:
				continue  # a month the dealer did not report
			rows = []
			for item_code in rng.sample(items, min(len(items), rng.randint(1, 3))):
				item = data.ITEM_BY_CODE[item_code]
				qty = rng.randint(*item.qty)
				known = end_customers.get(dealer.territory) or []
				customer = rng.choice(known) if known and rng.random() < 0.6 else None
				rows.append(
					{
						"item_code": item_code,
						"qty": qty,
						"amount": round(qty * item.price * rng.uniform(0.78, 0.9), 2),
						"end_customer": customer.name if customer else None,
						"city": (customer.address.city if customer and customer.address else None)
						or rng.choice(province.cities).zh,
						"stock_on_hand": rng.randint(0, item.qty[1]),
					}
				)
			specs.append(frappe._dict(dealer=dealer.name, key=dealer.key, period=month, rows=rows))
	return specs


def sell_through(ctx: Context, spec) -> int:
	from sales_reengineering.channel.portal import submit_sell_through

	name = story.find(
		"Sell Through Report", {"dealer": spec.dealer, "period": spec.period, "docstatus": ("<", 2)}
	)
	if name:
		if frappe.db.get_value("Sell Through Report", name, "docstatus") == 0:
			with acting_as(actor(ctx, CHANNEL_MANAGER)):
				frappe.get_doc("Sell Through Report", name).submit()
		return 0
	portal_user = {data.DEMO_AGENT: AGENT_USER, data.DEMO_DEALER: DEALER_USER}.get(spec.key)
	user = actor(ctx, portal_user) if portal_user else "Administrator"
	if portal_user and user != "Administrator":
		with acting_as(user):
			name = submit_sell_through(period=str(spec.period), items=spec.rows, dealer=spec.dealer)["name"]
	else:
		with acting_as(actor(ctx, CHANNEL_MANAGER)):
			doc = frappe.get_doc(
				{
					"doctype": "Sell Through Report",
					"dealer": spec.dealer,
					"period": spec.period,
					"items": spec.rows,
				}
			).insert()
			doc.submit()
			name = doc.name
	story.stamp("Sell Through Report", name, story.at(getdate(add_months(spec.period, 1)).replace(day=3), 11))
	return 1


# --- a price exception ------------------------------------------------------------------------------------

# (days before the demo's day, item, qty, discount %, state of the exception, reason)
EXCEPTIONS = (
	(
		6,
		"SRV-R4900",
		10,
		35.0,
		"Approved",
		"华为同配置报价低 8%, 省级重点项目, 争取首单 / Huawei quoted 8% lower on a provincial flagship "
		"project; we want the first order.",
	),
	(
		2,
		"STO-5300",
		2,
		33.0,
		"Pending Approval",
		"客户预算封顶, 竞争对手为浪潮 / The budget is capped; Inspur is competing.",
	),
)


def price_exceptions(ctx: Context) -> int:
	customers = story.customers_of(ctx, data.DEMO_REP)
	if not customers:
		return 0
	added = 0
	for index, (before, item_code, qty, discount, state, reason) in enumerate(EXCEPTIONS):
		customer = customers[index % len(customers)]
		added += guard(
			"Channel Price Exception",
			item_code,
			lambda c=customer, b=before, i=item_code, q=qty, d=discount, s=state, r=reason: exception(
				ctx, c, b, i, q, d, s, r
			),
		)
		frappe.db.commit()
	return added


def exception(ctx, customer, before, item_code, qty, discount, state, reason) -> int:
	"""梁志勇's quotation below the floor, his exception request, the sales manager's decision, and the
	quotation submitted once approved."""
	from sales_reengineering.demo.transactions import CURRENCY

	quoted_on = story.day(ctx, -before)
	added = 0
	quotation = story.find(
		"Quotation",
		{
			"party_name": customer,
			"transaction_date": quoted_on,
			"company": ctx.company,
			"name": ("not like", f"{ctx.info.abbr}-QTN-%"),
		},
	)
	item = data.ITEM_BY_CODE[item_code]
	with acting_as(actor(ctx, REP)):
		if not quotation:
			doc = frappe.get_doc(
				{
					"doctype": "Quotation",
					"quotation_to": "Customer",
					"party_name": customer,
					"order_type": "Sales",
					"company": ctx.company,
					"transaction_date": quoted_on,
					"valid_till": add_days(quoted_on, 30),
					"currency": CURRENCY,
					"conversion_rate": 1,
					"selling_price_list": ctx.info.price_list,
					"price_list_currency": CURRENCY,
					"plc_conversion_rate": 1,
					"taxes_and_charges": ctx.info.tax_template,
					"items": [
						{
							"item_code": item_code,
							"qty": qty,
							"uom": item.uom,
							"price_list_rate": item.price,
							"discount_percentage": discount,
							"rate": round(item.price * (1 - discount / 100), 2),
						}
					],
				}
			)
			doc.append_taxes_from_master()
			doc.insert()
			quotation = doc.name
			story.stamp("Quotation", quotation, story.at(quoted_on, 11))
			added += 1
		name = story.find("Channel Price Exception", {"reference_name": quotation, "item_code": item_code})
		if not name:
			rate = frappe.db.get_value(
				"Quotation Item", {"parent": quotation, "item_code": item_code}, "net_rate"
			)
			doc = frappe.get_doc(
				{
					"doctype": "Channel Price Exception",
					"reference_doctype": "Quotation",
					"reference_name": quotation,
					"item_code": item_code,
					"approved_rate": rate,
					"reason": reason,
				}
			).insert()
			name = doc.name
			story.stamp("Channel Price Exception", name, story.at(quoted_on, 14))
			added += 1
		if frappe.db.get_value("Channel Price Exception", name, "workflow_state") in (None, "", "Draft"):
			apply_workflow(frappe.get_doc("Channel Price Exception", name), "Submit")
	if state == "Approved" and frappe.db.get_value("Channel Price Exception", name, "docstatus") == 0:
		with acting_as(actor(ctx, SALES_MANAGER)):
			apply_workflow(frappe.get_doc("Channel Price Exception", name), "Approve")
		approved = story.at(add_days(quoted_on, 1), 10)
		frappe.db.set_value(
			"Channel Price Exception",
			name,
			{"approved_on": approved, "modified": approved},
			update_modified=False,
		)
	if state == "Approved" and frappe.db.get_value("Quotation", quotation, "docstatus") == 0:
		with acting_as(actor(ctx, REP)):
			frappe.get_doc("Quotation", quotation).submit()
	return added
