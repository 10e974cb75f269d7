# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

from unittest.mock import patch

import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from sales_reengineering.channel.doctype.deal_registration.deal_registration import (
	DealRegistration,
	expire_registrations,
	refresh_conflicts,
)
from sales_reengineering.core.channel_hierarchy import protection_end
from sales_reengineering.exceptions import (
	DealApprovalError,
	DealConflictError,
	DealerStatusError,
	DealRegistrationError,
)
from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
	get_settings,
)
from sales_reengineering.tests.factories_channel import (
	approve,
	make_customer,
	make_dealer,
	make_direct_opportunity,
	make_registration,
	make_tier,
	make_website_user,
	unique,
)

# a valid unified social credit code (GB 32100-2015 check character)
CREDIT_CODE = "91350100M000100Y43"
REP = "_Test SR Rep Beijing"


class TestDealRegistration(FrappeTestCase):
	def setUp(self):
		self.tier = make_tier(deal_protection_days=30)
		self.dealer_a = make_dealer("General Agent", dealer_tier=self.tier).name
		self.dealer_b = make_dealer("General Agent").name

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	# -- input validation -------------------------------------------------------------------------------

	def test_prospect_needs_name_and_city(self):
		for missing in ("company_name", "city"):
			values = {"company_name": unique("_Test SR Prospect"), "city": "上海", missing: None}
			doc = frappe.get_doc(
				{
					"doctype": "Deal Registration",
					"dealer": self.dealer_a,
					"expected_close_date": add_days(today(), 10),
					"items": [{"item_code": make_item_code(), "qty": 1, "rate": 10}],
					**values,
				}
			)
			with self.subTest(missing=missing), self.assertRaises(DealRegistrationError):
				doc.insert()

	def test_rejects_bad_input(self):
		cases = {
			"invalid credit code": {"credit_code": "91350100M000100Y44"},
			"no items": {"items": []},
			"zero quantity": {"items": [{"item_code": make_item_code(), "qty": 0, "rate": 10}]},
			"close before registration": {"expected_close_date": add_days(today(), -1)},
			"name that normalises to nothing": {"company_name": "有限公司"},
		}
		for label, values in cases.items():
			with self.subTest(label), self.assertRaises(DealRegistrationError):
				make_registration(self.dealer_a, submit=False, **values)
		self.assertFalse(frappe.db.exists("Deal Registration", {"dealer": self.dealer_a}))

	def test_existing_customer_fills_name_and_credit_code(self):
		customer = make_customer(tax_id=CREDIT_CODE)
		doc = make_registration(self.dealer_a, submit=False, customer=customer)
		self.assertEqual(doc.company_name, frappe.db.get_value("Customer", customer, "customer_name"))
		self.assertEqual(doc.credit_code, CREDIT_CODE)
		self.assertEqual(doc.total_amount, 100000)
		self.assertEqual(doc.status, "Draft")

	def test_only_active_dealers_submit(self):
		prospect = make_dealer("General Agent", status="Prospect").name
		doc = make_registration(prospect, submit=False)
		with self.assertRaises(DealerStatusError):
			doc.submit()
		self.assertEqual(frappe.db.get_value("Deal Registration", doc.name, "docstatus"), 0)

	# -- conflicts --------------------------------------------------------------------------------------

	def test_submit_without_conflict(self):
		doc = make_registration(self.dealer_a)
		self.assertEqual(doc.status, "Pending Approval")
		self.assertFalse(doc.has_conflict)

	def test_flags_other_dealers_protection_by_normalised_name(self):
		first = make_registration(self.dealer_a, company_name="北京华为技术有限公司")
		approve(first.name)
		second = make_registration(self.dealer_b, company_name="华为技术（北京）有限公司")  # noqa: RUF001 full-width on purpose
		self.assertTrue(second.has_conflict)
		self.assertEqual(
			[(row.conflict_type, row.reason, row.reference_name, row.dealer) for row in second.conflicts],
			[("Dealer Protection", "Name", first.name, self.dealer_a)],
		)
		with self.assertRaises(DealConflictError):
			approve(second.name)
		self.assertEqual(frappe.db.get_value("Deal Registration", second.name, "status"), "Pending Approval")

	def test_flags_by_credit_code_and_customer(self):
		customer = make_customer(tax_id=CREDIT_CODE)
		approve(make_registration(self.dealer_a, customer=customer).name)
		by_code = make_registration(self.dealer_b, company_name=unique("Other name"), credit_code=CREDIT_CODE)
		by_customer = make_registration(self.dealer_b, customer=customer)
		self.assertEqual([row.reason for row in by_code.conflicts], ["Credit Code"])
		self.assertEqual([row.reason for row in by_customer.conflicts], ["Customer"])

	def test_own_registrations_and_other_customers_do_not_conflict(self):
		name = unique("_Test SR Prospect")
		approve(make_registration(self.dealer_a, company_name=name).name)
		make_registration(self.dealer_b, company_name=unique("_Test SR Other"))
		again = make_registration(self.dealer_a, company_name=name)
		pending_elsewhere = make_registration(self.dealer_b, company_name=unique("_Test SR Pending"))
		self.assertFalse(again.has_conflict)
		self.assertFalse(pending_elsewhere.has_conflict)

	# -- conflicts between pending registrations: both sides see the clash --------------------------------

	def conflicts_of(self, name: str) -> list[tuple]:
		doc = frappe.get_doc("Deal Registration", name)
		return [(row.conflict_type, row.reference_name, row.dealer) for row in doc.conflicts], doc.has_conflict

	def test_two_pending_registrations_flag_each_other(self):
		name = unique("_Test SR Contested")
		first = make_registration(self.dealer_a, company_name=name)
		second = make_registration(self.dealer_b, company_name=name)
		self.assertEqual(
			self.conflicts_of(second.name), ([("Pending Registration", first.name, self.dealer_a)], 1)
		)
		# the first was clean when submitted; the second's submission flagged it too
		self.assertEqual(
			self.conflicts_of(first.name), ([("Pending Registration", second.name, self.dealer_b)], 1)
		)

	def test_approving_one_side_turns_the_other_into_a_protection_conflict(self):
		name = unique("_Test SR Contested")
		first = make_registration(self.dealer_a, company_name=name)
		second = make_registration(self.dealer_b, company_name=name)
		approve(first.name)  # a pending rival does not block the approval
		self.assertEqual(
			self.conflicts_of(second.name), ([("Dealer Protection", first.name, self.dealer_a)], 1)
		)
		row = frappe.get_doc("Deal Registration", second.name).conflicts[0]
		self.assertEqual(
			getdate(row.protected_until),
			getdate(frappe.db.get_value("Deal Registration", first.name, "protected_until")),
		)
		# the approved one still shows the rival waiting
		self.assertEqual(
			self.conflicts_of(first.name), ([("Pending Registration", second.name, self.dealer_b)], 1)
		)
		with self.assertRaises(DealConflictError) as raised:
			approve(second.name)
		self.assertIn(first.name, str(raised.exception))

		# rejecting the rival clears the approved one's flag
		apply_workflow(frappe.get_doc("Deal Registration", second.name), "Reject")
		self.assertEqual(self.conflicts_of(first.name), ([], 0))
		self.assertEqual(
			self.conflicts_of(second.name)[0],
			[("Dealer Protection", first.name, self.dealer_a)],
			"a decided registration keeps the table it was decided on",
		)

	def test_cancelling_one_side_clears_the_other(self):
		name = unique("_Test SR Contested")
		first = make_registration(self.dealer_a, company_name=name)
		second = make_registration(self.dealer_b, company_name=name)
		apply_workflow(frappe.get_doc("Deal Registration", first.name), "Cancel")
		self.assertEqual(self.conflicts_of(second.name), ([], 0))

	def test_expiry_clears_the_conflicts_of_the_others(self):
		name = unique("_Test SR Contested")
		first = make_registration(self.dealer_a, company_name=name)
		approve(first.name)
		second = make_registration(self.dealer_b, company_name=name)
		self.assertEqual(self.conflicts_of(second.name)[1], 1)
		frappe.db.set_value("Deal Registration", first.name, "protected_until", add_days(today(), -1))
		expire_registrations()
		self.assertEqual(self.conflicts_of(second.name), ([], 0))

	def test_refresh_is_set_based(self):
		"""Recomputing many registrations' conflicts costs the same few queries as recomputing two."""
		names = []
		for _ in range(4):
			name = unique("_Test SR Contested")
			for dealer in (self.dealer_a, self.dealer_b):
				names.append(make_registration(dealer, company_name=name).name)

		def queries(subset):
			counter = {"count": 0}
			original = frappe.db.sql

			def counting(*args, **kwargs):
				counter["count"] += 1
				return original(*args, **kwargs)

			with patch.object(frappe.db, "sql", counting):
				refresh_conflicts(subset)
			return counter["count"]

		few = queries(names[:2])
		self.assertGreater(few, 0)
		self.assertEqual(queries(names), few)
		self.assertEqual(self.conflicts_of(names[-1])[0], [("Pending Registration", names[-2], self.dealer_a)])

	def test_direct_key_account_opportunity_makes_salesperson_assist(self):
		customer = make_customer()
		opportunity = make_direct_opportunity(customer, REP)
		doc = make_registration(self.dealer_a, customer=customer)
		self.assertEqual(
			[(row.conflict_type, row.reference_name, row.sales_person) for row in doc.conflicts],
			[("Direct Opportunity", opportunity, REP)],
		)
		approve(doc.name)
		self.assertEqual(
			frappe.db.get_value("Deal Registration", doc.name, ["status", "assisting_sales_person"]),
			("Approved", REP),
		)

	def test_key_account_salesperson_assists_without_opportunity(self):
		customer = make_customer(sr_sales_person=REP)
		doc = make_registration(self.dealer_a, customer=customer)
		approve(doc.name)
		self.assertEqual(frappe.db.get_value("Deal Registration", doc.name, "assisting_sales_person"), REP)

	# -- approval ---------------------------------------------------------------------------------------

	def test_approval_protects_for_the_tiers_days(self):
		doc = make_registration(self.dealer_a)
		approve(doc.name)
		doc.reload()
		self.assertEqual(doc.status, "Approved")
		self.assertEqual(getdate(doc.protected_until), protection_end(getdate(today()), 30))
		self.assertEqual(doc.approved_by, "Administrator")

	def test_approval_without_tier_uses_settings(self):
		doc = make_registration(self.dealer_b)
		approve(doc.name)
		days = get_settings().deal_protection_days
		self.assertEqual(
			getdate(frappe.db.get_value("Deal Registration", doc.name, "protected_until")),
			protection_end(getdate(today()), days),
		)

	def test_rejection_gives_no_protection(self):
		name = unique("_Test SR Prospect")
		doc = make_registration(self.dealer_a, company_name=name)
		apply_workflow(frappe.get_doc("Deal Registration", doc.name), "Reject")
		self.assertEqual(
			frappe.db.get_value("Deal Registration", doc.name, ["status", "protection_name"]),
			("Rejected", None),
		)
		other = make_registration(self.dealer_b, company_name=name)
		self.assertFalse(other.has_conflict)
		approve(other.name)

	def test_dealer_cannot_approve(self):
		user = make_website_user()
		dealer = frappe.get_doc("Dealer", self.dealer_a)
		dealer.append("portal_users", {"user": user})
		dealer.save()
		doc = make_registration(self.dealer_a)
		frappe.set_user(user)
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(frappe.get_doc("Deal Registration", doc.name), "Approve")

	def test_decided_registration_cannot_change_status(self):
		doc = make_registration(self.dealer_a)
		approve(doc.name)
		doc = frappe.get_doc("Deal Registration", doc.name)
		doc.status = "Rejected"
		with self.assertRaises(DealApprovalError):
			doc.save()

	def test_without_workflow_only_channel_manager_approves(self):
		doc = make_registration(self.dealer_a)
		user = make_website_user()
		frappe.get_doc("User", user).add_roles("Dealer")

		def approving():
			doc = frappe.get_doc("Deal Registration", doc_name)
			doc._doc_before_save = frappe.get_doc("Deal Registration", doc_name)
			doc.status = "Approved"
			return doc

		doc_name = doc.name
		with patch.object(type(doc.meta), "get_workflow", return_value=None):
			approving().run_method("before_update_after_submit")  # Administrator may
			frappe.set_user(user)
			with self.assertRaises(DealApprovalError):
				approving().run_method("before_update_after_submit")

	def test_database_refuses_a_second_protection(self):
		"""Two registrations whose Python checks both pass (as when they run at the same moment):
		the UNIQUE index on the active-protection keys lets only one be approved."""
		customer = make_customer()
		first = make_registration(self.dealer_a, customer=customer)
		second = make_registration(self.dealer_b, customer=customer)
		with patch.object(DealRegistration, "find_dealer_conflicts", return_value=[]):
			approve(first.name)
			with self.assertRaises(DealConflictError):
				approve(second.name)
		self.assertEqual(frappe.db.get_value("Deal Registration", second.name, "status"), "Pending Approval")
		self.assertEqual(
			frappe.db.count("Deal Registration", {"protection_customer": customer}), 1, "one protection"
		)

	def test_unique_index_exists(self):
		for fieldname in ("protection_customer", "protection_credit_code", "protection_name"):
			index = frappe.db.sql(
				"show index from `tabDeal Registration` where Column_name = %s and Non_unique = 0", fieldname
			)
			self.assertTrue(index, fieldname)

	def test_cancel_releases_protection(self):
		name = unique("_Test SR Prospect")
		doc = make_registration(self.dealer_a, company_name=name)
		approve(doc.name)
		apply_workflow(frappe.get_doc("Deal Registration", doc.name), "Cancel")
		self.assertEqual(
			frappe.db.get_value("Deal Registration", doc.name, ["status", "protection_name"]),
			("Cancelled", None),
		)
		approve(make_registration(self.dealer_b, company_name=name).name)

	# -- expiry -----------------------------------------------------------------------------------------

	def test_expiry_is_idempotent_and_releases_the_customer(self):
		name = unique("_Test SR Prospect")
		old = make_registration(self.dealer_a, company_name=name)
		approve(old.name)
		current = make_registration(self.dealer_a, company_name=unique("_Test SR Current"))
		approve(current.name)
		frappe.db.set_value("Deal Registration", old.name, "protected_until", add_days(today(), -1))

		expire_registrations()
		expire_registrations()

		self.assertEqual(
			frappe.db.get_value("Deal Registration", old.name, ["status", "protection_name"]),
			("Expired", None),
		)
		self.assertEqual(frappe.db.get_value("Deal Registration", current.name, "status"), "Approved")
		newcomer = make_registration(self.dealer_b, company_name=name)
		self.assertFalse(newcomer.has_conflict)
		approve(newcomer.name)


def make_item_code() -> str:
	from sales_reengineering.tests.factories_channel import make_item

	return make_item()
