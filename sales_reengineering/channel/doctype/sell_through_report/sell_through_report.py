# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, get_first_day, getdate, today

from sales_reengineering.channel.doctype.deal_registration.deal_registration import check_items_exist
from sales_reengineering.exceptions import SellThroughError


class SellThroughReport(Document):
	def validate(self):
		self.validate_period()
		self.validate_unique_period()
		self.validate_items()

	def validate_period(self):
		self.period = get_first_day(self.period)
		if getdate(self.period) > get_first_day(today()):
			frappe.throw(_("A sell-through report cannot be for a future month."), SellThroughError)

	def validate_unique_period(self):
		other = frappe.db.exists(
			"Sell Through Report",
			{
				"dealer": self.dealer,
				"period": self.period,
				"docstatus": ("<", 2),
				"name": ("!=", self.name or ""),
			},
		)
		if other:
			frappe.throw(
				_("Dealer {0} already reported {1} in {2}.").format(
					self.dealer, frappe.format(self.period, "Date"), other
				),
				SellThroughError,
			)

	def validate_items(self):
		if not self.items:
			frappe.throw(_("Report at least one item sold."), SellThroughError)
		check_items_exist(self.items, SellThroughError)
		for row in self.items:
			if flt(row.qty) <= 0:
				frappe.throw(
					_("Row {0}: the quantity of {1} must be greater than zero.").format(
						row.idx, row.item_code
					),
					SellThroughError,
				)
			if not (row.end_customer or row.city):
				frappe.throw(
					_("Row {0}: give the end customer or at least the city.").format(row.idx),
					SellThroughError,
				)
			self.validate_resale_rate(row)
		self.total_qty = sum(flt(row.qty) for row in self.items)
		self.total_amount = sum(flt(row.amount) for row in self.items)

	def validate_resale_rate(self, row):
		"""The price the dealer resold at: never negative; the amount and the rate complete each other
		(rate = amount / quantity, amount = quantity x rate) when only one is given."""
		for fieldname in ("resale_rate", "amount"):
			if flt(row.get(fieldname)) < 0:
				frappe.throw(
					_("Row {0}: the {1} of {2} cannot be negative.").format(
						row.idx, _(row.meta.get_label(fieldname)), row.item_code
					),
					SellThroughError,
				)
		if flt(row.resale_rate) and not flt(row.amount):
			row.amount = flt(row.qty) * flt(row.resale_rate)
		elif flt(row.amount) and not flt(row.resale_rate):
			row.resale_rate = flt(row.amount) / flt(row.qty)
