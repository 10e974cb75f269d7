# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt

from sales_reengineering.exceptions import DealerTierError
from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
	get_settings,
)


class DealerTier(Document):
	def validate(self):
		self.validate_discount_band()
		self.validate_protection_days()
		self.validate_min_purchase()

	def validate_discount_band(self):
		for fieldname in ("discount_min", "discount_max"):
			value = flt(self.get(fieldname))
			if not 0 <= value <= 100:
				frappe.throw(
					_("{0} must be between 0% and 100%, not {1}%.").format(
						_(self.meta.get_label(fieldname)), value
					),
					DealerTierError,
				)
		if flt(self.discount_min) > flt(self.discount_max):
			frappe.throw(
				_("The minimum discount ({0}%) cannot be above the maximum discount ({1}%).").format(
					flt(self.discount_min), flt(self.discount_max)
				),
				DealerTierError,
			)

	def validate_protection_days(self):
		if cint(self.deal_protection_days) < 0:
			frappe.throw(
				_("Deal protection days cannot be negative (0 means: use the default in the settings)."),
				DealerTierError,
			)

	def validate_min_purchase(self):
		if flt(self.min_quarterly_purchase) < 0:
			frappe.throw(_("The minimum purchase per quarter cannot be negative."), DealerTierError)


def get_protection_days(tier: str | None) -> int:
	"""Days an approved deal registration protects a dealer of ``tier``; the settings' default when
	there is no tier or the tier leaves it at 0."""
	days = cint(frappe.db.get_value("Dealer Tier", tier, "deal_protection_days")) if tier else 0
	return days or get_settings().deal_protection_days
