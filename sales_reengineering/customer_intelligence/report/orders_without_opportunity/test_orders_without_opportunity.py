# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from sales_reengineering.customer_intelligence.report.orders_without_opportunity.orders_without_opportunity import (
	execute,
)
from sales_reengineering.customer_intelligence.tests.test_unreported import quotation, sales_order
from sales_reengineering.exceptions import CustomerIntelligenceError
from sales_reengineering.tests.factories_channel import make_dealer
from sales_reengineering.tests.factories_customer_intelligence import make_customer, make_opportunity, make_team
from sales_reengineering.tests.setup import TEST_COMPANY

PERIOD = {"company": TEST_COMPANY, "from_date": add_days(today(), -7), "to_date": today()}


def submitted(doc):
	doc.submit()
	return doc.name


class TestOrdersWithoutOpportunity(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.team = team = make_team()
		a = make_customer(team.rep_a)
		b = make_customer(team.rep_b)
		dealer_customer = make_dealer().customer
		frappe.db.set_value("Customer", dealer_customer, "sr_sales_person", team.rep_a)
		opportunity = make_opportunity(a, sales_person=team.rep_a).name
		cls.reported_quote = submitted(quotation(a, 5000, opportunity))
		cls.unreported_quote = submitted(quotation(a, 8000))
		cls.order_from_reported = submitted(sales_order(a, 5000, cls.reported_quote))
		cls.order_from_unreported = submitted(sales_order(a, 2000, cls.unreported_quote))
		cls.draft = quotation(a, 9000).name  # drafts are not business yet
		cls.dealer_quote = submitted(quotation(dealer_customer, 7000))  # channel, not direct
		cls.b_quote = submitted(quotation(b, 1000))
		cls.mine = {
			cls.reported_quote,
			cls.unreported_quote,
			cls.order_from_reported,
			cls.order_from_unreported,
			cls.draft,
			cls.dealer_quote,
			cls.b_quote,
		}

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def people(self, **filters) -> dict:
		_columns, data, *_rest = execute({**PERIOD, **filters})
		return {row.sales_person: row for row in data}

	def documents(self, **filters) -> set[str]:
		_columns, data, *_rest = execute({**PERIOD, "by_sales_person": 0, **filters})
		return {row.document for row in data} & self.mine

	def test_by_sales_person_with_amounts_and_share(self):
		people = self.people(sales_person=self.team.manager)
		a = people[self.team.rep_a]
		# without: quotation 8000 + its order 2000; direct: those and the reported 5000 + its order 5000
		self.assertEqual((a.documents, a.amount, a.direct_documents, a.direct_amount), (2, 10000, 4, 20000))
		self.assertEqual(a.share, 50)
		b = people[self.team.rep_b]
		self.assertEqual((b.documents, b.amount, b.share), (1, 1000, 100))

	def test_documents_without_opportunity(self):
		self.assertEqual(
			self.documents(), {self.unreported_quote, self.order_from_unreported, self.b_quote}
		)
		self.assertEqual(self.documents(document_type="Sales Order"), {self.order_from_unreported})
		self.assertEqual(self.documents(min_amount=5000), {self.unreported_quote})

	def test_a_salesperson_sees_only_their_own(self):
		frappe.set_user(self.team.rep_b_user)
		self.assertEqual(self.documents(), {self.b_quote})
		self.assertNotIn(self.team.rep_a, self.people())
		frappe.set_user(self.team.manager_user)
		self.assertEqual(
			self.documents(), {self.unreported_quote, self.order_from_unreported, self.b_quote}
		)

	def test_bad_filters_are_refused(self):
		for filters in (
			{"from_date": today(), "to_date": add_days(today(), -1)},
			{**PERIOD, "document_type": "Sales Invoice"},
			{**PERIOD, "min_amount": -1},
			{"to_date": today()},
		):
			with self.subTest(filters=filters), self.assertRaises(CustomerIntelligenceError):
				execute(filters)
