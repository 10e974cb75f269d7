"""Unreported projects: a large direct-sales quotation or order must come from an opportunity."""

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import add_days, today

from sales_reengineering.customer_intelligence import unreported
from sales_reengineering.exceptions import InvalidSettingError, OpportunityRequiredError
from sales_reengineering.tests.factories_channel import make_dealer
from sales_reengineering.tests.factories_customer_intelligence import make_customer, make_opportunity
from sales_reengineering.tests.factories_performance import make_item
from sales_reengineering.tests.setup import TEST_COMPANY

SETTINGS = "Sales Reengineering Settings"
RULE_ON = {"require_opportunity": 1, "opportunity_required_above": 5000}


def quotation(customer: str, rate: float, opportunity: str | None = None, **kwargs):
	return frappe.get_doc(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": customer,
			"opportunity": opportunity,
			"company": TEST_COMPANY,
			"currency": "CNY",
			"transaction_date": today(),
			"valid_till": add_days(today(), 30),
			"items": [{"item_code": make_item(), "qty": 1, "rate": rate}],
			**kwargs,
		}
	).insert(ignore_permissions=True)


def sales_order(customer: str, rate: float, from_quotation: str | None = None):
	return frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": customer,
			"company": TEST_COMPANY,
			"currency": "CNY",
			"transaction_date": today(),
			"delivery_date": add_days(today(), 7),
			"items": [
				{
					"item_code": make_item(),
					"qty": 1,
					"rate": rate,
					"delivery_date": add_days(today(), 7),
					"prevdoc_docname": from_quotation,
				}
			],
		}
	).insert(ignore_permissions=True)


class TestUnreportedProjects(FrappeTestCase):
	def setUp(self):
		self.customer = make_customer()

	def tearDown(self):
		frappe.db.rollback()

	@change_settings(SETTINGS, RULE_ON)
	def test_large_direct_quotation_without_opportunity_is_refused_on_submit(self):
		doc = quotation(self.customer, 8000)  # the draft saves
		self.assertEqual(doc.docstatus, 0)
		with self.assertRaises(OpportunityRequiredError) as refused:
			doc.submit()
		self.assertIn(doc.name, str(refused.exception))
		self.assertIn(self.customer, str(refused.exception))
		self.assertEqual(frappe.db.get_value("Quotation", doc.name, "docstatus"), 0)

	@change_settings(SETTINGS, RULE_ON)
	def test_what_passes(self):
		opportunity = make_opportunity(self.customer).name
		cases = {
			"from an opportunity": quotation(self.customer, 8000, opportunity),
			"at the amount": quotation(self.customer, 5000),
			"below the amount": quotation(self.customer, 100),
			"to a dealer's customer": quotation(make_dealer().customer, 8000),
		}
		for case, doc in cases.items():
			with self.subTest(case=case):
				doc.submit()
				self.assertEqual(doc.docstatus, 1)

	@change_settings(SETTINGS, RULE_ON)
	def test_sales_order_follows_its_quotation(self):
		opportunity = make_opportunity(self.customer).name
		reported = quotation(self.customer, 8000, opportunity)
		reported.submit()
		unreported_quote = quotation(self.customer, 4000)  # small enough to submit
		unreported_quote.submit()

		order = sales_order(self.customer, 8000, reported.name)
		order.submit()
		self.assertEqual(order.docstatus, 1)
		for source in (None, unreported_quote.name):
			with self.subTest(quotation=source), self.assertRaises(OpportunityRequiredError):
				sales_order(self.customer, 8000, source).submit()

	def test_off_by_default_and_per_doctype(self):
		quotation(self.customer, 8000).submit()  # the shipped default: off
		with change_settings(SETTINGS, {**RULE_ON, "opportunity_required_for": "Sales Order"}):
			quotation(self.customer, 8000).submit()
			with self.assertRaises(OpportunityRequiredError):
				sales_order(self.customer, 8000).submit()
		with change_settings(SETTINGS, {**RULE_ON, "opportunity_required_for": "Quotation"}):
			sales_order(self.customer, 8000).submit()
			with self.assertRaises(OpportunityRequiredError):
				quotation(self.customer, 8000).submit()

	@change_settings(SETTINGS, RULE_ON)
	def test_draft_is_saved_with_a_warning(self):
		def warnings():
			return [m for m in frappe.get_message_log() if m.get("title") == "Opportunity Required"]

		frappe.clear_messages()
		quotation(self.customer, 8000)
		self.assertEqual(len(warnings()), 1)
		frappe.clear_messages()
		quotation(self.customer, 100)
		self.assertFalse(warnings())

	def test_negative_threshold_is_refused(self):
		settings = frappe.get_doc(SETTINGS)
		settings.opportunity_required_above = -1
		with self.assertRaises(InvalidSettingError):
			settings.save()

	def test_rule_reads_settings(self):
		with change_settings(SETTINGS, RULE_ON):
			rule = unreported.get_rule()
			self.assertEqual((rule.threshold, rule.doctypes), (5000, ("Quotation", "Sales Order")))
		with change_settings(SETTINGS, {"require_opportunity": 0}):
			self.assertIsNone(unreported.get_rule())
