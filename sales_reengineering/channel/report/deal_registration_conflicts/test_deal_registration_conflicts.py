# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.channel.report.deal_registration_conflicts.deal_registration_conflicts import execute
from sales_reengineering.tests.factories_channel import (
	approve,
	make_customer,
	make_dealer,
	make_direct_opportunity,
	make_registration,
	make_website_user,
)


class TestDealRegistrationConflicts(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_lists_flagged_registrations_of_the_branch(self):
		agent = make_dealer("General Agent").name
		dealer_a = make_dealer("Provincial Dealer", agent).name
		dealer_b = make_dealer("General Agent").name
		customer = make_customer()
		protected = make_registration(dealer_a, customer=customer)
		approve(protected.name)
		flagged = make_registration(dealer_b, customer=customer)
		opportunity = make_direct_opportunity(customer, "_Test SR Rep Beijing")
		flagged_direct = make_registration(dealer_a, customer=customer)
		make_registration(dealer_a)  # no conflict

		_columns, rows, _message, _chart, summary = execute({"dealer": agent})
		# both sides of a clash show it: the approved registration and the later one of the same dealer
		# both see dealer B's registration waiting
		self.assertEqual(
			sorted((row.registration, row.conflict_type) for row in rows),
			sorted(
				[
					(protected.name, "Pending Registration"),
					(flagged_direct.name, "Pending Registration"),
					(flagged_direct.name, "Direct Opportunity"),
				]
			),
		)
		self.assertEqual(summary[0]["value"], 2)

		_columns, rows, *_rest = execute({"dealer": dealer_b})
		self.assertEqual(
			sorted((row.registration, row.conflict_type, row.reference_name, row.other_dealer) for row in rows),
			sorted(
				[
					(flagged.name, "Dealer Protection", protected.name, dealer_a),
					(flagged.name, "Pending Registration", flagged_direct.name, dealer_a),
					# recomputed when dealer A's second registration came in: the opportunity made since
					(flagged.name, "Direct Opportunity", opportunity, None),
				]
			),
		)

		_columns, rows, *_rest = execute({"conflict_type": "Dealer Protection"})
		self.assertIn(flagged.name, {row.registration for row in rows})
		self.assertNotIn(flagged_direct.name, {row.registration for row in rows})

	def test_requires_report_permission(self):
		frappe.set_user(make_website_user())
		with self.assertRaises(frappe.PermissionError):
			execute({})
