# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from sales_reengineering.exceptions import SalesReengineeringError


class DealerAnnouncement(Document):
	def validate(self):
		self.validate_dates()

	def validate_dates(self):
		if (
			self.publish_from
			and self.publish_until
			and getdate(self.publish_until) < getdate(self.publish_from)
		):
			frappe.throw(_("Publish Until cannot be before Publish From."), SalesReengineeringError)


def get_announcements(dealer_level: str, limit: int = 5) -> list[dict]:
	"""Published announcements for dealers of `dealer_level` (or for everyone), newest first."""
	announcement = frappe.qb.DocType("Dealer Announcement")
	on = getdate(today())
	return (
		frappe.qb.from_(announcement)
		.select(announcement.title, announcement.content, announcement.publish_from, announcement.modified)
		.where(
			(announcement.published == 1)
			& (announcement.publish_from.isnull() | (announcement.publish_from <= on))
			& (announcement.publish_until.isnull() | (announcement.publish_until >= on))
			& (
				announcement.dealer_level.isnull()
				| (announcement.dealer_level == "")
				| (announcement.dealer_level == dealer_level)
			)
		)
		.orderby(announcement.modified, order=frappe.qb.desc)
		.limit(limit)
		.run(as_dict=True)
	)
