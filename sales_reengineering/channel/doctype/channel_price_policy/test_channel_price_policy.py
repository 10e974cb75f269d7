# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from erpnext.selling.doctype.sales_order.sales_order import make_sales_invoice as invoice_from_order
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from sales_reengineering.channel.pricing import block_below_floor, get_channel_level, get_price_violations
from sales_reengineering.exceptions import ChannelPricePolicyError, PriceBelowFloorError
from sales_reengineering.tests.factories_channel import (
	make_customer,
	make_dealer,
	make_item,
	make_policy,
	make_price_list,
	make_quotation,
)
from sales_reengineering.tests.setup import TEST_COMPANY


def make_selling_document(doctype: str, customer: str, items: list[dict], **kwargs):
	"""A draft Sales Order or Sales Invoice in CNY at the given rates."""
	doc = frappe.get_doc(
		{
			"doctype": doctype,
			"customer": customer,
			"company": TEST_COMPANY,
			"transaction_date": today(),
			"posting_date": today(),
			"delivery_date": add_days(today(), 10),
			"due_date": add_days(today(), 30),
			"currency": "CNY",
			"conversion_rate": 1,
			"selling_price_list": make_price_list(),
			"price_list_currency": "CNY",
			"plc_conversion_rate": 1,
			"items": items,
			**kwargs,
		}
	)
	return doc.insert(ignore_permissions=True)


class TestChannelPricePolicy(FrappeTestCase):
	def setUp(self):
		self.item = make_item()
		self.customer = make_customer()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_invalid_policies(self):
		group = frappe.db.get_value("Item", self.item, "item_group")
		cases = {
			"item and group": {"item_code": self.item, "item_group": group, "floor_price": 10},
			"neither": {"floor_price": 10},
			"no floor": {"item_code": self.item, "floor_price": 0},
			"discount 100%": {"item_code": self.item, "policy_type": "Maximum Discount", "max_discount": 100},
			"dates reversed": {
				"item_code": self.item,
				"floor_price": 10,
				"valid_from": today(),
				"valid_to": add_days(today(), -1),
			},
		}
		for label, values in cases.items():
			with self.subTest(label), self.assertRaises(ChannelPricePolicyError):
				make_policy(**values)

	def test_overlapping_policies(self):
		make_policy(item_code=self.item, floor_price=900, valid_to=add_days(today(), 10))
		with self.assertRaises(ChannelPricePolicyError):
			make_policy(item_code=self.item, floor_price=800, valid_from=add_days(today(), 5))
		# another level, a later period or a disabled policy do not overlap
		make_policy(item_code=self.item, floor_price=800, channel_level="General Agent")
		make_policy(item_code=self.item, floor_price=800, valid_from=add_days(today(), 11))
		make_policy(item_code=self.item, floor_price=800, enabled=0)

	def test_channel_level_of_customer(self):
		dealer = make_dealer("General Agent")
		self.assertEqual(get_channel_level(dealer.customer), "General Agent")
		self.assertEqual(get_channel_level(self.customer), "Direct")
		self.assertEqual(get_channel_level(None), "Direct")

	def test_quotation_below_floor_is_blocked_on_submit(self):
		make_policy(item_code=self.item, floor_price=900)
		quotation = make_quotation(self.customer, [{"item_code": self.item, "qty": 2, "rate": 800}])
		self.assertEqual(quotation.docstatus, 0, "a draft below the floor is saved")
		with self.assertRaises(PriceBelowFloorError) as raised:
			quotation.submit()
		self.assertIn("900", str(raised.exception), "the message shows the floor")
		self.assertEqual(frappe.db.get_value("Quotation", quotation.name, "docstatus"), 0)

	def test_quotation_at_floor_submits(self):
		make_policy(item_code=self.item, floor_price=900)
		quotation = make_quotation(
			self.customer, [{"item_code": self.item, "qty": 1, "rate": 900}], submit=True
		)
		self.assertEqual(quotation.docstatus, 1)

	def test_policy_of_another_level_does_not_apply(self):
		make_policy(item_code=self.item, floor_price=900, channel_level="General Agent")
		quotation = make_quotation(
			self.customer, [{"item_code": self.item, "qty": 1, "rate": 100}], submit=True
		)
		self.assertEqual(quotation.docstatus, 1)

		dealer = make_dealer("General Agent")
		quotation = make_quotation(dealer.customer, [{"item_code": self.item, "qty": 1, "rate": 100}])
		with self.assertRaises(PriceBelowFloorError):
			quotation.submit()

	def test_item_group_and_maximum_discount(self):
		group = frappe.db.get_value("Item", self.item, "item_group")
		make_policy(item_group=group, policy_type="Maximum Discount", max_discount=10)
		quotation = make_quotation(
			self.customer, [{"item_code": self.item, "qty": 1, "price_list_rate": 1000, "rate": 850}]
		)
		self.assertEqual(
			[(v.item_code, v.floor) for v in get_price_violations(quotation)], [(self.item, 900)]
		)
		with self.assertRaises(PriceBelowFloorError):
			quotation.submit()

	# -- invoices: every selling document that sets a price ----------------------------------------------

	def test_invoice_not_made_from_an_order_is_blocked(self):
		make_policy(item_code=self.item, floor_price=900)
		invoice = make_selling_document(
			"Sales Invoice", self.customer, [{"item_code": self.item, "qty": 1, "rate": 800}]
		)
		self.assertEqual(invoice.docstatus, 0, "a draft below the floor is saved")
		with self.assertRaises(PriceBelowFloorError):
			invoice.submit()
		self.assertEqual(frappe.db.get_value("Sales Invoice", invoice.name, "docstatus"), 0)

		# an approved exception on the invoice lets it through, as on an order
		frappe.get_doc(
			{
				"doctype": "Channel Price Exception",
				"reference_doctype": "Sales Invoice",
				"reference_name": invoice.name,
				"item_code": self.item,
				"approved_rate": 800,
				"reason": "Clearance",
			}
		).insert().submit()
		invoice.reload().submit()
		self.assertEqual(invoice.docstatus, 1)

	def test_invoice_rows_from_an_order_were_priced_on_the_order(self):
		make_policy(item_code=self.item, floor_price=900)
		order = make_selling_document(
			"Sales Order", self.customer, [{"item_code": self.item, "qty": 1, "rate": 950}]
		)
		order.submit()
		invoice = invoice_from_order(order.name)
		invoice.items[0].rate = 800  # the order's price is the one the floor governs
		invoice.append("items", {"item_code": self.item, "qty": 1, "rate": 800})  # not from the order
		invoice.insert(ignore_permissions=True)
		self.assertEqual([v.idx for v in get_price_violations(invoice)], [2])
		invoice.remove(invoice.items[1])
		invoice.save()
		invoice.submit()
		self.assertEqual(invoice.docstatus, 1)

	def test_return_invoice_is_not_checked(self):
		make_policy(item_code=self.item, floor_price=900)
		invoice = make_selling_document(
			"Sales Invoice", self.customer, [{"item_code": self.item, "qty": 1, "rate": 800}]
		)
		self.assertTrue(get_price_violations(invoice))
		invoice.is_return = 1
		self.assertEqual(get_price_violations(invoice), [])

	def test_pos_invoice_below_floor_is_blocked(self):
		"""POS Invoice runs the same checks (its validation needs a POS Profile, so the hook is called
		on an invoice whose net rates are set as ERPNext's validation would set them)."""
		self.assertIn(
			"sales_reengineering.channel.pricing.block_below_floor",
			frappe.get_hooks("doc_events")["POS Invoice"]["before_submit"],
		)
		make_policy(item_code=self.item, floor_price=900)
		row = {"item_code": self.item, "qty": 1, "conversion_factor": 1, "item_group": self.group()}
		invoice = frappe.get_doc(
			{
				"doctype": "POS Invoice",
				"customer": self.customer,
				"company": TEST_COMPANY,
				"posting_date": today(),
				"items": [{**row, "rate": 800, "base_net_rate": 800}],
			}
		)
		with self.assertRaises(PriceBelowFloorError):
			block_below_floor(invoice)
		invoice.items[0].base_net_rate = 900
		block_below_floor(invoice)  # at the floor: allowed

	def group(self) -> str:
		return frappe.db.get_value("Item", self.item, "item_group")
