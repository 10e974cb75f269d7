"""Multi-company correctness (issue 14, item 10): an indicator of a Sales Task counts the documents of the
task's company only; a task without a company is refused.

Two companies with different currencies: the app's test company (CNY) and a second one (USD) made here.
One salesperson sells in both, so an indicator that added up across companies would mix yuan and
dollars; each company's value must be its own."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import (
	InvalidSalesTaskError,
	OverlappingSalesTaskError,
	SalesReengineeringError,
)
from sales_reengineering.performance import indicators
from sales_reengineering.performance.scorecard import evaluate_tasks
from sales_reengineering.tests.factories_channel import make_dealer
from sales_reengineering.tests.factories_customer_intelligence import make_opportunity, make_team
from sales_reengineering.tests.factories_performance import (
	make_customer,
	make_indicator,
	make_item,
	make_payment,
	make_task,
	make_template,
)
from sales_reengineering.tests.setup import TEST_COMPANY

OTHER_COMPANY = "_Test SR Company USD"
Q3 = ("2026-07-01", "2026-09-30")


def make_other_company() -> str:
	"""A second company in another currency (idempotent: kept between runs like the test company)."""
	if not frappe.db.exists("Company", OTHER_COMPANY):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": OTHER_COMPANY,
				"abbr": "_TSRU",
				"default_currency": "USD",
				"country": "United States",
				"create_chart_of_accounts_based_on": "Standard Template",
				"chart_of_accounts": "Standard",
			}
		).insert(ignore_permissions=True)
	return OTHER_COMPANY


def currency(company: str) -> str:
	return frappe.get_cached_value("Company", company, "default_currency")


def invoice(company: str, customer: str, on: str, amount: float, team: list[tuple[str, float]] | None = None):
	doc = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": company,
			"customer": customer,
			"posting_date": on,
			"set_posting_time": 1,
			"due_date": on,
			"currency": currency(company),
			"items": [{"item_code": make_item(), "qty": 1, "rate": amount}],
			"sales_team": [{"sales_person": p, "allocated_percentage": share} for p, share in team or []],
		}
	).insert(ignore_permissions=True)
	doc.submit()
	return doc.name


def won_opportunity(company: str, customer: str, person: str, on: str) -> str:
	"""An opportunity of `company` won by a Sales Order of the same company made from its quotation."""
	opportunity = make_opportunity(
		customer, sales_person=person, company=company, currency=currency(company), transaction_date=on
	).name
	common = {"company": company, "currency": currency(company), "transaction_date": on}
	quotation = frappe.get_doc(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": customer,
			"opportunity": opportunity,
			"valid_till": on,
			"items": [{"item_code": make_item(), "qty": 1, "rate": 100}],
			**common,
		}
	).insert(ignore_permissions=True)
	quotation.submit()
	frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": customer,
			"delivery_date": on,
			"items": [
				{
					"item_code": make_item(),
					"qty": 1,
					"rate": 100,
					"delivery_date": on,
					"prevdoc_docname": quotation.name,
				}
			],
			**common,
		}
	).insert(ignore_permissions=True).submit()
	return opportunity


class TestMultiCompany(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_other_company()
		cls.team = team = make_team(with_users=False)
		a = team.rep_a
		tag = frappe.generate_hash(length=6)
		cls.customer = customer = make_customer(f"_Test SR Two Companies {tag}", a)
		# the test company: a first invoice in Q2, so the customer is a repeat customer there in Q3
		invoice(TEST_COMPANY, customer, "2026-05-10", 300, [(a, 100)])
		cls.own = {
			TEST_COMPANY: invoice(TEST_COMPANY, customer, "2026-08-10", 1000, [(a, 100)]),
			OTHER_COMPANY: invoice(OTHER_COMPANY, customer, "2026-08-11", 5000, [(a, 100)]),
		}
		cls.payments = {company: make_payment(name, "2026-08-20").name for company, name in cls.own.items()}
		cls.won = {company: won_opportunity(company, customer, a, "2026-08-05") for company in cls.own}
		# a dealer whose customer buys from both companies; rep A is its account manager
		cls.dealer = make_dealer(account_manager=a)
		invoice(TEST_COMPANY, cls.dealer.customer, "2026-08-12", 2000)
		invoice(OTHER_COMPANY, cls.dealer.customer, "2026-08-13", 7000)

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		super().tearDownClass()

	def values(self, key: str, party: str, company: str | None):
		return indicators.BUILT_INS[key].compute([party], *Q3, company=company).get(party)

	def test_money_indicators_count_only_the_company(self):
		a = self.team.rep_a
		expected = {
			# key: (test company, other company), each in its own currency
			"net_sales": (1000, 5000),
			"collections": (1000, 5000),
			"dealer_sell_in": (2000, 7000),
		}
		for key, (own, other) in expected.items():
			with self.subTest(key):
				self.assertAlmostEqual(self.values(key, a, TEST_COMPANY), own)
				self.assertAlmostEqual(self.values(key, a, OTHER_COMPANY), other)
		self.assertAlmostEqual(self.values("dealer_purchases", self.dealer.name, TEST_COMPANY), 2000)
		self.assertAlmostEqual(self.values("dealer_purchases", self.dealer.name, OTHER_COMPANY), 7000)

	def test_counts_per_company(self):
		a = self.team.rep_a
		# first bought from the test company in Q2: repeat there, new to the other company in Q3
		self.assertIsNone(self.values("new_customers", a, TEST_COMPANY))
		self.assertEqual(self.values("new_customers", a, OTHER_COMPANY), 1)
		self.assertEqual(self.values("repeat_customers", a, TEST_COMPANY), 1)
		self.assertIsNone(self.values("repeat_customers", a, OTHER_COMPANY))
		for company in (TEST_COMPANY, OTHER_COMPANY):
			self.assertEqual(self.values("opportunities_won", a, company), 1)

	def test_drilldown_lists_the_company_documents(self):
		a = self.team.rep_a
		for company in (TEST_COMPANY, OTHER_COMPANY):
			with self.subTest(company):
				net = indicators.BUILT_INS["net_sales"].document_names([a], *Q3, 10, company=company)
				self.assertIn(self.own[company], net)
				self.assertNotIn(self.own[OTHER_COMPANY if company == TEST_COMPANY else TEST_COMPANY], net)
				won = indicators.BUILT_INS["opportunities_won"].document_names([a], *Q3, 10, company=company)
				self.assertEqual(won, [self.won[company]])
				paid = indicators.BUILT_INS["collections"].document_names([a], *Q3, 10, company=company)
				self.assertEqual(paid, [self.payments[company]])

	def test_one_grouped_query_per_indicator_and_company(self):
		builtin = indicators.BUILT_INS["net_sales"]
		people = [self.team.rep_a, self.team.rep_b]
		with self.assertQueryCount(1):
			builtin.compute(people, *Q3, company=OTHER_COMPANY)

	def test_custom_indicator_filters_a_doctype_with_a_company(self):
		indicator = make_indicator(
			"_Test SR Opportunities Opened",
			source="Custom",
			unit="Count",
			ref_doctype="Opportunity",
			date_field="transaction_date",
			person_field="sr_sales_person",
			aggregate="Count",
			description="Opportunities opened in the period.",
		)
		a = self.team.rep_a
		self.assertEqual(indicator.compute([a], *Q3, TEST_COMPANY), {a: 1})
		self.assertEqual(indicator.compute([a], *Q3, OTHER_COMPANY), {a: 1})
		self.assertEqual(indicator.compute([a], *Q3), {a: 2})

	def test_a_salesperson_gets_a_scorecard_per_company(self):
		net_sales = indicators.BUILT_INS["net_sales"].label
		template = make_template(
			f"_Test SR Two Companies {frappe.generate_hash(length=6)}", [(net_sales, 100, 1000)]
		)
		a, manager = self.team.rep_a, self.team.manager
		tasks = {
			company: make_task(a, template.name, company=company, approve=True).name
			for company in (TEST_COMPANY, OTHER_COMPANY)
		}
		team_task = make_task(manager, template.name, company=OTHER_COMPANY, approve=True).name
		evaluated = {item.task.name: item for item in evaluate_tasks([*tasks.values(), team_task])}
		self.assertAlmostEqual(evaluated[tasks[TEST_COMPANY]].actuals[net_sales], 1000)
		self.assertAlmostEqual(evaluated[tasks[OTHER_COMPANY]].actuals[net_sales], 5000)
		# the team adds up its members' sales of its own company only
		self.assertAlmostEqual(evaluated[team_task].actuals[net_sales], 5000)
		cards = frappe.get_all(
			"KPI Scorecard",
			filters={"sales_task": ("in", list(tasks.values()))},
			fields=["sales_task", "company"],
		)
		self.assertEqual({card.sales_task: card.company for card in cards}, {v: k for k, v in tasks.items()})
		# the same template and period again in one company is still an overlap
		with self.assertRaises(OverlappingSalesTaskError):
			make_task(a, template.name, company=OTHER_COMPANY)

	def test_task_reports_filter_by_company(self):
		from sales_reengineering.performance.report.scorecard_trend.scorecard_trend import (
			execute as scorecard_trend,
		)
		from sales_reengineering.performance.report.task_attainment.task_attainment import (
			execute as task_attainment,
		)

		net_sales = indicators.BUILT_INS["net_sales"].label
		template = make_template(
			f"_Test SR Reports {frappe.generate_hash(length=6)}", [(net_sales, 100, 1000)]
		)
		a = self.team.rep_a
		tasks = {
			company: make_task(a, template.name, company=company, approve=True).name
			for company in (TEST_COMPANY, OTHER_COMPANY)
		}
		for company in (TEST_COMPANY, OTHER_COMPANY):
			with self.subTest(company):
				filters = {"sales_person": a, "template": template.name, "company": company}
				_columns, rows, *_rest = task_attainment({"year": 2026, "period": 3, **filters})
				self.assertEqual({row.get("sales_task") for row in rows} - {None}, {tasks[company]})
				_columns, rows, *_rest = scorecard_trend({"from_date": Q3[0], "to_date": Q3[1], **filters})
				self.assertEqual([(row.name, row.company) for row in rows], [(tasks[company], company)])
		# without a company, both; a company that does not exist is refused
		_columns, rows, *_rest = scorecard_trend({"sales_person": a, "template": template.name})
		self.assertEqual({row.name for row in rows}, set(tasks.values()))
		with self.assertRaises(SalesReengineeringError):
			task_attainment({"year": 2026, "period": 3, "company": "_Test SR No Such Company"})

	def test_a_task_without_company_is_refused(self):
		net_sales = indicators.BUILT_INS["net_sales"].label
		template = make_template(
			f"_Test SR No Company {frappe.generate_hash(length=6)}", [(net_sales, 100, 1000)]
		)
		with self.assertRaises(frappe.LinkValidationError):
			make_task(self.team.rep_b, template.name, company="_Test SR No Such Company")
		self.assertFalse(frappe.db.exists("Sales Task", {"template": template.name}))
		task = make_task(self.team.rep_b, template.name)
		path = "sales_reengineering.performance.doctype.sales_task.sales_task.default_company"
		task.company = None
		with patch(path, return_value=None), self.assertRaises(InvalidSalesTaskError):
			task.save()
		self.assertEqual(frappe.db.get_value("Sales Task", task.name, "company"), TEST_COMPANY)
		# without a company chosen, the default one is taken
		task.reload()
		task.company = None
		with patch(path, return_value=OTHER_COMPANY):
			task.save()
		self.assertEqual(frappe.db.get_value("Sales Task", task.name, "company"), OTHER_COMPANY)


class TestSalesTaskCompanyPatch(FrappeTestCase):
	"""patch v0_1.sales_task_company: an old task takes its salesperson's company (Sales Person ->
	Employee -> Company), else the site's default company."""

	def tearDown(self):
		frappe.db.rollback()

	def test_old_tasks_take_the_salespersons_company(self):
		from sales_reengineering.patches.v0_1 import sales_task_company

		make_other_company()
		team = make_team()
		net_sales = indicators.BUILT_INS["net_sales"].label
		template = make_template(
			f"_Test SR Old Tasks {frappe.generate_hash(length=6)}", [(net_sales, 100, 1)]
		)
		employee = frappe.db.get_value("Sales Person", team.rep_a, "employee")
		self.assertTrue(employee)
		frappe.db.set_value("Employee", employee, "company", OTHER_COMPANY)
		frappe.db.set_value("Sales Person", team.rep_b, "employee", None)  # no employee: the site's
		tasks = {person: make_task(person, template.name).name for person in (team.rep_a, team.rep_b)}
		frappe.db.set_value("Sales Task", {"name": ("in", list(tasks.values()))}, "company", None)
		site = frappe.db.get_single_value("Global Defaults", "default_company")
		if not site:
			site = frappe.db.get_value("Company", {}, "name", order_by="creation asc")
		with patch("frappe.reload_doc"), self.assertQueryCount(10):
			sales_task_company.execute()
		companies = {
			person: frappe.db.get_value("Sales Task", name, "company") for person, name in tasks.items()
		}
		self.assertEqual(companies, {team.rep_a: OTHER_COMPANY, team.rep_b: site})
