# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Coalesce
from frappe.utils import flt, getdate

from sales_reengineering.core.channel_pricing import FLOOR_PRICE, MAXIMUM_DISCOUNT
from sales_reengineering.exceptions import ChannelPricePolicyError

FAR_PAST, FAR_FUTURE = "1900-01-01", "9999-12-31"


class ChannelPricePolicy(Document):
	def validate(self):
		self.validate_scope()
		self.validate_terms()
		self.validate_dates()
		self.validate_overlap()

	def validate_scope(self):
		if bool(self.item_code) == bool(self.item_group):
			frappe.throw(
				_("Set either an item or an item group, not both and not neither."), ChannelPricePolicyError
			)

	def validate_terms(self):
		if self.policy_type == FLOOR_PRICE:
			if flt(self.floor_price) <= 0:
				frappe.throw(
					_("A floor price policy needs a floor price above zero."), ChannelPricePolicyError
				)
			self.max_discount = 0
		elif self.policy_type == MAXIMUM_DISCOUNT:
			if not 0 <= flt(self.max_discount) < 100:
				frappe.throw(
					_("The maximum discount must be from 0% up to (not including) 100%, not {0}%.").format(
						flt(self.max_discount)
					),
					ChannelPricePolicyError,
				)
			self.floor_price = 0

	def validate_dates(self):
		if self.valid_from and self.valid_to and getdate(self.valid_to) < getdate(self.valid_from):
			frappe.throw(_("Valid To cannot be before Valid From."), ChannelPricePolicyError)

	def validate_overlap(self):
		if not self.enabled:
			return
		policy = frappe.qb.DocType("Channel Price Policy")
		scope = (
			(policy.item_code == self.item_code) if self.item_code else (policy.item_group == self.item_group)
		)
		other = (
			frappe.qb.from_(policy)
			.select(policy.name)
			.where(
				scope
				& (policy.channel_level == self.channel_level)
				& (policy.enabled == 1)
				& (policy.name != (self.name or ""))
				& (Coalesce(policy.valid_from, FAR_PAST) <= (self.valid_to or FAR_FUTURE))
				& (Coalesce(policy.valid_to, FAR_FUTURE) >= (self.valid_from or FAR_PAST))
			)
			.limit(1)
			.run(pluck=True)
		)
		if other:
			frappe.throw(
				_("Policy {0} already covers {1} for {2} in these dates.").format(
					other[0], self.item_code or self.item_group, _(self.channel_level)
				),
				ChannelPricePolicyError,
			)
