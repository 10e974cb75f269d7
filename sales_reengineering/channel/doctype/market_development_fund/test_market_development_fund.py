# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Market development funds: apply (portal), approve (workflow, channel manager only, within the tier's
yearly budget), claim with proof within the approved amount, the report, and dealer isolation through
every door."""

import frappe
from frappe.desk.reportview import get as reportview_get
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import set_request, today
from frappe.website.serve import get_response_content

from sales_reengineering.channel import mdf
from sales_reengineering.channel.report.market_development_funds import market_development_funds
from sales_reengineering.companies import site_company
from sales_reengineering.exceptions import MarketDevelopmentFundError, MDFClaimError
from sales_reengineering.scope import endpoints
from sales_reengineering.tests.factories_channel import make_dealer, make_tier, make_website_user
from sales_reengineering.tests.setup import TEST_COMPANY
from sales_reengineering.tests.utils import make_user

SAVEPOINT = "mdf_test"
PDF = b"%PDF-1.4\n% proof of a trade show\n"


def fiscal_year(company: str) -> str:
	from erpnext.accounts.utils import get_fiscal_year

	return get_fiscal_year(today(), company=company, as_dict=True).name


class TestMarketDevelopmentFund(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.company = TEST_COMPANY  # the company the factory's dealers buy from
		frappe.defaults.set_global_default("company", cls.company)
		cls.year = fiscal_year(cls.company)
		cls.tier = make_tier(mdf_annual_budget=1500)
		cls.user_a, cls.user_sub, cls.user_b = (make_website_user() for _ in range(3))
		cls.dealer_a = make_dealer("General Agent", portal_users=[cls.user_a], dealer_tier=cls.tier).name
		cls.sub_dealer = make_dealer("Provincial Dealer", cls.dealer_a, portal_users=[cls.user_sub]).name
		cls.dealer_b = make_dealer("General Agent", portal_users=[cls.user_b]).name
		cls.manager = make_user("sr-mdf-manager@sr-test.invalid", ["Channel Manager"])
		cls.sales_manager = make_user("sr-mdf-sales-manager@sr-test.invalid", ["Sales Manager"])

	def setUp(self):
		frappe.db.savepoint(SAVEPOINT)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.form_dict = frappe._dict()
		frappe.db.rollback(save_point=SAVEPOINT)

	# -- helpers ------------------------------------------------------------------------------------

	def apply(self, user: str, cost: float = 1000, **kwargs) -> str:
		frappe.set_user(user)
		result = mdf.apply_for_fund(
			purpose=kwargs.pop("purpose", "Trade show"),
			fiscal_year=self.year,
			activities=[{"activity": "Booth", "planned_date": today(), "planned_cost": cost}],
		)
		frappe.set_user("Administrator")
		return result["name"]

	def decide(self, doctype: str, name: str, action: str, user: str | None = None, **values):
		frappe.set_user(user or self.manager)
		doc = frappe.get_doc(doctype, name)
		if values:  # the approver's changes are saved first: the workflow action reloads the document
			doc.update(values)
			doc.save()
		apply_workflow(doc, action)
		frappe.set_user("Administrator")
		return frappe.get_doc(doctype, name)

	def approved_fund(self, user=None, cost: float = 1000, **values) -> str:
		name = self.apply(user or self.user_a, cost)
		self.decide("Market Development Fund", name, "Approve", **values)
		return name

	def claim(self, fund: str, amount: float, user=None, filename="proof.pdf", content=PDF) -> str:
		frappe.set_user(user or self.user_a)
		try:
			return mdf.make_claim(fund, amount, "Booth at the fair", filename, content)["name"]
		finally:
			frappe.set_user("Administrator")

	# -- the flow -----------------------------------------------------------------------------------

	def test_a_fund_is_of_the_company_the_dealer_buys_from(self):
		other = frappe.get_all("Company", filters={"name": ("!=", self.company)}, pluck="name", limit=1)
		self.assertTrue(other, "the test needs a second company")
		frappe.db.set_value("Dealer", self.dealer_a, "company", other[0])  # not the site's default
		fund = frappe.get_doc("Market Development Fund", self.apply(self.user_a))
		self.assertEqual(fund.company, other[0])
		frappe.db.set_value("Dealer", self.dealer_a, "company", None)  # none: the site's default
		fund = frappe.get_doc("Market Development Fund", self.apply(self.user_a))
		self.assertEqual(fund.company, site_company())

	def test_apply_approve_claim_and_report(self):
		name = self.apply(self.user_a, 1000)
		fund = frappe.get_doc("Market Development Fund", name)
		self.assertEqual((fund.status, fund.docstatus, fund.dealer), ("Pending Approval", 1, self.dealer_a))
		self.assertEqual(fund.requested_amount, 1000)

		fund = self.decide("Market Development Fund", name, "Approve", approved_amount=800)
		self.assertEqual(
			(fund.status, fund.approved_amount, fund.approved_by), ("Approved", 800, self.manager)
		)

		claim = self.claim(name, 300)
		doc = frappe.get_doc("MDF Claim", claim)
		self.assertEqual(
			(doc.status, doc.dealer, doc.company), ("Pending Approval", self.dealer_a, self.company)
		)
		self.assertTrue(frappe.db.get_value("File", {"file_url": doc.proof, "attached_to_name": claim}))
		self.decide("MDF Claim", claim, "Approve")
		self.assertEqual(frappe.db.get_value("Market Development Fund", name, "claimed_amount"), 300)

		pending = self.apply(self.user_a, 200, purpose="Local advertising")
		frappe.set_user(self.manager)
		_columns, rows, *_rest = market_development_funds.execute(
			{"company": self.company, "fiscal_year": self.year}
		)
		row = next(r for r in rows if r["dealer"] == self.dealer_a)
		self.assertEqual(
			(row["budget"], row["approved"], row["claimed"], row["pending_requested"], row["budget_left"]),
			(1500, 800, 300, 200, 700),
		)
		self.assertEqual(row["unclaimed"], 500)
		self.assertNotIn(self.dealer_b, [r["dealer"] for r in rows], "no budget and no funds")
		self.assertTrue(pending)

	def test_approving_empty_amount_approves_the_request_and_never_more(self):
		name = self.approved_fund(cost=400)
		self.assertEqual(frappe.db.get_value("Market Development Fund", name, "approved_amount"), 400)
		other = self.apply(self.user_a, 300)
		with self.assertRaises(MarketDevelopmentFundError):
			self.decide("Market Development Fund", other, "Approve", approved_amount=301)

	def test_budget_per_year_refuses_approval_above_it(self):
		self.approved_fund(cost=1000)
		second = self.apply(self.user_a, 600)
		with self.assertRaises(MarketDevelopmentFundError):
			self.decide("Market Development Fund", second, "Approve")
		fund = self.decide("Market Development Fund", second, "Approve", approved_amount=500)
		self.assertEqual(fund.approved_amount, 500, "within the 1500 budget")

	# -- rejections ---------------------------------------------------------------------------------

	def test_over_claim_refused(self):
		fund = self.approved_fund(cost=1000)
		self.claim(fund, 600)  # pending: counts against the fund
		with self.assertRaises(MDFClaimError):
			self.claim(fund, 500)
		self.claim(fund, 400)
		with self.assertRaises(MDFClaimError):
			self.claim(fund, 0.01)

	def test_rejected_claim_frees_the_amount(self):
		fund = self.approved_fund(cost=1000)
		claim = self.claim(fund, 1000)
		self.decide("MDF Claim", claim, "Reject")
		self.assertEqual(frappe.db.get_value("MDF Claim", claim, "status"), "Rejected")
		self.claim(fund, 1000)
		self.assertEqual(frappe.db.get_value("Market Development Fund", fund, "claimed_amount"), 0)

	def test_claim_without_proof_refused(self):
		fund = self.approved_fund()
		doc = frappe.get_doc({"doctype": "MDF Claim", "fund": fund, "claimed_amount": 100})
		with self.assertRaises(MDFClaimError):
			doc.insert()
		doc.proof = "/private/files/not-uploaded.pdf"
		with self.assertRaises(MDFClaimError):
			doc.insert()
		with self.assertRaises(MDFClaimError):
			self.claim(fund, 100, content=b"")
		with self.assertRaises(MDFClaimError):
			self.claim(fund, 100, filename="proof.exe")

	def test_claim_on_unapproved_fund_refused(self):
		pending = self.apply(self.user_a)
		with self.assertRaises(MDFClaimError):
			self.claim(pending, 100)
		self.decide("Market Development Fund", pending, "Reject")
		self.assertEqual(frappe.db.get_value("Market Development Fund", pending, "approved_amount"), 0)
		with self.assertRaises(MDFClaimError):
			self.claim(pending, 100)

	def test_dealer_applies_and_claims_for_own_dealer_only(self):
		frappe.set_user(self.user_a)
		doc = frappe.get_doc(
			{
				"doctype": "Market Development Fund",
				"dealer": self.sub_dealer,
				"company": self.company,
				"fiscal_year": self.year,
				"purpose": "For my sub-dealer",
				"activities": [{"activity": "Flyers", "planned_cost": 100}],
			}
		)
		with self.assertRaises(MarketDevelopmentFundError):
			doc.insert()
		doc.dealer = self.dealer_b
		with self.assertRaises(frappe.PermissionError):
			doc.insert()
		frappe.set_user("Administrator")
		fund_a = self.approved_fund()
		with self.assertRaises((MDFClaimError, frappe.PermissionError)):
			self.claim(fund_a, 100, user=self.user_b)
		with self.assertRaises(MDFClaimError):
			self.claim(fund_a, 100, user=self.user_sub)

	def test_approval_only_by_channel_manager(self):
		name = self.apply(self.user_a)
		for user in (self.user_a, self.sales_manager):
			with (
				self.subTest(user=user),
				self.assertRaises((WorkflowTransitionError, WorkflowPermissionError, frappe.PermissionError)),
			):
				self.decide("Market Development Fund", name, "Approve", user=user)
		# saving the status directly is refused too
		frappe.set_user(self.user_a)
		doc = frappe.get_doc("Market Development Fund", name)
		doc.status = "Approved"
		with self.assertRaises((WorkflowPermissionError, MarketDevelopmentFundError, frappe.PermissionError)):
			doc.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Market Development Fund", name, "status"), "Pending Approval")

	def test_decisions_and_claimed_amount_are_not_set_by_hand(self):
		fund = self.approved_fund()
		claim = self.claim(fund, 100)
		self.decide("MDF Claim", claim, "Approve")
		for doctype, name, field, value in (
			("Market Development Fund", fund, "claimed_amount", 0),
			("Market Development Fund", fund, "approved_by", self.user_a),
			("MDF Claim", claim, "approved_by", self.user_a),
		):
			# the channel manager may edit a submitted fund, but not these; a dealer is refused either way
			for user, refusal in (
				(self.manager, MarketDevelopmentFundError),  # MDFClaimError is one
				(self.user_a, (frappe.ValidationError, frappe.PermissionError)),
			):
				frappe.set_user(user)
				doc = frappe.get_doc(doctype, name)
				doc.set(field, value)
				with self.subTest(doctype=doctype, field=field, user=user), self.assertRaises(refusal):
					doc.save()
				frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Market Development Fund", fund, "claimed_amount"), 100)

	# -- scope --------------------------------------------------------------------------------------

	def test_dealer_b_never_sees_dealer_a(self):
		fund_a = self.approved_fund()
		claim_a = self.claim(fund_a, 100)
		fund_b = self.apply(self.user_b)
		for doctype, name_a in (("Market Development Fund", fund_a), ("MDF Claim", claim_a)):
			frappe.set_user(self.user_b)
			with self.subTest(doctype=doctype):
				self.assertNotIn(name_a, frappe.get_list(doctype, pluck="name"))
				self.assertEqual(endpoints.get_count(doctype, {"name": name_a}), 0)
				with self.assertRaises(frappe.PermissionError):
					frappe.client.get(doctype, name_a)
				frappe.local.form_dict = frappe._dict(doctype=doctype, fields='["name"]')
				result = reportview_get()
				self.assertNotIn(name_a, [row[0] for row in (result or {}).get("values", [])])
			frappe.set_user(self.user_a)
			self.assertIn(name_a, frappe.get_list(doctype, pluck="name"))
		frappe.set_user(self.user_a)
		self.assertNotIn(fund_b, frappe.get_list("Market Development Fund", pluck="name"))

		frappe.set_user(self.user_b)
		set_request(method="GET", path="/dealer/funds")
		html = get_response_content("/dealer/funds")
		self.assertIn(fund_b, html)
		self.assertNotIn(fund_a, html)
		self.assertNotIn(claim_a, html)

	def test_report_is_cut_to_the_dealers_branch(self):
		self.approved_fund()
		self.approved_fund(user=self.user_b, cost=100)
		frappe.set_user(self.user_b)
		rows = market_development_funds.get_data(
			frappe._dict(company=self.company, fiscal_year=self.year, dealer=None)
		)
		self.assertEqual({row["dealer"] for row in rows}, {self.dealer_b})
