# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import today

from sales_reengineering.channel.report.price_exceptions.price_exceptions import execute
from sales_reengineering.tests.factories_channel import (
	make_customer,
	make_item,
	make_policy,
	make_quotation,
	make_website_user,
)


class TestPriceExceptions(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_lists_approved_exceptions_with_rate_sold(self):
		item, customer = make_item(), make_customer()
		make_policy(item_code=item, floor_price=1000)
		quotation = make_quotation(customer, [{"item_code": item, "qty": 1, "rate": 900}])
		exception = frappe.get_doc(
			{
				"doctype": "Channel Price Exception",
				"reference_doctype": "Quotation",
				"reference_name": quotation.name,
				"item_code": item,
				"approved_rate": 900,
				"reason": "Tender",
			}
		).insert()
		draft_only = frappe.copy_doc(exception).insert()
		exception.submit()
		quotation.reload().submit()

		_columns, rows, _message, _chart, summary = execute(
			{"from_date": today(), "to_date": today(), "item_code": item}
		)
		self.assertEqual([row.name for row in rows], [exception.name])
		self.assertNotIn(draft_only.name, [row.name for row in rows])
		self.assertEqual(
			(rows[0].floor_rate, rows[0].rate_sold, rows[0].below_floor_percent), (1000, 900, 10)
		)
		self.assertEqual(summary[0]["value"], 1)

	def test_invoice_exception_shows_the_invoiced_rate(self):
		from sales_reengineering.channel.doctype.channel_price_policy.test_channel_price_policy import (
			make_selling_document,
		)

		item, customer = make_item(), make_customer()
		make_policy(item_code=item, floor_price=1000)
		invoice = make_selling_document("Sales Invoice", customer, [{"item_code": item, "qty": 2, "rate": 800}])
		exception = frappe.get_doc(
			{
				"doctype": "Channel Price Exception",
				"reference_doctype": "Sales Invoice",
				"reference_name": invoice.name,
				"item_code": item,
				"approved_rate": 800,
				"reason": "Clearance",
			}
		).insert()
		exception.submit()
		invoice.reload().submit()
		rows = execute({"reference_doctype": "Sales Invoice", "item_code": item})[1]
		self.assertEqual(
			[(row.name, row.rate_sold, row.below_floor_percent) for row in rows], [(exception.name, 800, 20)]
		)

	def test_requires_report_permission(self):
		frappe.set_user(make_website_user())
		with self.assertRaises(frappe.PermissionError):
			execute({})
