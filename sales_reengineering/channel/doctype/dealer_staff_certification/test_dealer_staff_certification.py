# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Dealer staff certifications: their checks, who sees them, and how they gate the tier review."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, get_first_day, get_last_day, today

from sales_reengineering.channel.doctype.dealer_staff_certification.dealer_staff_certification import (
	count_certified_staff,
)
from sales_reengineering.channel.doctype.dealer_tier_review import dealer_tier_review
from sales_reengineering.core.channel_hierarchy import PROMOTE
from sales_reengineering.exceptions import DealerCertificationError, DealerTierError
from sales_reengineering.tests.factories_channel import (
	make_dealer,
	make_tier,
	make_website_user,
)
from sales_reengineering.tests.query_count import query_count


def certify(dealer: str, staff: str, **kwargs) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Dealer Staff Certification",
				"dealer": dealer,
				"staff_name": staff,
				"course": kwargs.pop("course", "Server Sales Specialist"),
				"certified_on": kwargs.pop("certified_on", add_days(today(), -30)),
				**kwargs,
			}
		)
		.insert()
		.name
	)


class TestDealerStaffCertification(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_checks(self):
		dealer = make_dealer().name
		with self.assertRaises(DealerCertificationError):
			certify(dealer, "Li Lei", certified_on=add_days(today(), 1))
		with self.assertRaises(DealerCertificationError):
			certify(dealer, "Li Lei", valid_until=add_days(today(), -40))

	def test_counts_valid_passed_staff_once(self):
		dealer, other = make_dealer().name, make_dealer().name
		certify(dealer, "Li Lei")
		certify(dealer, "Li Lei", course="Storage Specialist")  # the same person counts once
		certify(dealer, "Han Meimei", valid_until=add_days(today(), -1))  # expired
		certify(dealer, "Wang Wu", result="Failed")
		certify(dealer, "Zhao Liu", certified_on=today(), valid_until=add_days(today(), 365))
		self.assertEqual(count_certified_staff([dealer, other], today()), {dealer: 2})
		# yesterday: Zhao Liu was not certified yet, Han Meimei still was
		self.assertEqual(count_certified_staff([dealer], add_days(today(), -1)), {dealer: 2})
		self.assertEqual(count_certified_staff([dealer], add_days(today(), -31)), {})

	def test_dealer_sees_own_branch_only(self):
		user_a, user_b = make_website_user(), make_website_user()
		dealer_a = make_dealer(portal_users=[user_a]).name
		dealer_b = make_dealer(portal_users=[user_b]).name
		cert_a, cert_b = certify(dealer_a, "Li Lei"), certify(dealer_b, "Han Meimei")
		frappe.set_user(user_b)
		self.assertEqual(set(frappe.get_list("Dealer Staff Certification", pluck="name")), {cert_b})
		with self.assertRaises(frappe.PermissionError):
			frappe.client.get("Dealer Staff Certification", cert_a)
		# dealers read their records; the channel manager enters them
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": "Dealer Staff Certification",
					"dealer": dealer_b,
					"staff_name": "Self-made",
					"course": "Anything",
					"certified_on": today(),
				}
			).insert()


class TestTierReviewCertifications(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def setUp(self):
		frappe.db.delete("Dealer Tier")
		self.silver = make_tier(tier_name="_Test SR Silver", tier_rank=1, min_quarterly_purchase=1000)
		self.gold = make_tier(
			tier_name="_Test SR Gold", tier_rank=2, min_quarterly_purchase=3000, min_certified_staff=2
		)
		self.star = make_dealer("General Agent", dealer_tier=self.silver)

	def review(self):
		"""A review of `star` only, whose purchases and KPI call for a promotion (the certifications are
		what is tested here, not how sell-in is counted)."""
		review = frappe.new_doc("Dealer Tier Review")
		review.update({"from_date": get_first_day(today()), "to_date": get_last_day(today())})
		with patch.object(dealer_tier_review, "propose_tier_change", return_value=PROMOTE):
			review.get_proposals()
		review.set("items", [row for row in review.items if row.dealer == self.star.name])
		return review, {row.dealer: row for row in review.items}

	def test_lacking_certifications_holds_the_promotion(self):
		certify(self.star.name, "Li Lei")
		_review, rows = self.review()
		row = rows[self.star.name]
		self.assertEqual(
			(row.change, row.proposed_tier, row.apply, row.certified_staff), ("Keep", self.silver, 0, 1)
		)

		certify(self.star.name, "Han Meimei")
		review, rows = self.review()
		row = rows[self.star.name]
		self.assertEqual((row.change, row.proposed_tier, row.certified_staff), ("Promote", self.gold, 2))
		review.insert()
		review.submit()
		self.assertEqual(frappe.db.get_value("Dealer", self.star.name, "dealer_tier"), self.gold)

	def test_submit_blocked_when_promoting_without_certifications(self):
		review, rows = self.review()
		rows[self.star.name].proposed_tier = self.gold  # typed in by hand
		rows[self.star.name].apply = 1
		review.insert()
		with self.assertRaises(DealerTierError):
			review.submit()
		self.assertEqual(frappe.db.get_value("Dealer", self.star.name, "dealer_tier"), self.silver)

	def test_counting_is_one_query_for_all_dealers(self):
		dealers = [make_dealer().name for _ in range(5)]
		for dealer in dealers:
			certify(dealer, "Li Lei")
		self.assertEqual(query_count(count_certified_staff, dealers, today()), 1)
		self.assertEqual(count_certified_staff(dealers, today()), dict.fromkeys(dealers, 1))
