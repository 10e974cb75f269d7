"""Every script report of the app honours Frappe User Permissions on Company, Territory and Customer in
its base query, as ERPNext's list views do: rows, sums and counts leave out the documents on the other
side, a filter naming a record outside them is refused before anything says whether it exists, and a
user without User Permissions sees both sides.

The data has two sides: the North (Beijing) customer, dealer and documents, and the East (Shanghai)
ones; and invoices, quotations and opportunities in a second company. The users are Sales and Channel
Managers (whom the app's own salesperson scope does not narrow), limited by one User Permission each:
Territory "_Test SR North" (with its descendants), Company "_Test SR Company", or the North customers.
"""

from typing import ClassVar

import frappe
from frappe.permissions import add_user_permission
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import add_days, now_datetime, today

from sales_reengineering.channel.report.deal_registration_conflicts.deal_registration_conflicts import (
	execute as deal_registration_conflicts,
)
from sales_reengineering.channel.report.dealer_performance.dealer_performance import (
	execute as dealer_performance,
)
from sales_reengineering.channel.report.price_exceptions.price_exceptions import execute as price_exceptions
from sales_reengineering.channel.report.sell_through_reconciliation.sell_through_reconciliation import (
	execute as sell_through_reconciliation,
)
from sales_reengineering.customer_intelligence.report.contract_renewals.contract_renewals import (
	execute as contract_renewals,
)
from sales_reengineering.customer_intelligence.report.customer_transaction_history.customer_transaction_history import (
	execute as customer_transaction_history,
)
from sales_reengineering.customer_intelligence.report.customer_transaction_history.test_customer_transaction_history import (
	make_contract,
)
from sales_reengineering.customer_intelligence.report.info_feedback_summary.info_feedback_summary import (
	execute as info_feedback_summary,
)
from sales_reengineering.customer_intelligence.report.stuck_opportunities.stuck_opportunities import (
	execute as stuck_opportunities,
)
from sales_reengineering.customer_intelligence.report.telesales_conversion.telesales_conversion import (
	execute as telesales_conversion,
)
from sales_reengineering.customer_intelligence.report.telesales_conversion.telesales_conversion import (
	repeat_purchase_rate,
)
from sales_reengineering.customer_intelligence.report.weekly_sales_report.weekly_sales_report import (
	execute as weekly_sales_report,
)
from sales_reengineering.exceptions import SalesReengineeringError
from sales_reengineering.performance.ranking import compute_ranking
from sales_reengineering.performance.report.kpi_ranking.kpi_ranking import execute as kpi_ranking
from sales_reengineering.performance.report.scorecard_trend.scorecard_trend import execute as scorecard_trend
from sales_reengineering.performance.report.task_attainment.task_attainment import execute as task_attainment
from sales_reengineering.scope import user_permissions
from sales_reengineering.tests.factories_channel import (
	approve,
	make_customer,
	make_dealer,
	make_item,
	make_policy,
	make_price_list,
	make_registration,
	make_sell_through,
)
from sales_reengineering.tests.factories_customer_intelligence import (
	make_opportunity,
	make_sales_person,
	make_sales_user,
	make_user,
)
from sales_reengineering.tests.factories_performance import (
	NORTH,
	REP_A,
	REP_B,
	SCORED_TEMPLATE,
	make_event,
	make_feedback,
	make_scored_quarter,
	make_telesales_call,
)
from sales_reengineering.tests.setup import TEST_COMPANY

OTHER_COMPANY = "_Test SR Company B"
BEIJING, SHANGHAI = "_Test SR Beijing", "_Test SR Shanghai"
NORTH_TERRITORY, EAST_TERRITORY = "_Test SR North", "_Test SR East"
NOWHERE = "_Test SR Nowhere"
ROLES = ["Sales Manager", "Channel Manager", "Accounts User"]


def make_other_company() -> str:
	if not frappe.db.exists("Company", OTHER_COMPANY):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": OTHER_COMPANY,
				"abbr": "_TSRB",
				"default_currency": "CNY",
				"country": "China",
				"create_chart_of_accounts_based_on": "Standard Template",
				"chart_of_accounts": "Standard",
			}
		).insert(ignore_permissions=True)
	return OTHER_COMPANY


def make_limited_user(tag: str, permissions: list[tuple[str, str]]) -> str:
	"""A Sales and Channel Manager limited by `permissions`: [(doctype, value)], for all doctypes."""
	user = make_user(f"sr-user-permission-{tag}@sr-test.invalid", ROLES)
	for doctype, value in permissions:
		add_user_permission(doctype, value, user, ignore_permissions=True)
	frappe.cache.hdel("user_permissions", user)
	return user


def selling_values(customer: str, company: str) -> dict:
	return {
		"company": company,
		"territory": frappe.db.get_value("Customer", customer, "territory"),
		"currency": "CNY",
		"conversion_rate": 1,
		"selling_price_list": make_price_list(),
		"price_list_currency": "CNY",
		"plc_conversion_rate": 1,
	}


def make_invoice(customer: str, company: str, amount: float, item: str) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": customer,
			"posting_date": today(),
			"set_posting_time": 1,
			"due_date": today(),
			"items": [{"item_code": item, "qty": 1, "rate": amount}],
			**selling_values(customer, company),
		}
	).insert(ignore_permissions=True)
	doc.submit()
	return doc.name


def make_price_exception(customer: str, company: str, item: str) -> str:
	"""A submitted Channel Price Exception on a quotation of `customer` in `company`, 10% below the floor."""
	quotation = frappe.get_doc(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": customer,
			"transaction_date": today(),
			"valid_till": add_days(today(), 30),
			"items": [{"item_code": item, "qty": 1, "rate": 900}],
			**selling_values(customer, company),
		}
	).insert(ignore_permissions=True)
	exception = frappe.get_doc(
		{
			"doctype": "Channel Price Exception",
			"reference_doctype": "Quotation",
			"reference_name": quotation.name,
			"item_code": item,
			"approved_rate": 900,
			"reason": "Tender",
		}
	).insert(ignore_permissions=True)
	exception.submit()
	return exception.name


def make_stuck_opportunity(customer: str, sales_person: str, company: str = TEST_COMPANY) -> str:
	opportunity = make_opportunity(
		customer,
		sales_person=sales_person,
		company=company,
		territory=frappe.db.get_value("Customer", customer, "territory"),
	).name
	moment = add_days(now_datetime(), -30)
	frappe.db.set_value("Opportunity", opportunity, "creation", moment, update_modified=False)
	frappe.db.set_value("Opportunity Stage Log", {"opportunity": opportunity}, "changed_on", moment)
	return opportunity


class UserPermissionTestCase(FrappeTestCase):
	users: dict[str, str]

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		for user in cls.users.values():
			frappe.cache.hdel("user_permissions", user)
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def run_as(self, who: str, report, filters: dict):
		frappe.set_user(self.users[who])
		try:
			return report(filters)
		finally:
			frappe.set_user("Administrator")

	def assert_refused(self, who: str, report, filters: dict, fieldname: str, values: tuple[str, ...]):
		"""The report refuses each of `values` for the filter `fieldname` with a PermissionError, and the
		same message for all of them (a missing record among them): nothing says whether it exists."""
		messages = set()
		for value in values:
			with self.assertRaises(frappe.PermissionError) as refusal:
				self.run_as(who, report, {**filters, fieldname: value})
			messages.add(str(refusal.exception).replace(value, "<value>"))
		self.assertEqual(len(messages), 1, messages)


class TestDocumentReports(UserPermissionTestCase):
	"""The reports over documents: each side's documents drop out of rows and figures."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_other_company()
		cls.item = make_item()
		cls.cust_n = make_customer(territory=BEIJING)
		cls.cust_s = make_customer(territory=SHANGHAI)
		cls.end_n = make_customer(territory=BEIJING)
		cls.end_s = make_customer(territory=SHANGHAI)
		cls.dealer_n = make_dealer(territory=BEIJING, customer=cls.cust_n).name
		cls.dealer_s = make_dealer(territory=SHANGHAI, customer=cls.cust_s).name
		cls.users = {
			"plain": make_limited_user("plain", []),
			"territory": make_limited_user("territory", [("Territory", NORTH_TERRITORY)]),
			"company": make_limited_user("company", [("Company", TEST_COMPANY)]),
			"customer": make_limited_user("customer", [("Customer", cls.cust_n), ("Customer", cls.end_n)]),
		}

		# sell-in: North 1000 (this company) + 400 (the other company), East 2000
		cls.inv_n = make_invoice(cls.cust_n, TEST_COMPANY, 1000, cls.item)
		cls.inv_nb = make_invoice(cls.cust_n, OTHER_COMPANY, 400, cls.item)
		cls.inv_s = make_invoice(cls.cust_s, TEST_COMPANY, 2000, cls.item)
		for dealer, amount in ((cls.dealer_n, 300), (cls.dealer_s, 700)):
			make_sell_through(
				dealer,
				items=[
					{"item_code": cls.item, "qty": 1, "amount": amount, "city": "北京", "stock_on_hand": 1}
				],
			)

		# each dealer is protected for one end customer in the other's territory, and the other dealer's
		# registration of that customer is flagged: won registrations of a dealer on the other side
		protected_n = make_registration(cls.dealer_s, customer=cls.end_n, territory=BEIJING)
		approve(protected_n.name)
		cls.flagged_n = make_registration(cls.dealer_n, customer=cls.end_n, territory=BEIJING).name
		protected_s = make_registration(cls.dealer_n, customer=cls.end_s, territory=SHANGHAI)
		approve(protected_s.name)
		cls.flagged_s = make_registration(cls.dealer_s, customer=cls.end_s, territory=SHANGHAI).name

		cls.pe_item = make_item()
		make_policy(item_code=cls.pe_item, floor_price=1000)
		cls.pe_n = make_price_exception(cls.cust_n, TEST_COMPANY, cls.pe_item)
		cls.pe_nb = make_price_exception(cls.cust_n, OTHER_COMPANY, cls.pe_item)
		cls.pe_s = make_price_exception(cls.cust_s, TEST_COMPANY, cls.pe_item)

		cls.contract_n = make_contract(cls.cust_n, end_date=add_days(today(), 10))
		cls.contract_s = make_contract(cls.cust_s, end_date=add_days(today(), 10))

		cls.sales_person = make_sales_person(f"_Test SR UP Rep {frappe.generate_hash(length=5)}")
		cls.sales_user = make_sales_user(cls.sales_person)
		cls.feedback = {}
		for customer, territory in ((cls.cust_n, BEIJING), (cls.cust_s, SHANGHAI)):
			name = make_feedback(cls.sales_person, today())
			frappe.db.set_value("Info Feedback Report", name, {"territory": territory, "customer": customer})
			cls.feedback[territory] = name

		cls.stuck_n = make_stuck_opportunity(cls.cust_n, cls.sales_person)
		cls.stuck_nb = make_stuck_opportunity(cls.cust_n, cls.sales_person, OTHER_COMPANY)
		cls.stuck_s = make_stuck_opportunity(cls.cust_s, cls.sales_person)

		cls.agent = make_user("sr-user-permission-agent@sr-test.invalid", ["Sales User"])
		make_telesales_call(cls.agent, cls.cust_n, today(), "Not Interested")
		make_telesales_call(cls.agent, cls.cust_s, today(), "Not Interested")

		# this week's opportunities and activities of the salesperson
		for customer, company in (
			(cls.cust_n, TEST_COMPANY),
			(cls.cust_n, OTHER_COMPANY),
			(cls.cust_s, TEST_COMPANY),
		):
			make_opportunity(
				customer,
				sales_person=cls.sales_person,
				company=company,
				territory=frappe.db.get_value("Customer", customer, "territory"),
			)
		for customer in (cls.cust_n, cls.cust_s):
			make_event(cls.sales_user, now_datetime(), ("Customer", customer))

	# --- channel ------------------------------------------------------------------------------------

	def test_dealer_performance(self):
		def figures(who, company=TEST_COMPANY):
			_columns, rows, *_rest = self.run_as(
				who, dealer_performance, {"company": company, "from_date": today(), "to_date": today()}
			)
			return {
				row.dealer: (row.sell_in, row.sell_through, row.won)
				for row in rows
				if row.dealer in (self.dealer_n, self.dealer_s)
			}

		# sell-in is one company's (its currency): North's 400 of the other company count only there
		self.assertEqual(figures("plain"), {self.dealer_n: (1000, 300, 1), self.dealer_s: (2000, 700, 1)})
		self.assertEqual(figures("plain", OTHER_COMPANY)[self.dealer_n], (400, 300, 1))
		# the North dealer's won registration is of an East customer in the East: it no longer counts
		self.assertEqual(figures("territory"), {self.dealer_n: (1000, 300, 0)})
		self.assertEqual(figures("company"), {self.dealer_n: (1000, 300, 1), self.dealer_s: (2000, 700, 1)})
		self.assertEqual(figures("customer"), {self.dealer_n: (1000, 300, 0)})
		# a company outside the User Permissions, existing or not: the same refusal; none at all: refused
		self.assert_refused(
			"company",
			dealer_performance,
			{"from_date": today(), "to_date": today()},
			"company",
			(OTHER_COMPANY, NOWHERE),
		)
		with self.assertRaises(SalesReengineeringError):
			self.run_as("plain", dealer_performance, {"from_date": today(), "to_date": today()})

	def test_sell_through_reconciliation(self):
		def figures(who, **filters):
			_columns, rows, _message, _chart, summary = self.run_as(
				who,
				sell_through_reconciliation,
				{
					"company": TEST_COMPANY,
					"from_date": today(),
					"to_date": today(),
					"item_code": self.item,
					**filters,
				},
			)
			return {row.dealer: (row.sell_in_amount, row.sell_through_amount) for row in rows}, summary[0][
				"value"
			]

		# the sell-in of one company at a time: North's 400 of the other company are not in these
		self.assertEqual(figures("plain"), ({self.dealer_n: (1000, 300), self.dealer_s: (2000, 700)}, 2))
		self.assertEqual(figures("plain", company=OTHER_COMPANY)[0][self.dealer_n], (400, 300))
		self.assertEqual(figures("plain", territory=EAST_TERRITORY), ({self.dealer_s: (2000, 700)}, 1))
		self.assertEqual(figures("territory"), ({self.dealer_n: (1000, 300)}, 1))
		self.assertEqual(figures("company"), ({self.dealer_n: (1000, 300), self.dealer_s: (2000, 700)}, 2))
		self.assertEqual(figures("customer"), ({self.dealer_n: (1000, 300)}, 1))
		# a territory or company outside the User Permissions, existing or not: the same refusal
		self.assert_refused(
			"territory",
			sell_through_reconciliation,
			{"company": TEST_COMPANY, "from_date": today(), "to_date": today()},
			"territory",
			(EAST_TERRITORY, NOWHERE),
		)
		self.assert_refused(
			"company",
			sell_through_reconciliation,
			{"from_date": today(), "to_date": today()},
			"company",
			(OTHER_COMPANY, NOWHERE),
		)

	def test_deal_registration_conflicts(self):
		def flagged(who):
			_columns, rows, _message, _chart, _summary = self.run_as(who, deal_registration_conflicts, {})
			names = {row.registration for row in rows} & {self.flagged_n, self.flagged_s}
			return names

		self.assertEqual(flagged("plain"), {self.flagged_n, self.flagged_s})
		self.assertEqual(flagged("company"), {self.flagged_n, self.flagged_s})
		self.assertEqual(flagged("territory"), {self.flagged_n})
		self.assertEqual(flagged("customer"), {self.flagged_n})

	def test_price_exceptions(self):
		def names(who, **filters):
			_columns, rows, *_rest = self.run_as(
				who,
				price_exceptions,
				{"from_date": today(), "to_date": today(), "item_code": self.pe_item, **filters},
			)
			return {row.name for row in rows}

		self.assertEqual(names("plain"), {self.pe_n, self.pe_nb, self.pe_s})
		self.assertEqual(names("territory"), {self.pe_n, self.pe_nb})
		# the exception has no company: its quotation's counts
		self.assertEqual(names("company"), {self.pe_n, self.pe_s})
		self.assertEqual(names("customer"), {self.pe_n, self.pe_nb})
		self.assertEqual(names("customer", customer=self.cust_n), {self.pe_n, self.pe_nb})
		self.assert_refused("customer", price_exceptions, {}, "customer", (self.cust_s, NOWHERE))
		# the Company filter: the company of the priced document
		self.assertEqual(names("plain", company=OTHER_COMPANY), {self.pe_nb})
		self.assertEqual(names("plain", company=TEST_COMPANY), {self.pe_n, self.pe_s})
		self.assert_refused("company", price_exceptions, {}, "company", (OTHER_COMPANY, NOWHERE))

	# --- customer intelligence ----------------------------------------------------------------------

	def test_contract_renewals(self):
		def contracts(who):
			_columns, rows, _message, _chart, _summary = self.run_as(
				who, contract_renewals, {"days_ahead": 30}
			)
			return {row.contract for row in rows} & {self.contract_n, self.contract_s}

		self.assertEqual(contracts("plain"), {self.contract_n, self.contract_s})
		self.assertEqual(contracts("company"), {self.contract_n, self.contract_s})
		# the customer's territory
		self.assertEqual(contracts("territory"), {self.contract_n})
		self.assertEqual(contracts("customer"), {self.contract_n})

	def test_customer_transaction_history(self):
		def invoices(who, customer, **filters):
			_columns, rows, _message, _chart, summary = self.run_as(
				who,
				customer_transaction_history,
				{"customer": customer, "document_types": "Sales Invoice", **filters},
			)
			invoiced = next(item["value"] for item in summary if item["label"] == "Invoiced")
			return {row.document for row in rows}, invoiced

		self.assertEqual(invoices("plain", self.cust_n), ({self.inv_n, self.inv_nb}, 1400))
		self.assertEqual(invoices("company", self.cust_n), ({self.inv_n}, 1000))
		self.assertEqual(invoices("territory", self.cust_n), ({self.inv_n, self.inv_nb}, 1400))
		self.assertEqual(invoices("customer", self.cust_n), ({self.inv_n, self.inv_nb}, 1400))
		self.assertEqual(invoices("plain", self.cust_s), ({self.inv_s}, 2000))
		self.assertEqual(invoices("plain", self.cust_n, company=OTHER_COMPANY), ({self.inv_nb}, 400))
		self.assertEqual(invoices("plain", self.cust_n, company=TEST_COMPANY), ({self.inv_n}, 1000))
		self.assert_refused(
			"company",
			customer_transaction_history,
			{"customer": self.cust_n, "document_types": "Sales Invoice"},
			"company",
			(OTHER_COMPANY, NOWHERE),
		)
		for who in ("customer", "territory"):
			self.assert_refused(
				who,
				customer_transaction_history,
				{"document_types": "Sales Invoice"},
				"customer",
				(self.cust_s, NOWHERE),
			)

	def test_info_feedback_summary(self):
		def by_territory(who, **filters):
			_columns, rows, _message, _chart, summary = self.run_as(
				who,
				info_feedback_summary,
				{
					"group_by": "Territory",
					"from_date": today(),
					"to_date": today(),
					"sales_person": self.sales_person,
					**filters,
				},
			)
			return {row.group: row.reports for row in rows}, summary[0]["value"]

		self.assertEqual(by_territory("plain"), ({BEIJING: 1, SHANGHAI: 1}, 2))
		self.assertEqual(by_territory("company"), ({BEIJING: 1, SHANGHAI: 1}, 2))
		self.assertEqual(by_territory("territory"), ({BEIJING: 1}, 1))
		self.assertEqual(by_territory("territory", territory=NORTH_TERRITORY), ({BEIJING: 1}, 1))
		self.assertEqual(by_territory("customer"), ({BEIJING: 1}, 1))
		self.assertEqual(by_territory("plain", territory=EAST_TERRITORY), ({SHANGHAI: 1}, 1))
		self.assert_refused(
			"territory",
			info_feedback_summary,
			{"from_date": today(), "to_date": today()},
			"territory",
			(EAST_TERRITORY, NOWHERE),
		)

	def test_stuck_opportunities(self):
		def stuck(who, **filters):
			_columns, rows, _message, _chart, summary = self.run_as(
				who, stuck_opportunities, {"sales_person": self.sales_person, **filters}
			)
			at_stake = next((item["value"] for item in summary if item["label"] == "Amount at Stake"), None)
			return {row.opportunity for row in rows}, at_stake

		# opportunities of two companies have no amount at stake: their amounts are not added up
		self.assertEqual(stuck("plain"), ({self.stuck_n, self.stuck_nb, self.stuck_s}, None))
		self.assertEqual(stuck("territory"), ({self.stuck_n, self.stuck_nb}, None))
		self.assertEqual(stuck("company"), ({self.stuck_n, self.stuck_s}, 2000))
		self.assertEqual(stuck("customer"), ({self.stuck_n, self.stuck_nb}, None))
		self.assertEqual(stuck("plain", territory=EAST_TERRITORY), ({self.stuck_s}, 1000))
		self.assertEqual(stuck("plain", company=TEST_COMPANY), ({self.stuck_n, self.stuck_s}, 2000))
		self.assertEqual(stuck("plain", company=OTHER_COMPANY), ({self.stuck_nb}, 1000))
		self.assertEqual(stuck("customer", company=TEST_COMPANY), ({self.stuck_n}, 1000))
		self.assert_refused("territory", stuck_opportunities, {}, "territory", (EAST_TERRITORY, NOWHERE))
		self.assert_refused("company", stuck_opportunities, {}, "company", (OTHER_COMPANY, NOWHERE))

	def test_telesales_conversion(self):
		def calls(who):
			_columns, rows, _message, _chart, summary = self.run_as(
				who, telesales_conversion, {"from_date": today(), "to_date": today(), "agent": self.agent}
			)
			return [(row.agent, row.calls) for row in rows], summary[0]["value"]

		self.assertEqual(calls("plain"), ([(self.agent, 2)], 2))
		self.assertEqual(calls("customer"), ([(self.agent, 1)], 1))
		# a Telesales Call has no territory or company (its list view is not cut by them either)
		self.assertEqual(calls("territory"), ([(self.agent, 2)], 2))

		# the repeat-purchase rate counts only the customers whose invoices the user may see
		frappe.set_user(self.users["customer"])
		self.assertEqual(repeat_purchase_rate(today(), today()), (1, 0))
		# and, with a company, only that company's invoices
		self.assertEqual(repeat_purchase_rate(today(), today(), OTHER_COMPANY), (1, 0))
		frappe.set_user(self.users["company"])
		self.assertEqual(repeat_purchase_rate(today(), today(), OTHER_COMPANY), (0, 0))

	def test_weekly_sales_report(self):
		def counts(who):
			_columns, rows, *_rest = self.run_as(
				who, weekly_sales_report, {"week": today(), "sales_person": self.sales_person}
			)
			row = next(row for row in rows if row.sales_person == self.sales_person)
			activities = row.visits + row.meetings + row.calls + row.other_activities
			return row.new_opportunities, activities, row.feedback_reports

		def details(who):
			_columns, rows, *_rest = self.run_as(
				who,
				weekly_sales_report,
				{"week": today(), "sales_person": self.sales_person, "show_details": 1},
			)
			return {row.customer for row in rows}

		self.assertEqual(counts("plain"), (3, 2, 2))
		self.assertEqual(counts("territory"), (2, 1, 1))
		self.assertEqual(counts("company"), (2, 2, 2))
		self.assertEqual(counts("customer"), (2, 1, 1))
		self.assertEqual(details("plain"), {self.cust_n, self.cust_s})
		self.assertEqual(details("territory"), {self.cust_n})
		self.assertEqual(details("customer"), {self.cust_n})


class TestPeopleReports(UserPermissionTestCase):
	"""The reports whose rows are people: a Territory permission cuts the Territory tree of Task
	Attainment; the people and their stored scores stay (see scope/user_permissions.py)."""

	FILTERS: ClassVar[dict] = {"period_type": "Quarter", "year": 2026, "period": 3}

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_scored_quarter()
		# A manages Beijing and Shanghai, B Hebei, the North team North
		for territory, manager in (
			(BEIJING, REP_A),
			(SHANGHAI, REP_A),
			("_Test SR Hebei", REP_B),
			(NORTH_TERRITORY, NORTH),
			(EAST_TERRITORY, None),
			("_Test SR Jiangsu", None),
			("_Test SR China", None),
		):
			frappe.db.set_value("Territory", territory, "territory_manager", manager)
		compute_ranking("Quarter", 2026, 3)
		cls.users = {
			"plain": make_limited_user("plain", []),
			"territory": make_limited_user("territory", [("Territory", NORTH_TERRITORY)]),
			"company": make_limited_user("company", [("Company", TEST_COMPANY)]),
		}

	def test_task_attainment_by_territory(self):
		def territories(who, **filters):
			_columns, rows, _message, _chart, summary = self.run_as(
				who,
				task_attainment,
				{**self.FILTERS, "group_by": "Territory", "template": SCORED_TEMPLATE, **filters},
			)
			return {row["territory"]: row["tasks"] for row in rows}, summary[0]["value"]

		rows, _tasks = territories("plain", territory="_Test SR China")
		self.assertEqual(rows["_Test SR China"], 2)
		self.assertIn(SHANGHAI, rows)
		# North's subtree only; A's task counts for Beijing, B's for Hebei
		expected = ({NORTH_TERRITORY: 2, BEIJING: 1, "_Test SR Hebei": 1}, 2)
		self.assertEqual(territories("territory"), expected)
		self.assertEqual(territories("territory", territory=NORTH_TERRITORY), expected)
		self.assert_refused(
			"territory",
			task_attainment,
			{**self.FILTERS, "group_by": "Territory"},
			"territory",
			("_Test SR China", EAST_TERRITORY, NOWHERE),
		)

	def test_task_attainment_by_sales_person(self):
		def people(who):
			_columns, rows, *_rest = self.run_as(
				who, task_attainment, {**self.FILTERS, "sales_person": NORTH}
			)
			return {row["sales_person"]: (row["territories"], row.get("score")) for row in rows}

		plain = people("plain")
		self.assertEqual(set(plain[REP_A][0].split(", ")), {BEIJING, SHANGHAI})
		territory = people("territory")
		# the same people and scores; only the territories column is cut
		self.assertEqual(territory[REP_A], (BEIJING, plain[REP_A][1]))
		self.assertEqual(
			{name: row[1] for name, row in territory.items()}, {n: r[1] for n, r in plain.items()}
		)

	def test_rankings_and_scorecards_are_peoples_figures(self):
		ranking = {"period_type": "Quarter", "year": 2026, "period": 3, "level": "Individuals"}
		trend = {"period_type": "Quarter", "from_date": "2026-01-01", "to_date": "2026-12-31"}
		for report, filters in ((kpi_ranking, ranking), (scorecard_trend, trend)):
			_columns, expected, *_rest = self.run_as("plain", report, filters)
			self.assertTrue(expected)
			for who in ("territory", "company"):
				_columns, rows, *_rest = self.run_as(who, report, filters)
				self.assertEqual(rows, expected)


class TestUserPermissionRules(FrappeTestCase):
	"""The list-view rules `scope.user_permissions` follows: Applicable For, Hide Descendants, and empty
	values passing unless Apply Strict User Permissions is set."""

	def setUp(self):
		self.user = make_limited_user("rules", [])
		self.sales_person = make_sales_person(f"_Test SR UP Rules {frappe.generate_hash(length=5)}")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.cache.hdel("user_permissions", self.user)
		frappe.db.rollback()

	def permit(self, doctype: str, value: str, **kwargs):
		add_user_permission(doctype, value, self.user, ignore_permissions=True, **kwargs)
		frappe.cache.hdel("user_permissions", self.user)

	def feedback_count(self) -> int:
		frappe.set_user(self.user)
		try:
			_columns, _rows, _message, _chart, summary = info_feedback_summary(
				{"from_date": today(), "to_date": today(), "sales_person": self.sales_person}
			)
		finally:
			frappe.set_user("Administrator")
		return summary[0]["value"]

	def test_applicable_for_limits_only_that_doctype(self):
		self.permit("Territory", NORTH_TERRITORY, applicable_for="Sales Invoice")
		self.assertIsNone(user_permissions.allowed_values("Territory", self.user, "Opportunity"))
		self.assertIn(BEIJING, user_permissions.allowed_values("Territory", self.user, "Sales Invoice"))
		# a filter of another doctype's report is not refused
		user_permissions.check_filters(
			{"territory": EAST_TERRITORY}, {"territory": "Territory"}, self.user, "Opportunity"
		)
		with self.assertRaises(frappe.PermissionError):
			user_permissions.check_filters(
				{"territory": EAST_TERRITORY}, {"territory": "Territory"}, self.user, "Sales Invoice"
			)

	def test_hide_descendants(self):
		self.permit("Territory", NORTH_TERRITORY, hide_descendants=1)
		self.assertEqual(user_permissions.allowed_values("Territory", self.user), [NORTH_TERRITORY])

	def test_an_empty_value_passes_unless_strict(self):
		self.permit("Territory", NORTH_TERRITORY)
		for territory in (BEIJING, SHANGHAI, None):
			name = make_feedback(self.sales_person, today())
			frappe.db.set_value("Info Feedback Report", name, "territory", territory)
		self.assertEqual(self.feedback_count(), 2)
		with change_settings("System Settings", apply_strict_user_permissions=1):
			self.assertEqual(self.feedback_count(), 1)
