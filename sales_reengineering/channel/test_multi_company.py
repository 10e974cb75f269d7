"""Multi-company correctness of the channel's figures and the weekly report (issue 14, item 10).

One dealer customer buys from two companies with different currencies this quarter: the test company
(CNY, 2,000) and a second one (USD, 7,000). Every figure must count one company's invoices only: the
dealer portal, the dealer form, the tier review (the company the dealer buys from), the desk's number
card and charts (the chart's company, else the user's default). Added up, each would read 9,000."""

from datetime import datetime
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import today

from sales_reengineering.channel import number_cards, portal, purchases
from sales_reengineering.channel.dashboard_chart_source.top_dealers_by_purchases import (
	top_dealers_by_purchases as top_dealers,
)
from sales_reengineering.channel.doctype.dealer_tier_review.dealer_tier_review import build_proposals
from sales_reengineering.charts import quarter_bounds
from sales_reengineering.customer_intelligence.dashboard_chart_source.net_sales_by_territory import (
	net_sales_by_territory as by_territory,
)
from sales_reengineering.customer_intelligence.report.weekly_sales_report.weekly_sales_report import (
	execute as weekly_sales_report,
)
from sales_reengineering.exceptions import SalesReengineeringError
from sales_reengineering.performance.test_multi_company import (
	OTHER_COMPANY,
	currency,
	invoice,
	make_other_company,
)
from sales_reengineering.tests.factories_channel import make_dealer
from sales_reengineering.tests.factories_customer_intelligence import make_opportunity, make_team
from sales_reengineering.tests.setup import TEST_COMPANY

COMPANIES = (TEST_COMPANY, OTHER_COMPANY)
AMOUNT = {TEST_COMPANY: 2000, OTHER_COMPANY: 7000}


def card(company: str) -> float:
	return number_cards.dealer_purchases_this_quarter({"company": company})["value"]


def territory_sales(company: str) -> dict[str, float]:
	with patch.object(by_territory, "TOP_N", 10**6):
		data = by_territory.get(filters={"company": company})
	return dict(zip(data.get("labels", []), data["datasets"][0]["values"] if data else []))


class TestChannelMultiCompany(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_other_company()
		day = today()
		cls.cards = {company: card(company) for company in COMPANIES}
		cls.territories = {company: territory_sales(company) for company in COMPANIES}
		# two dealers whose customers buy from both companies; each buys from one of them
		cls.dealers = {company: make_dealer(company=company) for company in COMPANIES}
		for dealer in cls.dealers.values():
			for company in COMPANIES:
				invoice(company, dealer.customer, day, AMOUNT[company])

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		super().tearDownClass()

	def test_portal_counts_the_company_the_dealer_buys_from(self):
		for company, dealer in self.dealers.items():
			with self.subTest(company):
				dashboard = portal.get_dashboard(dealer.name)
				self.assertAlmostEqual(dashboard.purchases, AMOUNT[company])
				self.assertAlmostEqual(dashboard.branch_purchases, AMOUNT[company])
				self.assertEqual((dashboard.company, dashboard.currency), (company, currency(company)))

	def test_portal_without_a_company_counts_the_default_one(self):
		dealer = make_dealer()
		# a new dealer takes its creator's default company: this one is from before the field
		frappe.db.set_value("Dealer", dealer.name, "company", None)
		for company in COMPANIES:
			invoice(company, dealer.customer, today(), AMOUNT[company])
		for company in COMPANIES:
			with (
				self.subTest(company),
				patch("sales_reengineering.companies.site_company", return_value=company),
				patch.object(portal, "site_company", return_value=company),
			):
				self.assertAlmostEqual(portal.get_dashboard(dealer.name).purchases, AMOUNT[company])

	def test_dealer_form_counts_the_company_the_dealer_buys_from(self):
		for company, dealer in self.dealers.items():
			with self.subTest(company):
				bought = purchases.get_dealer_purchases(dealer.name)
				self.assertAlmostEqual(bought["this_quarter"], AMOUNT[company])
				self.assertAlmostEqual(bought["last_12_months"], AMOUNT[company])
				self.assertEqual(bought["invoices"], 1)
				self.assertEqual((bought["company"], bought["currency"]), (company, currency(company)))

	def test_tier_review_sell_in_is_the_dealers_company(self):
		first, last, _label = quarter_bounds()
		rows = {row["dealer"]: row for row in build_proposals(first, last, 120, 80)}
		for company, dealer in self.dealers.items():
			with self.subTest(company):
				self.assertAlmostEqual(rows[dealer.name]["sell_in"], AMOUNT[company])

	def test_number_card_counts_one_company(self):
		for company in COMPANIES:
			with self.subTest(company):
				# both dealers bought from each company
				self.assertAlmostEqual(card(company) - self.cards[company], 2 * AMOUNT[company])
		with self.assertRaises(SalesReengineeringError):
			card("_Test SR No Such Company")

	def test_number_card_without_a_filter_takes_the_users_company(self):
		for company in COMPANIES:
			with self.subTest(company), patch("frappe.defaults.get_user_default", return_value=company):
				value = number_cards.dealer_purchases_this_quarter()["value"]
				self.assertAlmostEqual(value - self.cards[company], 2 * AMOUNT[company])

	def test_top_dealers_chart_counts_one_company(self):
		for company in COMPANIES:
			with self.subTest(company), patch.object(top_dealers, "DEALERS", 10**6):
				data = top_dealers.get(filters={"company": company})
				values = dict(zip(data["labels"], data["datasets"][0]["values"]))
				for dealer in self.dealers.values():
					self.assertAlmostEqual(values[dealer.name], AMOUNT[company])

	def test_net_sales_by_territory_counts_one_company(self):
		for company in COMPANIES:
			with self.subTest(company):
				territory = frappe.db.get_value(
					"Sales Invoice", {"customer": self.dealers[company].customer}, "territory"
				)
				before = self.territories[company].get(territory, 0)
				added = territory_sales(company).get(territory, 0) - before
				self.assertAlmostEqual(added, 2 * AMOUNT[company])


class TestWeeklySalesReportCompany(FrappeTestCase):
	def setUp(self):
		make_other_company()
		self.team = make_team()
		rep, user = self.team.rep_a, self.team.rep_a_user
		self.opportunities = {
			company: make_opportunity(sales_person=rep, company=company, currency=currency(company)).name
			for company in COMPANIES
		}
		# one activity about each company's opportunity
		for company, opportunity in self.opportunities.items():
			event = frappe.get_doc(
				{
					"doctype": "Event",
					"subject": f"Visit about {opportunity}",
					"event_category": "Meeting",
					"starts_on": datetime.now(),
					"event_type": "Private",
					"event_participants": [
						{"reference_doctype": "Opportunity", "reference_docname": opportunity}
					],
				}
			).insert(ignore_permissions=True)
			frappe.db.set_value("Event", event.name, "owner", user, update_modified=False)

	def tearDown(self):
		frappe.db.rollback()

	def run_report(self, **filters):
		filters = {"week": today(), "sales_person": self.team.rep_a, **filters}
		_columns, rows, *_rest = weekly_sales_report(filters)
		return rows

	def test_figures_of_one_company(self):
		for company in COMPANIES:
			with self.subTest(company):
				(row,) = self.run_report(company=company)
				self.assertEqual((row.new_opportunities, row.meetings), (1, 1))
				details = self.run_report(company=company, show_details=1)
				self.assertEqual({row.reference_name for row in details}, {self.opportunities[company]})
		(row,) = self.run_report()
		self.assertEqual((row.new_opportunities, row.meetings), (2, 2))
		with self.assertRaises(SalesReengineeringError):
			self.run_report(company="_Test SR No Such Company")

	def test_stage_moves_of_one_company(self):
		from sales_reengineering.tests.factories_customer_intelligence import STAGES

		for opportunity in self.opportunities.values():
			doc = frappe.get_doc("Opportunity", opportunity)
			doc.sales_stage = STAGES[1]
			doc.save(ignore_permissions=True)
		for company in COMPANIES:
			with self.subTest(company):
				(row,) = self.run_report(company=company)
				self.assertEqual(row.stage_moves_up, 1)
		(row,) = self.run_report()
		self.assertEqual(row.stage_moves_up, 2)
