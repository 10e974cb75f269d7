# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

from unittest.mock import patch

import frappe
from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice as invoice_from_order
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from sales_reengineering.channel.doctype.channel_price_policy.test_channel_price_policy import (
	make_selling_document,
)
from sales_reengineering.channel.report.below_floor_sales.below_floor_sales import execute
from sales_reengineering.exceptions import SalesReengineeringError
from sales_reengineering.tests.factories_channel import (
	make_customer,
	make_dealer,
	make_item,
	make_policy,
	make_website_user,
)
from sales_reengineering.tests.factories_customer_intelligence import make_sales_user
from sales_reengineering.tests.setup import TEST_COMPANY

REP = "_Test SR Rep Beijing"
OTHER_REP = "_Test SR Rep Shanghai"


def submitted(doctype: str, customer: str, rate: float, item: str, **kwargs):
	doc = make_selling_document(doctype, customer, [{"item_code": item, "qty": 2, "rate": rate}], **kwargs)
	doc.submit()
	return doc


class TestBelowFloorSales(FrappeTestCase):
	def setUp(self):
		self.item = make_item()
		self.direct = make_customer(sr_sales_person=REP)
		self.dealer = make_dealer("General Agent")
		# sold before the floors were set (as on a site that had no floor for these items yet)
		self.order_without = submitted("Sales Order", self.direct, 800, self.item)
		self.invoice_without = submitted("Sales Invoice", self.direct, 850, self.item)
		self.dealer_order = submitted("Sales Order", self.dealer.customer, 650, self.item)
		self.at_floor = submitted("Sales Order", self.direct, 900, self.item)
		self.return_invoice = make_selling_document(
			"Sales Invoice",
			self.direct,
			[{"item_code": self.item, "qty": -1, "rate": 100}],
			is_return=1,
			return_against=self.invoice_without.name,
		)
		self.return_invoice.submit()
		make_policy(item_code=self.item, floor_price=900)
		make_policy(item_code=self.item, floor_price=700, channel_level="General Agent")
		# sold below the floor with an approved exception
		self.order_with = make_selling_document(
			"Sales Order", self.direct, [{"item_code": self.item, "qty": 1, "rate": 820}]
		)
		self.exception = frappe.get_doc(
			{
				"doctype": "Channel Price Exception",
				"reference_doctype": "Sales Order",
				"reference_name": self.order_with.name,
				"item_code": self.item,
				"approved_rate": 820,
				"reason": "Tender",
			}
		).insert()
		self.exception.submit()
		self.order_with.reload().submit()
		# invoiced from that order: priced on the order, not listed again
		invoice = invoice_from_order(self.order_with.name)
		invoice.insert(ignore_permissions=True)
		invoice.submit()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def run_report(self, **filters):
		return execute(
			{
				"company": TEST_COMPANY,
				"from_date": add_days(today(), -1),
				"to_date": today(),
				"item_code": self.item,
				**filters,
			}
		)

	def test_lists_the_lines_below_the_floor(self):
		_columns, rows, _message, chart, summary = self.run_report()
		found = {(row.document, row.rate, row.floor, row.channel_level, row.dealer) for row in rows}
		self.assertEqual(
			found,
			{
				(self.order_without.name, 800, 900, "Direct", None),
				(self.invoice_without.name, 850, 900, "Direct", None),
				(self.dealer_order.name, 650, 700, "General Agent", self.dealer.name),
				(self.order_with.name, 820, 900, "Direct", None),
			},
		)
		by_document = {row.document: row for row in rows}
		with_exception = by_document[self.order_with.name]
		self.assertEqual((with_exception.exception, with_exception.approved_rate), (self.exception.name, 820))
		self.assertEqual(with_exception.shortfall, 80)
		self.assertAlmostEqual(with_exception.below_percent, 100 * 80 / 900)
		self.assertIsNone(by_document[self.order_without.name].exception)
		self.assertEqual(by_document[self.order_without.name].shortfall, 200)
		self.assertEqual(by_document[self.order_without.name].sales_person, REP, "the customer's salesperson")
		self.assertEqual(summary[0]["value"], 4)
		self.assertEqual(summary[1]["value"], 3)
		self.assertEqual(summary[2]["value"], 200 + 100 + 100 + 80)
		self.assertTrue(chart)

	def test_nothing_below_the_floor(self):
		item = make_item()
		make_policy(item_code=item, floor_price=900)
		submitted("Sales Order", self.direct, 950, item)
		_columns, rows, _message, chart, summary = self.run_report(item_code=item)
		self.assertEqual(rows, [])
		self.assertIsNone(chart)
		self.assertEqual(summary[0]["value"], 0)

	def test_filters(self):
		documents = lambda **filters: {row.document for row in self.run_report(**filters)[1]}  # noqa: E731
		self.assertEqual(documents(exception="With"), {self.order_with.name})
		self.assertEqual(
			documents(exception="Without"),
			{self.order_without.name, self.invoice_without.name, self.dealer_order.name},
		)
		self.assertEqual(documents(document_type="Sales Invoice"), {self.invoice_without.name})
		self.assertEqual(documents(dealer=self.dealer.name), {self.dealer_order.name})
		self.assertEqual(
			documents(sales_person="_Test SR North Manager"),
			{self.order_without.name, self.invoice_without.name, self.order_with.name},
			"a manager's subtree",
		)
		self.assertEqual(documents(sales_person=OTHER_REP), set())
		self.assertEqual(documents(customer=self.dealer.customer), {self.dealer_order.name})

	def test_bad_filters_are_refused(self):
		for filters in (
			{"company": None},
			{"from_date": None},
			{"to_date": add_days(today(), -5)},
			{"document_type": "Quotation"},
			{"exception": "Maybe"},
		):
			with self.subTest(filters=filters), self.assertRaises(SalesReengineeringError):
				self.run_report(**filters)

	def test_scope(self):
		rep, other = make_sales_user(REP), make_sales_user(OTHER_REP)
		frappe.set_user(rep)
		self.assertEqual(
			{row.document for row in self.run_report()[1]},
			{self.order_without.name, self.invoice_without.name, self.order_with.name},
			"a salesperson sees their own customers' lines, not the dealer's",
		)
		frappe.set_user(other)
		self.assertEqual(self.run_report()[1], [])
		with self.assertRaises(frappe.PermissionError):
			self.run_report(sales_person=REP)

		frappe.set_user("Administrator")
		dealer_user = make_website_user()
		self.dealer.append("portal_users", {"user": dealer_user})
		self.dealer.save()
		frappe.set_user(dealer_user)
		with self.assertRaises(frappe.PermissionError):
			self.run_report()

	def test_queries_do_not_grow_with_the_lines(self):
		def count():
			counter = {"n": 0}
			original = frappe.db.sql

			def counting(*args, **kwargs):
				counter["n"] += 1
				return original(*args, **kwargs)

			with patch.object(frappe.db, "sql", counting):
				rows = self.run_report()[1]
			return counter["n"], len(rows)

		few, lines = count()
		# more sales below the floor, made while the floors were off
		frappe.db.set_value("Channel Price Policy", {"item_code": self.item}, "enabled", 0)
		for _ in range(3):
			submitted("Sales Invoice", make_customer(sr_sales_person=OTHER_REP), 500, self.item)
		frappe.db.set_value("Channel Price Policy", {"item_code": self.item}, "enabled", 1)
		many, more_lines = count()
		self.assertEqual(more_lines, lines + 3)
		self.assertEqual(many, few)
