"""Integration test of the demo data: a tiny scale loaded into its own company on the test site.

The demo commits (it is meant to persist), so the data stays on the test site; a later run of this test
finds it loaded and only checks it again. Masters (territories, sales persons, dealers, customers) are
shared with every other company of the site; transactions belong to `COMPANY`.

The test site holds other companies, so it is no demo site (`users.refusal`): the test asks for the demo
users explicitly (`create_users=True`), which is what `sr_demo_site` in the site config does for the
command.
"""

from __future__ import annotations

from datetime import date

import frappe
from click.testing import CliRunner
from frappe.permissions import add_user_permission
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, get_quarter_start, getdate

from sales_reengineering.commands import sr_load_demo
from sales_reengineering.demo import data, story, users
from sales_reengineering.demo.field import handed_over_customers
from sales_reengineering.demo.generator import MAX_SCALE, build_plan, credit_code_check_char
from sales_reengineering.demo.loader import UNCOUNTED, get_demo_plan, load_demo
from sales_reengineering.exceptions import DemoDataError

COMPANY = f"_Test SR Demo {date.today():%Y-%m}"
"""A company of its own each month: the demo's dates are relative to the day a company's demo is first
loaded (its plan day), and the story's checks (purchases this quarter, protections still running,
contracts due within the month) hold for some weeks after it, not for ever."""
SEED = 2026
SCALE = 0.02
TRANSACTION_DOCTYPES = ("Opportunity", "Quotation", "Sales Order", "Sales Invoice", "Contract")
# the story's records, counted before and after a second run
STORY_DOCTYPES = (
	"User",
	"Employee",
	"Deal Registration",
	"Sell Through Report",
	"Channel Price Policy",
	"Channel Price Exception",
	"Dealer Announcement",
	"Telesales Call",
	"Info Feedback Report",
	"Account Handover",
	"Sales Training Record",
	"Career Development Plan",
	"Event",
	"Sales Reminder Log",
	"ToDo",
	"Sales Progress Snapshot",
)


def load(**kwargs) -> dict[str, int]:
	"""The test's load: no completeness rules and no KPI plan (they would change what other modules'
	tests compute; test_kpi_plan loads the plan for quarters no other test uses), with the demo users."""
	return load_demo(
		seed=SEED,
		scale=SCALE,
		company=COMPANY,
		quiet=True,
		seed_rules=False,
		kpi_plan=False,
		create_users=True,
		**kwargs,
	)


def is_valid_credit_code(code: str) -> bool:
	try:
		from sales_reengineering.core.conflict import is_valid_credit_code as core_check
	except ImportError:
		return len(code) == 18 and credit_code_check_char(code[:17]) == code[17]
	return core_check(code)


class TestDemoData(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# seed_rules=False: completeness rules would change the scores other modules' tests expect;
		# kpi_plan=False: tasks of the current quarters would join the rankings other tests compute
		# (test_kpi_plan loads it for quarters no other test uses)
		cls.first_run = load()
		cls.plan = get_demo_plan(COMPANY)
		cls.abbr = frappe.db.get_value("Company", COMPANY, "abbr")
		cls.customers = {
			row.name
			for row in frappe.get_all(
				"Customer", filters={"customer_name": ("in", [c.name for c in cls.plan.customers])}
			)
		}

	def company_docs(self, doctype: str, **filters) -> list[dict]:
		field = "party_name" if doctype == "Contract" else "company"
		if doctype == "Contract":
			filters["name"] = ("like", f"{self.abbr}-CON-%")
		else:
			filters[field] = COMPANY
		return frappe.get_all(doctype, filters=filters, fields=["name", "docstatus"])

	def counts(self) -> dict[str, int]:
		return {doctype: len(self.company_docs(doctype)) for doctype in TRANSACTION_DOCTYPES}

	# --- masters ---------------------------------------------------------------------------------------

	def test_company_and_fiscal_years(self):
		company = frappe.get_doc("Company", COMPANY)
		self.assertEqual(company.default_currency, "CNY")
		self.assertEqual(company.country, "China")
		for year in self.plan.fiscal_years():
			day = date(year, 6, 30)
			self.assertTrue(
				frappe.db.exists(
					"Fiscal Year", {"year_start_date": ("<=", day), "year_end_date": (">=", day)}
				),
				f"no fiscal year for {year}",
			)

	def test_territories_are_provinces_under_regions(self):
		self.assertTrue(frappe.db.get_value("Territory", data.COUNTRY_TERRITORY, "is_group"))
		for region in data.REGIONS:
			self.assertEqual(
				frappe.db.get_value("Territory", region.zh, "parent_territory"), data.COUNTRY_TERRITORY
			)
		self.assertEqual(len(data.PROVINCES), 31)
		for province in data.PROVINCES:
			parent, is_group = frappe.db.get_value("Territory", province.zh, ["parent_territory", "is_group"])
			self.assertEqual(parent, data.REGION_BY_KEY[province.region].zh, province.zh)
			self.assertFalse(is_group)

	def test_dealers_per_general_agent(self):
		agents = {agent.key: agent.name for agent in data.GENERAL_AGENTS}
		for agent in data.GENERAL_AGENTS:
			self.assertEqual(
				frappe.db.get_value("Sales Partner", agent.name, "partner_type"), "General Agent"
			)
		self.assertEqual(len(data.PROVINCIAL_DEALERS), 29)
		for dealer in data.PROVINCIAL_DEALERS:
			partner = frappe.get_doc("Sales Partner", dealer.name)
			province = data.PROVINCE_BY_KEY[dealer.province]
			agent = agents[data.REGION_BY_KEY[province.region].agent]
			self.assertEqual(partner.partner_type, "Provincial Dealer")
			self.assertEqual(partner.territory, province.zh)
			self.assertIn(agent, partner.description)
			customer = frappe.db.get_value(
				"Customer",
				{"customer_name": dealer.name},
				["customer_group", "default_sales_partner"],
				as_dict=True,
			)
			self.assertEqual(customer.customer_group, data.DEALER_CUSTOMER_GROUP)
			self.assertEqual(customer.default_sales_partner, dealer.name)
		by_agent = {
			name: {dealer.name for dealer in self.plan.dealers_of_agent(name)} for name in agents.values()
		}
		self.assertEqual(sum(len(dealers) for dealers in by_agent.values()), 29)
		self.assertIn("成都蜀信信息技术有限公司", by_agent[agents["SH"]])  # Southwest -> Shanghai
		self.assertIn("西安秦川信息技术有限公司", by_agent[agents["BJ"]])  # Northwest -> Beijing

	def test_sales_person_tree(self):
		root = frappe.db.get_value("Sales Person", data.SALES_DIRECTOR, "parent_sales_person")
		self.assertFalse(frappe.db.get_value("Sales Person", root, "parent_sales_person"))
		for region, manager in data.REGIONAL_MANAGERS.items():
			parent, is_group = frappe.db.get_value(
				"Sales Person", manager, ["parent_sales_person", "is_group"]
			)
			self.assertEqual((parent, is_group), (data.SALES_DIRECTOR, 1), region)
		for rep, province in data.SALES_REPS:
			region = data.PROVINCE_BY_KEY[province].region
			parent, is_group = frappe.db.get_value("Sales Person", rep, ["parent_sales_person", "is_group"])
			self.assertEqual((parent, is_group), (data.REGIONAL_MANAGERS[region], 0), rep)
		self.assertGreaterEqual(len(data.SALES_REPS), 30)

	def test_customers_have_owner_credit_code_contact_and_address(self):
		moved = handed_over_customers()
		for plan in self.plan.customers:
			customer = frappe.db.get_value(
				"Customer",
				{"customer_name": plan.name},
				[
					"name",
					"tax_id",
					"sr_sales_person",
					"territory",
					"customer_primary_contact",
					"customer_primary_address",
				],
				as_dict=True,
			)
			self.assertTrue(customer, plan.name)
			self.assertTrue(is_valid_credit_code(customer.tax_id), customer.tax_id)
			if customer.name in moved:  # the story's handover gave it to the demo's salesperson
				self.assertEqual(customer.sr_sales_person, data.DEMO_REP)
			else:
				self.assertEqual(customer.sr_sales_person, plan.sales_person)
			self.assertEqual(customer.territory, plan.territory)
			self.assertEqual(bool(customer.customer_primary_contact), bool(plan.contact), plan.name)
			self.assertEqual(bool(customer.customer_primary_address), bool(plan.address), plan.name)
			if plan.contact:
				email, mobile = frappe.db.get_value(
					"Contact", customer.customer_primary_contact, ["email_id", "mobile_no"]
				)
				self.assertEqual(email or None, plan.contact.email)
				self.assertEqual(mobile or None, plan.contact.mobile)
			if plan.address:
				address = frappe.get_doc("Address", customer.customer_primary_address)
				self.assertEqual(
					(address.city, address.state, address.country),
					(plan.address.city, plan.address.state, "China"),
				)

	def test_items_and_stages(self):
		for item in data.ITEMS:
			is_stock = frappe.db.get_value("Item", item.code, "is_stock_item")
			self.assertEqual(bool(is_stock), item.group != "services", item.code)
			self.assertTrue(
				frappe.db.exists("Item Price", {"item_code": item.code, "price_list_rate": item.price})
			)
		for stage in data.SALES_STAGES:
			order, probability = frappe.db.get_value(
				"Sales Stage", stage.name, ["sr_stage_order", "sr_probability"]
			)
			self.assertEqual((order, probability), (stage.order, stage.probability))

	# --- transactions ----------------------------------------------------------------------------------

	def test_opportunities_follow_the_plan(self):
		for plan in self.plan.opportunities:
			status, stage = frappe.db.get_value(
				"Opportunity", f"{self.abbr}-{plan.key}", ["status", "sales_stage"]
			)
			self.assertEqual((status, stage), (plan.status, plan.stage), plan.key)

	def test_invoices_sales_teams_returns_and_cancellations(self):
		invoices = self.company_docs("Sales Invoice", docstatus=1, is_return=0)
		self.assertGreaterEqual(len(invoices), 3)
		for invoice in invoices + self.company_docs("Sales Order", docstatus=1):
			shares = frappe.get_all(
				"Sales Team", filters={"parent": invoice.name}, pluck="allocated_percentage"
			)
			self.assertTrue(shares, invoice.name)
			self.assertAlmostEqual(sum(shares), 100.0, msg=invoice.name)
		returns = self.company_docs("Sales Invoice", docstatus=1, is_return=1)
		self.assertGreaterEqual(len(returns), 1)
		for credit_note in returns:
			against, total = frappe.db.get_value(
				"Sales Invoice", credit_note.name, ["return_against", "grand_total"]
			)
			self.assertEqual(frappe.db.get_value("Sales Invoice", against, "docstatus"), 1)
			self.assertLess(total, 0)
		cancelled = self.company_docs("Sales Invoice", docstatus=2)
		self.assertGreaterEqual(len(cancelled), 1)
		for invoice in cancelled:
			self.assertEqual(frappe.db.get_value("Sales Invoice", f"{invoice.name}-1", "docstatus"), 1)
		debit, credit = frappe.db.sql(
			"select sum(debit), sum(credit) from `tabGL Entry` where company=%s and is_cancelled=0", COMPANY
		)[0]
		self.assertAlmostEqual(debit, credit, places=2)

	def test_orders_come_from_quotations_and_contracts_from_orders(self):
		for plan in self.plan.orders:
			name = f"{self.abbr}-{plan.key}"
			self.assertEqual(frappe.db.get_value("Sales Order", name, "docstatus"), 1)
			if plan.quotation:
				quotation = f"{self.abbr}-{plan.quotation}"
				self.assertTrue(
					frappe.db.exists("Sales Order Item", {"parent": name, "prevdoc_docname": quotation})
				)
				self.assertEqual(frappe.db.get_value("Quotation", quotation, "status"), "Ordered")
		self.assertGreaterEqual(len(self.plan.contracts), 1)
		for plan in self.plan.contracts:
			contract = frappe.get_doc("Contract", f"{self.abbr}-{plan.key}")
			self.assertEqual(contract.document_name, f"{self.abbr}-{plan.order}")
			self.assertGreater(contract.sr_contract_value, 0)
			self.assertEqual(str(contract.sr_renewal_date), str(plan.renewal))

	# --- dealer network and KPI plan --------------------------------------------------------------------

	def test_dealer_network_mirrors_the_sales_partners(self):
		managers = {territory.name: territory.manager for territory in self.plan.territories}
		for dealer in self.plan.dealers:
			doc = frappe.get_doc("Dealer", dealer.name)
			self.assertEqual(doc.sales_partner, dealer.name)
			self.assertEqual(doc.status, "Active")
			self.assertEqual(doc.territory, dealer.territory)
			self.assertEqual(doc.account_manager, managers.get(dealer.territory))
			self.assertEqual(frappe.db.get_value("Customer", doc.customer, "customer_name"), dealer.customer)
			if dealer.agent:
				self.assertEqual((doc.dealer_level, doc.parent_dealer), ("Provincial Dealer", dealer.agent))
				self.assertIn(doc.dealer_tier, ("Gold", "Silver"))
			else:
				self.assertEqual(
					(doc.dealer_level, doc.parent_dealer, doc.is_group), ("General Agent", None, 1)
				)
				self.assertEqual(doc.dealer_tier, "Platinum")

	def test_kpi_plan(self):
		from dataclasses import replace

		from sales_reengineering.demo import network
		from sales_reengineering.demo.company import prepare_company
		from sales_reengineering.demo.context import Context

		# quarters of 2018 Q4 and 2019 Q1, which no other test plans for
		ctx = Context(
			plan=replace(self.plan, as_of=date(2019, 1, 15)),
			info=prepare_company(COMPANY),
			echo=lambda message: None,
		)
		self.assertEqual(network.quarters(ctx.plan.as_of), [(2018, 4), (2019, 1)])
		network.load_kpi_plan(ctx)
		template = frappe.get_doc("KPI Template", network.kpi_template_name(ctx))
		self.assertEqual(sum(row.weight for row in template.indicators), 100)
		reps = sorted(person.name for person in self.plan.sales_persons if not person.is_group)
		for year, quarter in ((2018, 4), (2019, 1)):
			tasks = frappe.get_all(
				"Sales Task",
				filters={"template": template.name, "year": year, "quarter": str(quarter)},
				fields=["name", "assignee", "docstatus", "workflow_state"],
			)
			self.assertEqual(sorted(task.assignee for task in tasks), reps)
			self.assertEqual({(task.docstatus, task.workflow_state) for task in tasks}, {(1, "Approved")})
			cards = frappe.get_all("KPI Scorecard", filters={"sales_task": ("in", [t.name for t in tasks])})
			self.assertEqual(len(cards), len(reps))
			self.assertTrue(
				frappe.db.exists(
					"Sales Ranking", {"period_type": "Quarter", "period_label": f"{year}-Q{quarter}"}
				)
			)
		self.assertEqual(network.load_kpi_plan(ctx), 0)  # a second run adds nothing

		ctx.kpi_plan = False
		self.assertEqual(
			network.load_kpi_plan(replace(ctx, plan=replace(self.plan, as_of=date(2019, 4, 2)))), 0
		)
		self.assertFalse(
			frappe.db.exists("Sales Task", {"template": template.name, "year": 2019, "quarter": "2"})
		)

	# --- idempotency and rejections --------------------------------------------------------------------

	def test_second_run_adds_nothing(self):
		before = self.counts()
		story_before = {doctype: frappe.db.count(doctype) for doctype in STORY_DOCTYPES}
		self.assertTrue(all(before.values()), before)
		again = load()
		added = {label: count for label, count in again.items() if label not in UNCOUNTED}
		self.assertEqual(sum(added.values()), 0, added)
		self.assertEqual(self.counts(), before)
		self.assertEqual({doctype: frappe.db.count(doctype) for doctype in STORY_DOCTYPES}, story_before)

	def test_stored_plan_matches_the_arguments(self):
		self.assertEqual((self.plan.seed, self.plan.scale), (SEED, SCALE))
		self.assertEqual(self.plan.customers, build_plan(SEED, SCALE, self.plan.as_of).customers)
		self.assertIsNone(get_demo_plan("_Test SR No Such Company"))

	def test_plan_is_deterministic(self):
		day = date(2026, 1, 15)
		first, second = build_plan(7, 0.05, day), build_plan(7, 0.05, day)
		self.assertEqual(first.customers, second.customers)
		self.assertEqual(first.opportunities, second.opportunities)
		self.assertEqual(first.invoices, second.invoices)
		self.assertNotEqual(build_plan(8, 0.05, day).customers, first.customers)

	def test_plan_works_across_the_scale_range(self):
		# above scale 1 a province runs out of names for an industry: the generator names branches
		day = date(2026, 5, 1)
		for scale, end_customers in ((0.001, 5), (1.2, 1200), (MAX_SCALE, 5000)):
			plan = build_plan(SEED, scale, day)
			names = [customer.name for customer in plan.customers]
			self.assertEqual(len(names), len(set(names)), scale)
			self.assertEqual(len([c for c in plan.customers if c.industry]), end_customers)
			self.assertTrue(plan.sell_in_orders and plan.sell_in_invoices, scale)
			demo_dealers = {d.customer for d in plan.dealers if d.key in data.DEMO_DEALERS}
			this_month = {o.customer for o in plan.sell_in_orders if o.date >= day.replace(day=1)}
			self.assertTrue(demo_dealers <= this_month, scale)

	def test_rejects_bad_arguments(self):
		for scale in (0, -1, 5.5, "many"):
			with self.assertRaises(DemoDataError):
				load_demo(scale=scale, company=COMPANY, quiet=True)
		with self.assertRaises(DemoDataError):
			load_demo(seed=SEED, scale=SCALE, company=" ", quiet=True)
		with self.assertRaises(DemoDataError):  # the company already holds the demo of another seed
			load_demo(seed=SEED + 1, scale=SCALE, company=COMPANY, quiet=True)

	def test_command_rejects_bad_input_without_traceback(self):
		runner = CliRunner()
		cases = [
			([], [], "No site given"),
			(["nosuch.localhost"], [], "does not exist"),
			([frappe.local.site], ["--scale", "0"], "Scale must be greater than 0"),
			([frappe.local.site], ["--scale", "6"], "Scale must be greater than 0"),
			([frappe.local.site], ["--password", "short"], "at least 8 characters"),
		]
		for sites, args, message in cases:
			obj = {"sites": sites, "force": False, "verbose": False, "profile": False}
			result = runner.invoke(sr_load_demo, args, obj=obj)
			self.assertEqual(result.exit_code, 1, result.output)
			self.assertIn(message, result.stderr)
			self.assertNotIn("Traceback", result.stderr + result.output)

	# --- the demo users ----------------------------------------------------------------------------------

	def test_demo_users_log_in_with_their_roles_and_links(self):
		from frappe.utils.password import check_password

		from sales_reengineering.scope import for_user
		from sales_reengineering.scope.dealers import get_user_dealer
		from sales_reengineering.scope.people import get_user_sales_persons

		dealers = {dealer.key: dealer.name for dealer in data.DEALERS}
		self.assertEqual(len(users.DEMO_USERS), 8)
		for user in users.DEMO_USERS:
			doc = frappe.get_doc("User", user.email)
			self.assertTrue(doc.enabled, user.email)
			check_password(user.email, users.DEFAULT_PASSWORD)  # raises when the password is another
			roles = set(frappe.get_roles(user.email))
			self.assertTrue(set(user.roles) <= roles, (user.email, roles))
			self.assertIn(user.email, users.created_users())
			if user.dealer:
				self.assertEqual(doc.user_type, "Website User")
				self.assertEqual(get_user_dealer(user.email), dealers[user.dealer])
				self.assertIn("Customer", roles)
				self.assertIn(dealers[user.dealer], for_user(user.email).dealers)
			else:
				self.assertEqual(doc.user_type, "System User")
			if user.sales_person:
				self.assertEqual(get_user_sales_persons(user.email), [user.sales_person])
		# the dealer users: the agent sees its whole branch, the provincial dealer only itself
		agent = for_user(users.USER_BY_KEY[users.AGENT_USER].email)
		dealer = for_user(users.USER_BY_KEY[users.DEALER_USER].email)
		self.assertIn(dealers[data.DEMO_DEALER], agent.dealers)
		self.assertEqual(dealer.dealers, (dealers[data.DEMO_DEALER],))
		# the team manager's scope is his team: his reps, not other regions'
		manager = for_user(users.USER_BY_KEY[users.TEAM_MANAGER].email)
		self.assertIn(data.DEMO_REP, manager.team)
		self.assertNotIn("张伟", manager.team)
		# the end of the run says who to log in as, with which password
		ctx = self.context(password=users.DEFAULT_PASSWORD)
		ctx.users = {user.key: user.email for user in users.DEMO_USERS}
		summary = "\n".join(users.summary(ctx))
		self.assertIn(users.DEFAULT_PASSWORD, summary)
		self.assertTrue(all(user.email in summary for user in users.DEMO_USERS))

	@staticmethod
	def remove_company_permission(user: str, company: str) -> None:
		# the load commits, so the permission the test added is committed too: removed for good
		frappe.db.delete("User Permission", {"user": user, "allow": "Company", "for_value": company})
		frappe.db.commit()  # nosemgrep
		frappe.cache.hdel("user_permissions", user)

	def test_a_user_of_another_company_may_work_in_this_one(self):
		"""ERPNext restricts a login to its Employee's company. Where the demo ran before for another
		company (this test's company is named by month), the rep's opportunities in this one were
		refused with a bare "No permission" and the load stopped: the load lets the user in."""
		email = users.USER_BY_KEY[users.REP].email
		other = frappe.get_all("Company", filters={"name": ("!=", COMPANY)}, pluck="name", limit=1)
		self.assertTrue(other, "the test site holds other companies")
		for name in frappe.get_all(
			"User Permission", filters={"user": email, "allow": "Company", "for_value": COMPANY}, pluck="name"
		):
			frappe.delete_doc("User Permission", name, ignore_permissions=True)
		if not frappe.db.exists(
			"User Permission", {"user": email, "allow": "Company", "for_value": other[0]}
		):
			add_user_permission("Company", other[0], email, ignore_permissions=True)
			self.addCleanup(self.remove_company_permission, email, other[0])
		opportunity = frappe.new_doc("Opportunity", company=COMPANY)
		with users.acting_as(email):
			self.assertFalse(frappe.has_permission("Opportunity", "create", doc=opportunity))
		load()
		with users.acting_as(email):
			self.assertTrue(frappe.has_permission("Opportunity", "create", doc=opportunity))

	def test_command_default_password_is_the_documented_one(self):
		option = next(param for param in sr_load_demo.params if param.name == "password")
		self.assertEqual(option.default, users.DEFAULT_PASSWORD)

	def context(self, **kwargs):
		from sales_reengineering.demo.company import prepare_company
		from sales_reengineering.demo.context import Context

		return Context(plan=self.plan, info=prepare_company(COMPANY), echo=lambda message: None, **kwargs)

	def test_no_users_on_a_site_that_is_not_a_demo(self):
		# the test site has other companies: the command would refuse the users
		reason = users.refusal(COMPANY)
		self.assertIn(users.SITE_CONFIG_KEY, reason)
		ctx = self.context(password="another-password", create_users=None)
		self.assertEqual(users.load_users(ctx), 0)
		self.assertEqual(ctx.users, {})
		self.assertIn("not made", users.summary(ctx)[0])
		self.assertEqual(users.actor(ctx, users.REP), "Administrator")

	def test_never_touches_a_user_the_demo_did_not_make(self):
		import json

		from frappe.utils.password import check_password, update_password

		theirs = users.USER_BY_KEY[users.ASSISTANT].email
		ours = users.USER_BY_KEY[users.TELESALES].email
		try:
			# as if somebody had made the assistant's login before the demo ran
			frappe.db.set_default(
				users.RECORD_KEY, json.dumps([u for u in users.created_users() if u != theirs])
			)
			update_password(theirs, "their-own-secret")
			ctx = self.context(password="another-password", create_users=True)
			users.load_users(ctx)
			self.assertNotIn(theirs, ctx.users.values())
			self.assertIn(ours, ctx.users.values())
			check_password(theirs, "their-own-secret")  # untouched
			check_password(ours, "another-password")  # the demo's own user takes the new password
			self.assertIn(theirs, ctx.users_note)
		finally:
			frappe.db.rollback()

	# --- every module has data -----------------------------------------------------------------------------

	def test_deal_registrations_in_every_state_with_conflicts(self):
		dealers = {dealer.key: dealer.name for dealer in data.DEALERS}
		demo = [dealers[key] for key in data.DEMO_DEALERS]
		rows = frappe.get_all(
			"Deal Registration",
			filters={"dealer": ("in", demo)},
			fields=["name", "status", "dealer", "has_conflict", "protected_until", "owner"],
		)
		states = {row.status for row in rows}
		for state in ("Draft", "Pending Approval", "Approved", "Rejected", "Expired", "Cancelled"):
			self.assertIn(state, states)
		# a conflict between two dealers: the provincial dealer's pending registration of a company
		# the general agent holds a protection for
		conflict = frappe.get_all(
			"Deal Registration Conflict",
			filters={
				"parent": ("in", [row.name for row in rows if row.status == "Pending Approval"]),
				"conflict_type": "Dealer Protection",
				"dealer": dealers[data.DEMO_AGENT],
			},
		)
		self.assertTrue(conflict)
		# and one with the direct sales force, rejected
		self.assertTrue(
			frappe.db.exists(
				"Deal Registration Conflict",
				{
					"parent": ("in", [row.name for row in rows if row.status == "Rejected"]),
					"conflict_type": "Direct Opportunity",
					"sales_person": data.DEMO_REP,
				},
			)
		)
		expired = [row for row in rows if row.status == "Expired"]
		self.assertTrue(all(row.protected_until < getdate() for row in expired))
		portal = users.USER_BY_KEY[users.DEALER_USER].email
		self.assertTrue(any(row.owner == portal for row in rows), "registered through the portal")

	def test_dealers_bought_this_quarter_and_reported_sell_through(self):
		from sales_reengineering.channel.portal import get_dashboard

		dealers = {dealer.key: dealer.name for dealer in data.DEALERS}
		as_of = getdate(self.plan.as_of)
		quarter_start = getdate(get_quarter_start(as_of))
		for key, user in ((data.DEMO_AGENT, users.AGENT_USER), (data.DEMO_DEALER, users.DEALER_USER)):
			customer = frappe.db.get_value("Dealer", dealers[key], "customer")
			bought = frappe.db.sql(
				"""select sum(base_net_total) from `tabSales Invoice`
				where customer=%s and docstatus=1 and posting_date between %s and %s""",
				(customer, quarter_start, as_of),
			)[0][0]
			self.assertGreater(bought or 0, 0, key)
			if quarter_start == getdate(get_quarter_start(getdate())):  # the portal shows today's quarter
				frappe.set_user(users.USER_BY_KEY[user].email)
				try:
					dashboard = get_dashboard(dealers[key])
				finally:
					frappe.set_user("Administrator")
				self.assertGreater(dashboard.purchases, 0, key)
		reports = frappe.get_all("Sell Through Report", filters={"docstatus": 1}, fields=["dealer", "period"])
		mine = [row for row in reports if row.dealer in dealers.values()]
		self.assertTrue(mine)
		for key in data.DEMO_DEALERS:
			self.assertEqual(len({row.period for row in mine if row.dealer == dealers[key]}), 6, key)
		# some months are missing: a dealer that buys has not reported last month, and is reminded of it
		buyers = {dealer.name for dealer in self.plan.dealers if dealer.customer in self.sell_in_customers()}
		last_month = getdate(add_months(getdate(self.plan.as_of).replace(day=1), -1))
		late = buyers - {row.dealer for row in mine if row.period == last_month}
		self.assertTrue(late)
		from_day = frappe.db.get_value(
			"Reminder Rule",
			{"parenttype": "Sales Reengineering Settings", "rule": "Missing Sell Through"},
			"days",
		)
		if from_day and as_of.day >= from_day:  # the reminder starts on that day of the month
			self.assertTrue(
				frappe.db.exists(
					"Sales Reminder Log",
					{"rule": "Missing Sell Through", "reference_name": ("in", list(late))},
				)
			)

	def sell_in_customers(self) -> set[str]:
		return {order.customer for order in self.plan.sell_in_orders}

	def test_price_exception_approved_and_one_waiting(self):
		rows = frappe.get_all(
			"Channel Price Exception",
			filters={"customer": ("in", list(self.customers))},
			fields=["docstatus", "workflow_state", "approved_by", "reference_name"],
		)
		approved = [row for row in rows if row.docstatus == 1]
		self.assertTrue(approved)
		self.assertEqual(approved[0].approved_by, users.USER_BY_KEY[users.SALES_MANAGER].email)
		self.assertEqual(frappe.db.get_value("Quotation", approved[0].reference_name, "docstatus"), 1)
		self.assertIn("Pending Approval", {row.workflow_state for row in rows})

	def test_telesales_calls_with_outcomes_and_conversions(self):
		calls = frappe.get_all(
			"Telesales Call",
			filters={
				"customer": ("in", list(self.customers)),
				"agent": users.USER_BY_KEY[users.TELESALES].email,
			},
			fields=["status", "outcome", "conversion_doctype", "conversion_name"],
		)
		self.assertTrue(calls)
		self.assertTrue([call for call in calls if call.outcome and call.outcome != "Converted"])
		converted = [call for call in calls if call.outcome == "Converted"]
		self.assertTrue(converted)
		self.assertTrue(frappe.db.exists(converted[0].conversion_doctype, converted[0].conversion_name))

	def test_rated_feedback_reports(self):
		reports = frappe.get_all(
			"Info Feedback Report",
			filters={"sales_person": data.DEMO_REP},
			fields=["workflow_state", "quality_rating", "reviewed_by", "owner"],
		)
		states = {row.workflow_state for row in reports}
		self.assertTrue({"Approved", "Rejected", "Submitted", "Draft"} <= states, states)
		rated = [row for row in reports if row.workflow_state == "Approved"]
		self.assertTrue(all(row.quality_rating for row in rated))
		self.assertEqual(rated[0].reviewed_by, users.USER_BY_KEY[users.SALES_MANAGER].email)
		self.assertEqual(rated[0].owner, users.USER_BY_KEY[users.REP].email)

	def test_stuck_opportunities_raised_reminders(self):
		rep, manager = (users.USER_BY_KEY[key].email for key in (users.REP, users.TEAM_MANAGER))
		stuck = frappe.get_all(
			"Sales Reminder Log",
			filters={"rule": "Stuck Opportunity", "recipient": rep},
			pluck="reference_name",
		)
		self.assertTrue(stuck)
		self.assertEqual(frappe.db.get_value("Opportunity", stuck[0], "sr_sales_person"), data.DEMO_REP)
		self.assertTrue(
			frappe.db.exists("Sales Reminder Log", {"rule": "Stuck Opportunity", "recipient": manager})
		)
		self.assertTrue(frappe.db.exists("ToDo", {"allocated_to": rep, "reference_name": stuck[0]}))

	def test_completed_handover_and_contracts_due_for_renewal(self):
		handover = frappe.get_all(
			"Account Handover",
			filters={"to_sales_person": data.DEMO_REP, "docstatus": 1},
			fields=["status", "customers_moved", "from_sales_person"],
		)
		self.assertTrue(handover)
		self.assertEqual(handover[0].status, "Completed")
		self.assertGreater(handover[0].customers_moved, 0)
		self.assertEqual(handover[0].from_sales_person, story.departing_rep(self.context()))
		due = frappe.get_all(
			"Contract",
			filters={
				"party_name": ("in", list(self.customers)),
				"docstatus": ("<", 2),
				"sr_renewal_date": ("between", (self.plan.as_of, add_days(self.plan.as_of, 30))),
			},
			pluck="name",
		)
		self.assertTrue(due)
		assistant = users.USER_BY_KEY[users.ASSISTANT].email
		self.assertTrue(
			frappe.db.exists("Sales Reminder Log", {"rule": "Contract Renewal Due", "recipient": assistant})
		)

	def test_training_records_and_career_plan(self):
		self.assertGreaterEqual(frappe.db.count("Sales Training Record", {"sales_person": data.DEMO_REP}), 2)
		plan = frappe.get_doc("Career Development Plan", {"sales_person": data.DEMO_REP})
		self.assertEqual(plan.status, "Active")
		self.assertTrue(plan.goals)
		self.assertTrue(plan.reviews)
		self.assertGreater(plan.training_hours, 0)
