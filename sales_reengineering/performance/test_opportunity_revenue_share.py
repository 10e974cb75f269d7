"""The built-in indicator Revenue Reported Through Opportunities: the share of a salesperson's net sales
billed from orders of an opportunity's quotation."""

import frappe
from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.performance import indicators
from sales_reengineering.tests.factories_customer_intelligence import make_opportunity, make_team
from sales_reengineering.tests.factories_performance import make_customer, make_invoice, make_item
from sales_reengineering.tests.setup import TEST_COMPANY

KEY = "opportunity_revenue_share"
Q3 = ("2026-07-01", "2026-09-30")


def order(customer: str, amount: float, team: list[tuple[str, float]], on: str, opportunity: str | None):
	"""A submitted Sales Order made from a submitted Quotation (of `opportunity`, or of none)."""
	quotation = frappe.get_doc(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": customer,
			"opportunity": opportunity,
			"company": TEST_COMPANY,
			"currency": "CNY",
			"transaction_date": on,
			"valid_till": on,
			"items": [{"item_code": make_item(), "qty": 1, "rate": amount}],
		}
	).insert(ignore_permissions=True)
	quotation.submit()
	doc = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": customer,
			"company": TEST_COMPANY,
			"currency": "CNY",
			"transaction_date": on,
			"delivery_date": on,
			"items": [
				{
					"item_code": make_item(),
					"qty": 1,
					"rate": amount,
					"delivery_date": on,
					"prevdoc_docname": quotation.name,
				}
			],
			"sales_team": [{"sales_person": p, "allocated_percentage": share} for p, share in team],
		}
	).insert(ignore_permissions=True)
	doc.submit()
	return doc.name


def bill(sales_order: str, on: str, submit: bool = True):
	invoice = make_sales_invoice(sales_order)
	invoice.update({"posting_date": on, "set_posting_time": 1, "due_date": on})
	invoice.insert(ignore_permissions=True)
	if submit:
		invoice.submit()
	return invoice


class TestOpportunityRevenueShare(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.team = team = make_team(with_users=False)
		a, b = team.rep_a, team.rep_b
		tag = frappe.generate_hash(length=6)
		customer = make_customer(f"_Test SR Share {tag}")
		reported = make_opportunity(customer, sales_person=a).name
		shared = make_opportunity(customer, sales_person=a).name
		# A: 1000 from an opportunity's order + 3000 direct + half of 2000 from an opportunity's order
		cls.reported = bill(order(customer, 1000, [(a, 100)], "2026-08-01", reported), "2026-08-10").name
		cls.direct_a = make_invoice(customer, "2026-08-11", 3000, [(a, 100)]).name
		cls.shared = bill(order(customer, 2000, [(a, 50), (b, 50)], "2026-08-02", shared), "2026-08-12").name
		# B: 500 direct + 500 from an order whose quotation names no opportunity + half of the shared one
		cls.direct_b = make_invoice(customer, "2026-08-13", 500, [(b, 100)]).name
		cls.unreported = bill(order(customer, 500, [(b, 100)], "2026-08-03", None), "2026-08-14").name
		# out: a cancelled invoice of an opportunity's order, one after the quarter, a draft
		cancelled = bill(order(customer, 9000, [(b, 100)], "2026-08-04", shared), "2026-08-15")
		cancelled.cancel()
		bill(order(customer, 9000, [(b, 100)], "2026-10-01", shared), "2026-10-02")
		bill(order(customer, 9000, [(b, 100)], "2026-08-05", shared), "2026-08-16", submit=False)

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		super().tearDownClass()

	def test_share_per_salesperson_in_one_query(self):
		a, b = self.team.rep_a, self.team.rep_b
		builtin = indicators.BUILT_INS[KEY]
		with self.assertQueryCount(1):
			values = builtin.compute([a, b, self.team.manager], *Q3)
		# A: (1000 + 1000) / (1000 + 3000 + 1000); B: 1000 / (500 + 500 + 1000); the manager sold nothing
		self.assertEqual(set(values), {a, b})
		self.assertAlmostEqual(values[a], 40.0, places=4)
		self.assertAlmostEqual(values[b], 50.0, places=4)
		self.assertEqual(builtin.compute([a, b], "2026-04-01", "2026-06-30"), {})

	def test_drilldown_lists_the_invoices_of_the_total(self):
		names = indicators.BUILT_INS[KEY].document_names([self.team.rep_b], *Q3, limit=10)
		self.assertEqual(names, sorted([self.shared, self.direct_b, self.unreported]))

	def test_shipped_record_can_be_weighted(self):
		builtin = indicators.BUILT_INS[KEY]
		self.assertEqual((builtin.unit, builtin.rollup, builtin.higher_is_better), ("Percent", "Average", True))
		record = frappe.get_doc("KPI Indicator", builtin.label)
		self.assertEqual((record.source, record.builtin_key), ("Built-in", KEY))
		self.assertAlmostEqual(record.compute([self.team.rep_a], *Q3)[self.team.rep_a], 40.0, places=4)
