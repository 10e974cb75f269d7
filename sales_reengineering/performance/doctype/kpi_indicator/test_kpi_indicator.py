# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import InvalidIndicatorError
from sales_reengineering.performance import indicators
from sales_reengineering.tests.factories_performance import (
	REP_A,
	REP_B,
	REP_C,
	make_assistant_customers,
	make_customer,
	make_indicator,
	make_sales_scenario,
	set_assistant_scores,
)

Q3 = ("2026-07-01", "2026-09-30")
PEOPLE = [REP_A, REP_B, REP_C]


class TestBuiltInIndicators(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.scenario = make_sales_scenario()

	def builtin(self, key, start=Q3[0], end=Q3[1]):
		return indicators.BUILT_INS[key].compute(PEOPLE, start, end)

	def test_net_sales_weights_returns_cancellations_and_period(self):
		# A: 1000 - 200 (return) + 60% of 500; B: 40% of 500; the cancelled 700 and June's 300 are out
		self.assertEqual(self.builtin("net_sales"), {REP_A: 1100.0, REP_B: 200.0})

	def test_net_sales_includes_invoice_on_the_period_edges(self):
		self.assertEqual(self.builtin("net_sales", "2026-06-20", "2026-06-20"), {REP_A: 300.0})
		self.assertEqual(self.builtin("net_sales", "2026-09-30", "2026-09-30"), {REP_A: 300.0, REP_B: 200.0})

	def test_new_and_repeat_customers(self):
		self.assertEqual(self.builtin("new_customers"), {REP_A: 1.0})
		self.assertEqual(self.builtin("repeat_customers"), {REP_A: 1.0})
		# in Q2 the June invoice makes customer 2 new, nobody repeats
		self.assertEqual(self.builtin("new_customers", "2026-04-01", "2026-06-30"), {REP_A: 1.0})
		self.assertEqual(self.builtin("repeat_customers", "2026-04-01", "2026-06-30"), {})

	def test_collections_split_by_sales_team(self):
		self.assertEqual(self.builtin("collections"), {REP_A: 300.0, REP_B: 200.0})
		self.assertEqual(self.builtin("collections", "2026-10-01", "2026-12-31"), {})

	def test_every_builtin_runs_for_the_population(self):
		for key, builtin in indicators.BUILT_INS.items():
			with self.subTest(key=key):
				result = builtin.compute(PEOPLE, *Q3)
				self.assertIsInstance(result, dict)
				self.assertTrue(set(result) <= set(PEOPLE))
				self.assertTrue(builtin.description and builtin.unit)

	def test_indicators_of_missing_doctypes_are_empty(self):
		self.assertIsNone(indicators._field("No Such SR Doctype", "Link", "Sales Person"))
		for key, doctype in (
			("opportunities_advanced", "Opportunity Stage Log"),
			("stage_progress_rate", "Sales Progress Snapshot"),
			("info_feedback_count", "Info Feedback Report"),
			("info_feedback_rating", "Info Feedback Report"),
			("dealer_sell_in", "Dealer"),
		):
			if not frappe.db.exists("DocType", doctype):
				self.assertEqual(self.builtin(key), {}, key)

	def test_shipped_records(self):
		names = frappe.get_all("KPI Indicator", filters={"source": "Built-in"}, pluck="builtin_key")
		self.assertEqual(set(names), set(indicators.BUILT_INS))
		net = frappe.get_doc("KPI Indicator", "Net Sales")
		self.assertEqual(net.compute(PEOPLE, *Q3), {REP_A: 1100.0, REP_B: 200.0})
		self.assertEqual(net.compute([], *Q3), {})

	def test_rollup(self):
		self.assertEqual(indicators.rollup([1.0, 2.0, 3.0], "Sum"), 6.0)
		self.assertEqual(indicators.rollup([1.0, 2.0, 3.0], "Average"), 2.0)
		self.assertEqual(indicators.rollup([], "Sum"), 0.0)
		self.assertIsNone(indicators.rollup([], "Average"))


class TestCustomIndicator(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def custom(self, **kwargs):
		values = {
			"source": "Custom",
			"ref_doctype": "Customer",
			"date_field": "creation",
			"person_field": "sr_sales_person",
			"aggregate": "Count",
			"description": "Companies the salesperson opened.",
		}
		values.update(kwargs)
		return make_indicator("_Test SR Custom Indicator", **values)

	def test_count_with_filters(self):
		make_customer("_Test SR Custom Co", REP_A, "Company")
		make_customer("_Test SR Custom Person", REP_A, "Individual")
		make_customer("_Test SR Custom Co B", REP_B, "Company")
		indicator = self.custom(filters=[{"fieldname": "customer_type", "operator": "=", "value": "Company"}])
		today = frappe.utils.today()
		result = indicator.compute(PEOPLE, today, today)
		self.assertEqual(result[REP_B], 1.0)
		self.assertEqual(
			result[REP_A],
			1.0
			+ frappe.db.count(
				"Customer",
				{"sr_sales_person": REP_A, "customer_type": "Company", "name": ("!=", "_Test SR Custom Co")},
			),
		)
		# outside the period: nothing
		self.assertEqual(indicator.compute(PEOPLE, "2000-01-01", "2000-01-31"), {})

	def test_in_filter_and_not_set(self):
		make_customer("_Test SR Custom In", REP_C, "Individual")
		indicator = self.custom(
			filters=[
				{"fieldname": "customer_type", "operator": "in", "value": "Individual, Partnership"},
				{"fieldname": "customer_details", "operator": "is not set"},
			]
		)
		today = frappe.utils.today()
		self.assertEqual(indicator.compute([REP_C], today, today), {REP_C: 1.0})

	def test_sum_and_average_need_a_numeric_value_field(self):
		with self.assertRaises(InvalidIndicatorError):
			self.custom(aggregate="Sum", value_field="customer_name")
		with self.assertRaises(InvalidIndicatorError):
			self.custom(aggregate="Average", value_field=None)
		indicator = self.custom(aggregate="Sum", value_field="default_commission_rate")
		self.assertEqual(indicator.compute([REP_C], "2000-01-01", "2000-01-02"), {})

	def test_rejections(self):
		bad = {
			"unknown doctype": {"ref_doctype": "No Such SR Doctype"},
			"child table": {
				"ref_doctype": "Sales Team",
				"person_field": "sales_person",
				"date_field": "creation",
			},
			"single": {"ref_doctype": "Sales Reengineering Settings"},
			"date field not a date": {"date_field": "customer_name"},
			"missing date field": {"date_field": "no_such_field"},
			"person field not a link": {"person_field": "customer_name"},
			"person field links elsewhere": {"person_field": "territory"},
			"unknown filter field": {"filters": [{"fieldname": "nope", "operator": "=", "value": "x"}]},
			"bad operator": {"filters": [{"fieldname": "customer_type", "operator": "; drop", "value": "x"}]},
			"missing value": {"filters": [{"fieldname": "customer_type", "operator": "=", "value": ""}]},
			"number expected": {"filters": [{"fieldname": "is_frozen", "operator": ">", "value": "abc"}]},
			"layout field": {"filters": [{"fieldname": "tax_tab", "operator": "=", "value": "1"}]},
		}
		for case, values in bad.items():
			with self.subTest(case=case), self.assertRaises(frappe.ValidationError):
				self.custom(**values)
			frappe.db.rollback()

	def test_unknown_builtin_is_rejected(self):
		with self.assertRaises(frappe.ValidationError):
			make_indicator("_Test SR Bad Builtin", source="Built-in", builtin_key="no_such_key")

	def test_custom_source_lists_the_counted_documents(self):
		company = make_customer("_Test SR Custom Source Co", REP_C, "Company")
		make_customer("_Test SR Custom Source Person", REP_C, "Individual")
		indicator = self.custom(filters=[{"fieldname": "customer_type", "operator": "=", "value": "Company"}])
		today = frappe.utils.today()
		source = indicator.get_source([REP_C], today, today)
		self.assertEqual(source.document_names(10), [company])
		self.assertEqual(source.aggregate(), {REP_C: 1.0})
		self.assertEqual(indicator.drilldown_doctype(), "Customer")
		self.assertIsNone(indicator.get_source([None, ""], today, today))

	def test_builtin_description_is_filled(self):
		indicator = make_indicator("_Test SR Builtin Copy", source="Built-in", builtin_key="collections")
		self.assertEqual(indicator.description, indicators.BUILT_INS["collections"].description)


class TestStageIndicators(FrappeTestCase):
	"""Indicators over the customer-intelligence module's stage log and weekly snapshots."""

	def tearDown(self):
		frappe.db.rollback()

	def opportunity(self, customer, person):
		return frappe.get_doc(
			{
				"doctype": "Opportunity",
				"opportunity_from": "Customer",
				"party_name": customer,
				"company": "_Test SR Company",
				"sales_stage": "_Test SR Qualification",
				"sr_sales_person": person,
			}
		).insert(ignore_permissions=True)

	def log(self, opportunity, person, old, new, when):
		frappe.get_doc(
			{
				"doctype": "Opportunity Stage Log",
				"opportunity": opportunity,
				"sales_person": person,
				"from_stage": old,
				"to_stage": new,
				"changed_on": when,
			}
		).insert(ignore_permissions=True)

	def test_opportunities_advanced(self):
		if not frappe.db.exists("DocType", "Opportunity Stage Log"):
			self.skipTest("Opportunity Stage Log is not installed")
		customer = make_customer("_Test SR Stage Customer", REP_A)
		first, second, third = (self.opportunity(customer, REP_A).name for _ in range(3))
		# first moves up twice (counted once), second moves down, third moves up but in October
		self.log(first, REP_A, "_Test SR Qualification", "_Test SR Needs Analysis", "2026-08-03 10:00:00")
		self.log(first, REP_A, "_Test SR Needs Analysis", "_Test SR Proposal", "2026-08-20 10:00:00")
		self.log(second, REP_A, "_Test SR Proposal", "_Test SR Qualification", "2026-08-04 10:00:00")
		self.log(third, REP_A, "_Test SR Qualification", "_Test SR Proposal", "2026-10-01 10:00:00")
		self.assertEqual(indicators.BUILT_INS["opportunities_advanced"].compute(PEOPLE, *Q3), {REP_A: 1.0})
		# for many people at once the query starts from the period's moves (an index hint): same answer
		many = [*PEOPLE, *(f"_Test SR Nobody {n}" for n in range(indicators.MANY_PERSONS))]
		quarter = [frappe.utils.getdate(day) for day in Q3]
		def sql(people):
			source = indicators.opportunities_advanced_source(people, *quarter)
			return source.query.select(source.party).get_sql()

		self.assertIn("FORCE INDEX (`sr_moves`)", sql(many))  # the moves' columns from the index alone
		self.assertNotIn("FORCE INDEX", sql(PEOPLE))
		self.assertEqual(indicators.BUILT_INS["opportunities_advanced"].compute(many, *Q3), {REP_A: 1.0})

	def test_stage_progress_rate_averages_the_weeks(self):
		if not frappe.db.exists("DocType", "Sales Progress Snapshot"):
			self.skipTest("Sales Progress Snapshot is not installed")
		for week_start, rate in (("2026-08-03", 50), ("2026-08-10", 100), ("2026-10-05", 0)):
			frappe.db.delete("Sales Progress Snapshot", {"sales_person": REP_B, "week_start": week_start})
			snapshot = frappe.new_doc("Sales Progress Snapshot")
			snapshot.update({"sales_person": REP_B, "week_start": week_start, "progress_rate": rate})
			snapshot.week_end = frappe.utils.add_days(week_start, 7)
			snapshot.flags.ignore_mandatory = True
			snapshot.insert(ignore_permissions=True)
		self.assertEqual(indicators.BUILT_INS["stage_progress_rate"].compute(PEOPLE, *Q3), {REP_B: 75.0})

	def test_info_feedback_count_and_rating(self):
		if not frappe.db.exists("DocType", "Info Feedback Report"):
			self.skipTest("Info Feedback Report is not installed")
		names = []
		dates = ("2026-07-05", "2026-08-05", "2026-08-06", "2026-10-05", "2026-08-07", "2026-08-08")
		for report_date in dates:
			doc = frappe.get_doc(
				{
					"doctype": "Info Feedback Report",
					"title": "Regional demand",
					"report_type": "Customer Demand",
					"report_date": report_date,
					"sales_person": REP_A,
					"territory": "_Test SR Beijing",
					"content": "Hospitals in Beijing plan storage upgrades.",
				}
			).insert(ignore_permissions=True, ignore_mandatory=True)
			names.append(doc.name)
		# Q3: approved rated 4, rejected rated 2, approved not rated yet, a rated draft, one awaiting review;
		# the October one is approved and rated 5
		states = ("Approved", "Rejected", "Approved", "Approved", "Draft", "Submitted")
		for name, rating, state in zip(names, (4, 2, 0, 5, 5, 1), states, strict=True):
			frappe.db.set_value(
				"Info Feedback Report", name, {"quality_rating": rating, "workflow_state": state}
			)
		count = indicators.BUILT_INS["info_feedback_count"]
		# only the approved ones count: not the rejected one, the draft or the one awaiting review
		self.assertEqual(count.compute(PEOPLE, *Q3), {REP_A: 2.0})
		self.assertEqual(count.document_names(PEOPLE, *Q3, limit=10), sorted([names[0], names[2]]))
		# the rating averages the reviewed (approved or rejected) rated reports: (4 + 2) / 2
		rating = indicators.BUILT_INS["info_feedback_rating"]
		self.assertEqual(rating.compute(PEOPLE, *Q3), {REP_A: 3.0})
		self.assertEqual(rating.document_names(PEOPLE, *Q3, limit=10), sorted(names[:2]))
		# 2 approved reports over the 92 days (92 / 7 weeks) of Q3; 1 in the 7 days from 2026-08-01
		weekly = indicators.BUILT_INS["info_feedback_weekly"]
		self.assertAlmostEqual(weekly.compute(PEOPLE, *Q3)[REP_A], 2 * 7 / 92, places=9)
		self.assertEqual(weekly.compute(PEOPLE, "2026-08-01", "2026-08-07"), {REP_A: 1.0})
		self.assertEqual(weekly.document_names(PEOPLE, *Q3, limit=10), sorted([names[0], names[2]]))


class TestAssistantIndicators(FrappeTestCase):
	"""The sales assistants' indicators: the enabled customers whose Maintaining Sales Assistant is the
	person's user (Sales Person → Employee → User). Hand-computed from `ASSISTANT_CUSTOMERS`."""

	@classmethod
	def setUpClass(cls):
		from sales_reengineering.tests.factories_customer_intelligence import make_team, make_user

		super().setUpClass()
		cls.team = make_team()
		cls.customers = make_assistant_customers(cls.team, frappe.generate_hash(length=6))
		set_assistant_scores(cls.team, cls.customers)
		# an assistant who is no Sales Person's user counts for nobody
		stray = make_user("sr.drill.stray.assistant@sr-test.invalid", ["Sales Assistant"])
		frappe.db.set_value("Customer", cls.customers["b_repeat"], "sr_sales_assistant", stray)
		cls.people = [cls.team.manager, cls.team.rep_a, cls.team.rep_b]

	def test_maintained_customer_completeness(self):
		builtin = indicators.BUILT_INS["assistant_completeness"]
		# A maintains a_repeat (80) and b_new (50), not the disabled one; B maintains a_new (40)
		self.assertEqual(builtin.compute(self.people, *Q3), {self.team.rep_a: 65.0, self.team.rep_b: 40.0})
		# a score of today: the period does not matter
		self.assertEqual(
			builtin.compute([self.team.rep_b], "2000-01-01", "2000-01-31"), {self.team.rep_b: 40.0}
		)
		self.assertEqual(
			(builtin.unit, builtin.rollup, builtin.higher_is_better), ("Percent", "Average", True)
		)

	def test_customers_maintained(self):
		builtin = indicators.BUILT_INS["customers_maintained"]
		self.assertEqual(builtin.compute(self.people, *Q3), {self.team.rep_a: 2.0, self.team.rep_b: 1.0})
		self.assertEqual((builtin.unit, builtin.rollup), ("Count", "Sum"))

	def test_drilldown_lists_the_maintained_customers(self):
		c = self.customers
		for key in ("assistant_completeness", "customers_maintained"):
			builtin = indicators.BUILT_INS[key]
			self.assertEqual(builtin.drilldown_doctype, "Customer")
			self.assertEqual(
				builtin.document_names([self.team.rep_a], *Q3, limit=10), sorted([c["a_repeat"], c["b_new"]])
			)
			self.assertEqual(builtin.document_names([self.team.rep_b], *Q3, limit=10), [c["a_new"]])
			self.assertEqual(builtin.document_names([self.team.manager], *Q3, limit=10), [])

	def test_shipped_with_the_app(self):
		for key, unit, rollup in (
			("assistant_completeness", "Percent", "Average"),
			("customers_maintained", "Count", "Sum"),
		):
			record = frappe.get_doc("KPI Indicator", indicators.BUILT_INS[key].label)
			self.assertEqual((record.builtin_key, record.unit, record.rollup_method), (key, unit, rollup))
			self.assertEqual(
				record.compute([self.team.rep_b], *Q3),
				indicators.BUILT_INS[key].compute([self.team.rep_b], *Q3),
			)

	def test_patch_ships_the_missing_builtins_only(self):
		from sales_reengineering.patches.v0_1.assistant_kpi_indicators import execute

		label = indicators.BUILT_INS["customers_maintained"].label
		frappe.db.delete("KPI Indicator", label)
		frappe.db.set_value("KPI Indicator", "Net Sales", "description", "Edited by an administrator.")
		execute()
		self.assertEqual(frappe.db.get_value("KPI Indicator", label, "builtin_key"), "customers_maintained")
		self.assertEqual(
			frappe.db.get_value("KPI Indicator", "Net Sales", "description"), "Edited by an administrator."
		)
