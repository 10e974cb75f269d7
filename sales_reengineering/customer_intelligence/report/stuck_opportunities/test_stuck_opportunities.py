# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, now_datetime

from sales_reengineering.customer_intelligence.report.stuck_opportunities.stuck_opportunities import execute
from sales_reengineering.exceptions import CustomerIntelligenceError
from sales_reengineering.tests.factories_customer_intelligence import STAGES, make_opportunity, make_team

LOG = "Opportunity Stage Log"


class TestStuckOpportunities(FrappeTestCase):
	def setUp(self):
		# per test: tearDown rolls back everything, the team included
		self.team = make_team()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def aged(self, days: int, sales_person: str, stage: str = STAGES[1]) -> str:
		"""An open opportunity whose last stage change was `days` days ago."""
		opp = make_opportunity(sales_stage=stage, sales_person=sales_person)
		moment = add_days(now_datetime(), -days)
		frappe.db.set_value("Opportunity", opp.name, "creation", moment, update_modified=False)
		frappe.db.set_value(LOG, {"opportunity": opp.name}, "changed_on", moment)
		return opp.name

	def names(self, **filters) -> list[str]:
		_columns, data, _message, _chart, _summary = execute({"sales_person": self.team.manager, **filters})
		return [row.opportunity for row in data]

	def test_lists_only_open_opportunities_past_the_threshold(self):
		old = self.aged(30, self.team.rep_a)
		recent = self.aged(3, self.team.rep_a)
		closed = self.aged(30, self.team.rep_a)
		doc = frappe.get_doc("Opportunity", closed)
		doc.status = "Closed"
		doc.save(ignore_permissions=True)

		names = self.names()  # settings default: 14 days
		self.assertIn(old, names)
		self.assertNotIn(recent, names)
		self.assertNotIn(closed, names)
		self.assertIn(recent, self.names(stuck_days=2))

		columns, data, _message, chart, summary = execute({"sales_person": self.team.manager})
		self.assertIn("days_stuck", [column["fieldname"] for column in columns])
		row = next(row for row in data if row.opportunity == old)
		self.assertEqual(row.days_stuck, 30)
		self.assertEqual(row.stage_order, 2)
		self.assertEqual(summary[0]["value"], len(data))
		self.assertEqual(sum(chart["data"]["datasets"][0]["values"]), len(data))

	def test_a_recent_stage_move_unsticks(self):
		name = self.aged(30, self.team.rep_a)
		doc = frappe.get_doc("Opportunity", name)
		doc.sales_stage = STAGES[2]
		doc.save(ignore_permissions=True)
		self.assertNotIn(name, self.names())

	def test_salesperson_filter_includes_subtree(self):
		a = self.aged(30, self.team.rep_a)
		b = self.aged(30, self.team.rep_b)
		self.assertEqual(sorted(self.names()), sorted([a, b]))
		self.assertEqual(self.names(sales_person=self.team.rep_b), [b])

	def test_rows_follow_the_users_team(self):
		a = self.aged(30, self.team.rep_a)
		b = self.aged(30, self.team.rep_b)
		frappe.set_user(self.team.rep_a_user)
		self.assertEqual(self.names(), [a])
		frappe.set_user(self.team.manager_user)
		self.assertEqual(sorted(self.names()), sorted([a, b]))

	def test_bad_threshold_is_rejected(self):
		for value in (0, -3, "abc"):
			with self.assertRaises(CustomerIntelligenceError):
				execute({"stuck_days": value})

	def test_company_level_summarises_by_salesperson(self):
		a_old = self.aged(40, self.team.rep_a)
		self.aged(20, self.team.rep_a, stage=STAGES[2])
		b = self.aged(30, self.team.rep_b)
		frappe.db.set_value("Opportunity", a_old, "opportunity_amount", 1000)
		frappe.db.set_value("Opportunity", b, "opportunity_amount", 300)

		# who sees every salesperson and chose none: one row per salesperson, counted by the database
		columns, data, message, chart, summary = execute({})
		self.assertEqual(columns[0]["fieldname"], "sales_person")
		self.assertNotIn("opportunity", [column["fieldname"] for column in columns])
		self.assertIn("Every Opportunity", message)
		rows = {row.sales_person: row for row in data}
		rep_a, rep_b = rows[self.team.rep_a], rows[self.team.rep_b]
		self.assertEqual((rep_a.opportunities, rep_a.max_days_stuck, rep_a.average_days_stuck), (2, 40, 30))
		other = frappe.db.get_value(
			"Opportunity", {"name": ("!=", a_old), "sr_sales_person": self.team.rep_a}, "opportunity_amount"
		)
		self.assertEqual(flt(rep_a.base_amount), 1000 + flt(other))
		self.assertEqual((rep_b.opportunities, rep_b.max_days_stuck, flt(rep_b.base_amount)), (1, 30, 300))
		# the totals and the chart are those of the list, opportunity by opportunity
		_c, detail, _m, detail_chart, detail_summary = execute({"detail": 1})
		self.assertIn(b, [row.opportunity for row in detail])
		self.assertEqual(summary, detail_summary)
		self.assertEqual(sum(chart["data"]["datasets"][0]["values"]), len(detail))
		self.assertEqual(sum(row.opportunities for row in data), len(detail))

		# a team's manager, who does not see everyone, gets the list of their team
		frappe.set_user(self.team.manager_user)
		_c, data, message, *_rest = execute({})
		self.assertIn(b, [row.opportunity for row in data])
		self.assertIsNone(message)

	def test_summary_query_count_is_constant(self):
		from sales_reengineering.tests.query_count import counted_queries

		self.aged(30, self.team.rep_a)
		execute({})  # settings and companies cached
		with counted_queries() as one:
			execute({})
		self.aged(30, self.team.rep_b)
		self.aged(30, self.team.rep_b)
		with counted_queries() as three:
			execute({})
		self.assertEqual(len(one), len(three))
