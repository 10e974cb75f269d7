# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""MDF Claim is tested with its fund in market_development_fund/test_market_development_fund.py (over-claims,
claims without proof or on funds not approved, approval and isolation); here what needs no fund."""

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import MDFClaimError


class TestMDFClaim(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_claim_needs_an_existing_fund(self):
		for fund in (None, "MDF-NO-SUCH-FUND"):
			with self.subTest(fund=fund), self.assertRaises(MDFClaimError):
				frappe.get_doc({"doctype": "MDF Claim", "fund": fund, "claimed_amount": 10}).insert()
