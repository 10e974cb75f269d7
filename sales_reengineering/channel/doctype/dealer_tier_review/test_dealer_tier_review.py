# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_first_day, get_last_day, today

from sales_reengineering.exceptions import DealerTierError
from sales_reengineering.tests.factories_channel import make_dealer, make_sales_invoice, make_tier


class TestDealerTierReview(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def make_review(self, **kwargs):
		review = frappe.new_doc("Dealer Tier Review")
		review.update(
			{
				"from_date": kwargs.pop("from_date", get_first_day(today())),
				"to_date": kwargs.pop("to_date", get_last_day(today())),
				**kwargs,
			}
		)
		return review

	def test_proposes_and_applies_only_on_approval(self):
		# remove other tiers from the ladder for this test, and other dealers (a site's demo or leftover
		# fixtures) from the review, whose rows would name the removed tiers
		frappe.db.delete("Dealer Tier")
		frappe.db.set_value("Dealer", {"status": "Active"}, "status", "Suspended")
		silver = make_tier(tier_name="_Test SR Silver", tier_rank=1, min_quarterly_purchase=1000)
		gold = make_tier(tier_name="_Test SR Gold", tier_rank=2, min_quarterly_purchase=3000)
		star = make_dealer("General Agent", dealer_tier=silver)
		weak = make_dealer("General Agent", dealer_tier=gold)
		steady = make_dealer("General Agent", dealer_tier=silver)
		make_sales_invoice(star.customer, 5000)
		make_sales_invoice(steady.customer, 330)

		review = self.make_review()
		review.get_proposals()
		rows = {row.dealer: row for row in review.items}
		self.assertEqual((rows[star.name].change, rows[star.name].proposed_tier), ("Promote", gold))
		self.assertEqual((rows[weak.name].change, rows[weak.name].proposed_tier), ("Demote", silver))
		self.assertEqual((rows[steady.name].change, rows[steady.name].apply), ("Keep", 0))
		review.insert()
		self.assertEqual(
			frappe.db.get_value("Dealer", star.name, "dealer_tier"), silver, "not before approval"
		)

		rows[weak.name].apply = 0
		review.save()
		review.submit()
		self.assertEqual(frappe.db.get_value("Dealer", star.name, "dealer_tier"), gold)
		self.assertEqual(frappe.db.get_value("Dealer", weak.name, "dealer_tier"), gold, "unticked row kept")
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{
					"reference_doctype": "Dealer",
					"reference_name": star.name,
					"content": ("like", f"%{review.name}%"),
				},
			)
		)

		review.cancel()
		self.assertEqual(frappe.db.get_value("Dealer", star.name, "dealer_tier"), silver)

	def test_rejects_bad_reviews(self):
		with self.assertRaises(DealerTierError):
			self.make_review(promote_at=80, demote_below=90).insert()
		with self.assertRaises(DealerTierError):
			self.make_review(from_date=today(), to_date="2000-01-01").insert()
		dealer = make_dealer("General Agent")
		with self.assertRaises(DealerTierError):
			self.make_review(items=[{"dealer": dealer.name}, {"dealer": dealer.name}]).insert()
