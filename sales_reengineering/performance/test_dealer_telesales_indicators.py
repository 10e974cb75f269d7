# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""The dealer built-ins (Dealer Purchases, Deal Registrations Approved, Sell-Through Reported) with the
roll-up of a General Agent's task over the dealers below it, and the telesales built-ins."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import InvalidKPITemplateError
from sales_reengineering.performance import scorecard
from sales_reengineering.performance.indicators import BUILT_INS
from sales_reengineering.tests.factories_channel import (
	approve,
	make_dealer,
	make_item,
	make_registration,
	make_sell_through,
)
from sales_reengineering.tests.factories_customer_intelligence import make_opportunity, make_team
from sales_reengineering.tests.factories_performance import (
	make_invoice,
	make_task,
	make_telesales_call,
	make_template,
)

Q3 = ("2026-07-01", "2026-09-30")
DEALER_TEMPLATE = "_Test SR Dealer KPIs"
DEALER_KPIS = ("Dealer Purchases", "Deal Registrations Approved", "Sell-Through Reported")


def make_approved_registration(dealer: str, approved_on: str, status: str = "Approved") -> str:
	"""A registration approved through the workflow, its approval dated `approved_on` (and then moved to
	`status`, e.g. Expired, as the daily job does)."""
	name = make_registration(dealer).name
	approve(name)
	frappe.db.set_value(
		"Deal Registration", name, {"approved_on": f"{approved_on} 10:00:00", "status": status}
	)
	return name


class TestDealerIndicators(FrappeTestCase):
	"""A General Agent (GA) with a Provincial Dealer (PD) below it and a Sub-Dealer (SD) below that, and
	an unrelated General Agent (OTHER), in 2026-Q3."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.ga = ga = make_dealer("General Agent")
		cls.pd = pd = make_dealer("Provincial Dealer", parent=ga.name)
		cls.sd = sd = make_dealer("Sub-Dealer", parent=pd.name)
		cls.other = other = make_dealer("General Agent")

		# purchases: GA 1000 - 200 returned = 800; PD 600 and SD 250 on the quarter's first and last day
		bought = make_invoice(ga.customer, "2026-08-01", 1000)
		returned = make_invoice(ga.customer, "2026-08-10", 200, return_against=bought.name)
		make_invoice(ga.customer, "2026-08-02", 500).cancel()  # cancelled: ignored
		make_invoice(ga.customer, "2026-08-03", 300, submit=False)  # draft: ignored
		make_invoice(ga.customer, "2026-10-02", 400)  # after the quarter
		pd_bought = make_invoice(pd.customer, "2026-07-01", 600)
		sd_bought = make_invoice(sd.customer, "2026-09-30", 250)
		other_bought = make_invoice(other.customer, "2026-08-01", 999)

		# registrations: GA 2 (one expired since), SD 1
		ga_approved = make_approved_registration(ga.name, "2026-08-15")
		ga_expired = make_approved_registration(ga.name, "2026-07-20", status="Expired")
		make_approved_registration(ga.name, "2026-10-01")  # approved after the quarter
		rejected = make_registration(ga.name)
		apply_workflow(frappe.get_doc("Deal Registration", rejected.name), "Reject")
		frappe.db.set_value("Deal Registration", rejected.name, "approved_on", "2026-08-16 10:00:00")
		make_registration(ga.name)  # pending approval
		sd_approved = make_approved_registration(sd.name, "2026-09-01")

		# sell-through: GA 2000 (July) + 500 (September), PD 2000 (August)
		ga_july = make_sell_through(ga.name, period="2026-07-01").name
		ga_september = make_sell_through(
			ga.name,
			period="2026-09-01",
			items=[{"item_code": make_item(), "qty": 1, "amount": 500, "city": "北京"}],
		).name
		make_sell_through(ga.name, period="2026-08-01", submit=False)  # draft
		make_sell_through(ga.name, period="2026-10-01")  # after the quarter
		pd_august = make_sell_through(pd.name, period="2026-08-01").name

		cls.expected = {
			"dealer_purchases": {
				ga.name: sorted([bought.name, returned.name]),
				pd.name: [pd_bought.name],
				sd.name: [sd_bought.name],
				other.name: [other_bought.name],
			},
			"deal_registrations_approved": {
				ga.name: sorted([ga_approved, ga_expired]),
				sd.name: [sd_approved],
			},
			"sell_through": {ga.name: sorted([ga_july, ga_september]), pd.name: [pd_august]},
		}
		if not frappe.db.exists("KPI Template", DEALER_TEMPLATE):
			make_template(
				DEALER_TEMPLATE,
				[(label, weight, 1000) for label, weight in zip(DEALER_KPIS, (50, 25, 25), strict=True)],
				applies_to="Dealer",
			)
		cls.group_task = make_task(ga.name, DEALER_TEMPLATE, assignee_type="Dealer", approve=True)
		cls.sd_task = make_task(sd.name, DEALER_TEMPLATE, assignee_type="Dealer", approve=True)

	def dealers(self):
		return [self.ga.name, self.pd.name, self.sd.name, self.other.name]

	def test_the_dealer_builtins_measure_dealers(self):
		for key in self.expected:
			self.assertEqual(BUILT_INS[key].party_type, "Dealer")
			self.assertEqual(
				frappe.db.get_value("KPI Indicator", BUILT_INS[key].label, "party_type"), "Dealer"
			)

	def test_hand_computed_values(self):
		ga, pd, sd, other = self.dealers()
		self.assertEqual(
			BUILT_INS["dealer_purchases"].compute(self.dealers(), *Q3),
			{ga: 800.0, pd: 600.0, sd: 250.0, other: 999.0},
		)
		self.assertEqual(
			BUILT_INS["deal_registrations_approved"].compute(self.dealers(), *Q3), {ga: 2.0, sd: 1.0}
		)
		self.assertEqual(BUILT_INS["sell_through"].compute(self.dealers(), *Q3), {ga: 2500.0, pd: 2000.0})
		# the quarter after: GA's late invoice, registration and report only
		q4 = ("2026-10-01", "2026-12-31")
		self.assertEqual(BUILT_INS["dealer_purchases"].compute([ga], *q4), {ga: 400.0})
		self.assertEqual(BUILT_INS["deal_registrations_approved"].compute([ga], *q4), {ga: 1.0})
		self.assertEqual(BUILT_INS["sell_through"].compute([ga], *q4), {ga: 2000.0})

	def test_drilldown_names(self):
		for key, by_dealer in self.expected.items():
			for dealer, names in by_dealer.items():
				with self.subTest(key=key, dealer=dealer):
					self.assertEqual(BUILT_INS[key].document_names([dealer], *Q3, limit=50), names)

	def test_general_agent_task_rolls_up_the_dealers_below_it(self):
		self.assertTrue(self.group_task.is_group)
		card = frappe.get_doc("KPI Scorecard", {"sales_task": self.group_task.name})
		actuals = {row.indicator: row.actual for row in card.rows}
		# GA + PD + SD; the unrelated General Agent is not part of the group
		self.assertEqual(
			actuals,
			{"Dealer Purchases": 1650, "Deal Registrations Approved": 3, "Sell-Through Reported": 4500},
		)
		for key, label in zip(self.expected, DEALER_KPIS, strict=True):
			with self.subTest(key=key):
				mine = [
					name
					for dealer in (self.ga.name, self.pd.name, self.sd.name)
					for name in self.expected[key].get(dealer, [])
				]
				result = scorecard.get_drilldown(card.name, label)
				self.assertEqual(result["names"], sorted(mine))
				self.assertEqual(result["doctype"], BUILT_INS[key].drilldown_doctype)

	def test_a_sub_dealer_task_counts_only_its_own(self):
		card = frappe.get_doc("KPI Scorecard", {"sales_task": self.sd_task.name})
		self.assertEqual(
			{row.indicator: row.actual for row in card.rows},
			{"Dealer Purchases": 250, "Deal Registrations Approved": 1, "Sell-Through Reported": 0},
		)

	def test_members_by_group_reads_each_tree(self):
		members = scorecard._members_by_group({self.ga.name, self.pd.name}, "Dealer")
		self.assertEqual(members[self.ga.name], [self.ga.name, self.pd.name, self.sd.name])
		self.assertEqual(members[self.pd.name], [self.pd.name, self.sd.name])
		self.assertEqual(scorecard._members_by_group({self.ga.name}, "Customer"), {})

	def test_a_salesperson_template_cannot_use_a_dealer_indicator(self):
		with self.assertRaises(InvalidKPITemplateError):
			make_template("_Test SR Mixed " + frappe.generate_hash(length=6), [("Dealer Purchases", 100, 1)])

	def test_a_builtin_keeps_its_party_type(self):
		doc = frappe.get_doc("KPI Indicator", "Sell-Through Reported")
		doc.party_type = "Sales Person"
		doc.save(ignore_permissions=True)
		self.assertEqual(doc.party_type, "Dealer")


class TestTelesalesIndicators(FrappeTestCase):
	def setUp(self):
		self.team = make_team()

	def tearDown(self):
		frappe.db.rollback()

	def test_calls_and_conversions_by_their_own_dates(self):
		team = self.team
		opportunity = make_opportunity(sales_person=team.rep_a)
		customer = opportunity.party_name
		# called in Q2, converted in Q3: a Q2 call and a Q3 conversion
		converted = make_telesales_call(
			team.rep_a_user,
			customer,
			"2026-06-29",
			"Converted",
			conversion_doctype="Opportunity",
			conversion_name=opportunity.name,
			converted_on="2026-07-02",
		)
		reached = make_telesales_call(team.rep_a_user, customer, "2026-07-03", "Not Reached")
		make_telesales_call(team.rep_a_user, customer, "2026-07-04", "Not Reached", status="Cancelled")
		make_telesales_call(team.rep_a_user, customer, None)  # no outcome yet
		other = make_telesales_call(team.rep_b_user, customer, "2026-07-05", "Not Interested")
		people = [team.rep_a, team.rep_b, team.manager]
		calls, conversions = BUILT_INS["telesales_calls"], BUILT_INS["telesales_conversions"]
		self.assertEqual(calls.compute(people, *Q3), {team.rep_a: 1.0, team.rep_b: 1.0})
		self.assertEqual(calls.document_names([team.rep_a], *Q3, limit=10), [reached])
		self.assertEqual(calls.document_names(people, *Q3, limit=10), sorted([reached, other]))
		self.assertEqual(calls.compute(people, "2026-04-01", "2026-06-30"), {team.rep_a: 1.0})
		self.assertEqual(conversions.compute(people, *Q3), {team.rep_a: 1.0})
		self.assertEqual(conversions.document_names(people, *Q3, limit=10), [converted])
		self.assertEqual(conversions.compute(people, "2026-04-01", "2026-06-30"), {})


class TestNewBuiltInsPatch(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_patch_ships_the_missing_builtins_with_their_party_type(self):
		from sales_reengineering.patches.v0_1.channel_telesales_kpi_indicators import execute

		keys = ("dealer_purchases", "telesales_calls", "info_feedback_weekly")
		for key in keys:
			frappe.db.delete("KPI Indicator", BUILT_INS[key].label)
		frappe.db.set_value("KPI Indicator", "Sell-Through Reported", "description", "Edited by an admin.")
		execute()
		for key in keys:
			builtin = BUILT_INS[key]
			self.assertEqual(
				frappe.db.get_value(
					"KPI Indicator", builtin.label, ["builtin_key", "party_type", "rollup_method"]
				),
				(key, builtin.party_type, builtin.rollup),
			)
		self.assertEqual(
			frappe.db.get_value("KPI Indicator", "Sell-Through Reported", "description"),
			"Edited by an admin.",
		)
