# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""A dealer staff member's training course or certification. The passed ones valid at the end of a tier
review's period count toward the dealer's tier (Dealer Tier "Minimum Certified Staff"): one person
counts once, however many certificates they hold."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Count
from frappe.utils import getdate, today

from sales_reengineering.exceptions import DealerCertificationError

PASSED = "Passed"


class DealerStaffCertification(Document):
	def validate(self):
		self.staff_name = (self.staff_name or "").strip()
		if getdate(self.certified_on) > getdate(today()):
			frappe.throw(_("The certification date cannot be in the future."), DealerCertificationError)
		if self.valid_until and getdate(self.valid_until) < getdate(self.certified_on):
			frappe.throw(_("Valid Until cannot be before the certification date."), DealerCertificationError)


def count_certified_staff(dealers: list[str], on_date) -> dict[str, int]:
	"""{dealer: staff with a passed certification valid on `on_date`}, for all `dealers` in one query."""
	if not dealers:
		return {}
	cert = frappe.qb.DocType("Dealer Staff Certification")
	on_date = getdate(on_date)
	return dict(
		frappe.qb.from_(cert)
		.select(cert.dealer, Count(cert.staff_name).distinct())
		.where(
			cert.dealer.isin(dealers)
			& (cert.result == PASSED)
			& (cert.certified_on <= on_date)
			& (cert.valid_until.isnull() | (cert.valid_until >= on_date))
		)
		.groupby(cert.dealer)
		.run()
	)
