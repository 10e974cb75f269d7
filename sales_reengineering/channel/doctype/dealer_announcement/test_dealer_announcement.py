# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from sales_reengineering.channel.doctype.dealer_announcement.dealer_announcement import get_announcements
from sales_reengineering.exceptions import SalesReengineeringError


def make_announcement(title: str, **kwargs):
	return frappe.get_doc(
		{
			"doctype": "Dealer Announcement",
			"title": title,
			"content": f"<p>{title}</p>",
			"published": 1,
			**kwargs,
		}
	).insert()


class TestDealerAnnouncement(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_only_current_published_announcements_for_the_level(self):
		frappe.db.delete("Dealer Announcement")
		make_announcement("everyone")
		make_announcement("agents", dealer_level="General Agent")
		make_announcement("sub-dealers", dealer_level="Sub-Dealer")
		make_announcement("draft", published=0)
		make_announcement("over", publish_until=add_days(today(), -1))
		make_announcement("later", publish_from=add_days(today(), 1))
		titles = {row.title for row in get_announcements("General Agent")}
		self.assertEqual(titles, {"everyone", "agents"})

	def test_dates_must_be_ordered(self):
		with self.assertRaises(SalesReengineeringError):
			make_announcement("bad", publish_from=today(), publish_until=add_days(today(), -1))
