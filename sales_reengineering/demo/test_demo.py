"""Integration test of the demo data: a tiny scale loaded into its own company on the test site.

The demo commits (it is meant to persist), so the data stays on the test site; a later run of this test
finds it loaded and only checks it again. Masters (territories, sales persons, dealers, customers) are
shared with every other company of the site; transactions belong to `COMPANY`.
"""

from __future__ import annotations

from datetime import date

import frappe
from click.testing import CliRunner
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.commands import sr_load_demo
from sales_reengineering.demo import data
from sales_reengineering.demo.generator import build_plan, credit_code_check_char
from sales_reengineering.demo.loader import UNCOUNTED, get_demo_plan, load_demo
from sales_reengineering.exceptions import DemoDataError

COMPANY = "_Test SR Demo Co"
SEED = 2026
SCALE = 0.02
TRANSACTION_DOCTYPES = ("Opportunity", "Quotation", "Sales Order", "Sales Invoice", "Contract")


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
		cls.first_run = load_demo(
			seed=SEED, scale=SCALE, company=COMPANY, quiet=True, seed_rules=False, kpi_plan=False
		)
		cls.plan = get_demo_plan(COMPANY)
		cls.abbr = frappe.db.get_value("Company", COMPANY, "abbr")

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
		self.assertTrue(all(before.values()), before)
		again = load_demo(
			seed=SEED, scale=SCALE, company=COMPANY, quiet=True, seed_rules=False, kpi_plan=False
		)
		added = {label: count for label, count in again.items() if label not in UNCOUNTED}
		self.assertEqual(sum(added.values()), 0, added)
		self.assertEqual(self.counts(), before)

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
		]
		for sites, args, message in cases:
			obj = {"sites": sites, "force": False, "verbose": False, "profile": False}
			result = runner.invoke(sr_load_demo, args, obj=obj)
			self.assertEqual(result.exit_code, 1, result.output)
			self.assertIn(message, result.stderr)
			self.assertNotIn("Traceback", result.stderr + result.output)
