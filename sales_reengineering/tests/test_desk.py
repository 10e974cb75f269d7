"""The desk by role: each workspace for its roles, number cards and charts that read saved data within
the user's scope, charts whose names fit, and the Sales Person and Dealer forms' connections."""

import json
from datetime import date

import frappe
from frappe.desk.desktop import get_workspace_sidebar_items
from frappe.desk.notifications import get_open_count
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from sales_reengineering.charts import bar_chart, quarter_bounds, recent_quarters, top_label, top_n
from sales_reengineering.tests.factories_channel import make_dealer, make_registration, make_sales_invoice
from sales_reengineering.tests.factories_performance import NORTH, REP_A, REP_B, link_user
from sales_reengineering.tests.utils import make_user

WORKSPACE_ROLES = {
	"My Sales": {"Sales User", "Sales Assistant", "Telesales Agent"},
	"Sales Management": {"Sales Manager"},
	"Channel Management": {"Channel Manager"},
	"Sales Administration": {"System Manager"},
}
ROLE_WORKSPACES = tuple(WORKSPACE_ROLES)


def make_scorecard(assignee: str, score: float, label: str | None = None, is_group: int = 0) -> str:
	"""A saved scorecard of the current quarter (as the daily refresh leaves it), without a task."""
	first, last, current = quarter_bounds()
	name = f"_Test SR Desk {assignee} {label or current}"
	frappe.get_doc(
		{
			"doctype": "KPI Scorecard",
			"name": name,
			"assignee_type": "Sales Person",
			"assignee": assignee,
			"is_group": is_group,
			"period_type": "Quarter",
			"period_label": label or current,
			"from_date": first,
			"to_date": last,
			"total_score": score,
			"beat_target": int(score >= 100),
		}
	).db_insert()
	return name


class TestDesk(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_each_role_workspace_is_restricted_to_its_roles(self):
		for name, roles in WORKSPACE_ROLES.items():
			workspace = frappe.get_doc("Workspace", name)
			self.assertEqual({row.role for row in workspace.roles}, roles, name)
			self.assertTrue(workspace.public)
		frappe.set_user(make_user("sr-desk-channel@example.com", ["Channel Manager"]))
		sidebar = {page.name for page in get_workspace_sidebar_items()["pages"]}
		self.assertEqual(sidebar & set(ROLE_WORKSPACES), {"Channel Management"})
		# the app's index stays open to every role of the app
		self.assertIn("Sales Reengineering", sidebar)

	def test_workspace_cards_and_charts_exist_and_read_saved_data(self):
		"""Every card and chart a workspace shows exists; none runs a report (a live evaluation) and
		every custom one names a whitelisted method of the app."""
		for name in (*ROLE_WORKSPACES, "Sales Reengineering"):
			workspace = frappe.get_doc("Workspace", name)
			content = json.loads(workspace.content)
			shown = {block["data"].get("number_card_name") for block in content} - {None}
			self.assertEqual(shown, {row.number_card_name for row in workspace.number_cards}, name)
			for row in workspace.number_cards:
				card = frappe.get_doc("Number Card", row.number_card_name)
				self.assertNotEqual(card.type, "Report", card.name)
				if card.type == "Custom":
					self.assertTrue(card.method.startswith("sales_reengineering."), card.name)
					self.assertIn(frappe.get_attr(card.method), frappe.whitelisted, card.name)
			for row in workspace.charts:
				chart = frappe.get_doc("Dashboard Chart", row.chart_name)
				self.assertEqual(chart.chart_type, "Custom", chart.name)
				source = frappe.get_doc("Dashboard Chart Source", chart.source)
				# the chart formats its numbers (money, percent or a count)
				self.assertIn(json.loads(chart.custom_options)["fieldtype"], ("Currency", "Percent", "Int"))
				self.assertTrue(source.module, chart.name)

	def test_top_kpi_scores_read_saved_scorecards_within_scope(self):
		from sales_reengineering.performance.dashboard_chart_source.top_kpi_scores.top_kpi_scores import (
			get,
		)

		# scores no indicator would give: the chart reads what is saved
		make_scorecard(REP_A, 77.7)
		make_scorecard(REP_B, 33.3)
		make_scorecard(NORTH, 150, is_group=1)
		make_scorecard(REP_B, 99, label="2020-Q1")
		data = get()
		scores = dict(zip(data["labels"], data["datasets"][0]["values"], strict=True))
		self.assertEqual((scores.get(REP_A), scores.get(REP_B)), (77.7, 33.3))
		self.assertNotIn(NORTH, scores)
		self.assertEqual(data["labels"], sorted(scores, key=lambda name: -scores[name]))
		self.assertLessEqual(len(data["labels"]), 10)

		frappe.set_user(link_user("sr-desk-rep@example.com", REP_A))
		self.assertEqual(get()["labels"], [REP_A])

	def test_number_cards_read_the_users_own_scorecards(self):
		from sales_reengineering.performance import number_cards

		make_scorecard(REP_A, 120)
		make_scorecard(REP_B, 40)
		totals = number_cards.average_kpi_score()
		self.assertEqual(totals["fieldtype"], "Percent")
		beat = number_cards.beat_target_count()["value"]
		frappe.set_user(link_user("sr-desk-rep2@example.com", REP_A))
		self.assertEqual(number_cards.my_kpi_score(), {"value": 120, "fieldtype": "Percent"})
		# a salesperson averages and counts only their own scorecards
		self.assertEqual(number_cards.average_kpi_score()["value"], 120)
		self.assertEqual(number_cards.beat_target_count()["value"], 1)
		self.assertGreaterEqual(beat, 1)

	def test_kpi_score_by_period_starts_at_the_first_quarter_with_scores(self):
		from sales_reengineering.performance.dashboard_chart_source.kpi_score_by_period import (
			kpi_score_by_period,
		)

		quarters = recent_quarters(4)
		frappe.db.delete("KPI Scorecard", {"period_label": ("in", quarters)})
		self.assertEqual(kpi_score_by_period.get(), {})
		make_scorecard(REP_A, 60, label=quarters[2])
		make_scorecard(REP_B, 80, label=quarters[2])
		make_scorecard(REP_A, 90, label=quarters[3])
		data = kpi_score_by_period.get()
		self.assertEqual(data["labels"], quarters[2:])
		self.assertEqual(data["datasets"][0]["values"], [70, 90])

	def test_chart_helpers(self):
		rows = [("B", 10), ("A", 10), ("C", 30)] + [(f"X{i}", i) for i in range(10)]
		best = top_n(rows, 3)
		self.assertEqual(best, [("C", 30), ("A", 10), ("B", 10)])
		self.assertEqual(top_label("Score", 3, 13), "Score (top 3 of 13)")
		self.assertEqual(top_label("Score", 3, 3), "Score")
		chart = bar_chart(best, "Score", "Percent")
		self.assertEqual((chart["fieldtype"], chart["data"]["labels"]), ("Percent", ["C", "A", "B"]))
		self.assertIsNone(bar_chart([], "Score"))
		self.assertEqual(quarter_bounds("2026-11-30"), (date(2026, 10, 1), date(2026, 12, 31), "2026-Q4"))
		self.assertEqual(quarter_bounds("2026-02-28")[2], "2026-Q1")
		self.assertEqual(recent_quarters(3, "2026-02-01"), ["2025-Q3", "2025-Q4", "2026-Q1"])

	def test_sales_person_form_shows_tasks_scorecards_rankings_and_standing(self):
		from sales_reengineering.performance.sales_person import get_standing

		data = frappe.get_meta("Sales Person").get_dashboard_data()
		items = {doctype for group in data.transactions for doctype in group["items"]}
		self.assertTrue({"Sales Task", "KPI Scorecard", "Sales Ranking", "Sales Order"} <= items)
		scorecard = make_scorecard(REP_A, 64.5)
		_first, _last, label = quarter_bounds()
		# a ranking later than any other, so it is the latest that lists A
		ranking = frappe.get_doc(
			{
				"doctype": "Sales Ranking",
				"period_type": "Quarter",
				"period_label": "2999-Q1",
				"level": "Individuals",
				"from_date": "2999-01-01",
				"to_date": "2999-03-31",
				"entries": [
					{"rank": 1, "sales_person": REP_B, "total_score": 90},
					{"rank": 2, "sales_person": REP_A, "total_score": 64.5, "scorecard": scorecard},
				],
			}
		).insert(ignore_permissions=True)
		self.assertTrue(ranking.name)
		counts = {
			row["doctype"]: row["count"]
			for row in get_open_count("Sales Person", REP_A)["count"]["external_links_found"]
		}
		self.assertEqual(counts["KPI Scorecard"], frappe.db.count("KPI Scorecard", {"assignee": REP_A}))
		self.assertGreaterEqual(counts["Sales Ranking"], 1)
		standing = get_standing(REP_A)
		self.assertEqual((standing["score"], standing["period"]), (64.5, label))
		self.assertEqual((standing["rank"], standing["ranked"], standing["ranking_period"]), (2, 2, "2999-Q1"))

	def test_dealer_form_shows_registrations_sub_dealers_and_purchases(self):
		from sales_reengineering.channel.purchases import get_dealer_purchases

		agent = make_dealer()
		province = make_dealer("Provincial Dealer", parent=agent.name)
		make_registration(agent.name)
		first, _last, _label = quarter_bounds()
		make_sales_invoice(agent.customer, 1000, posting_date=str(first))
		make_sales_invoice(agent.customer, 300, posting_date=str(add_days(first, -10)))
		counts = {
			row["doctype"]: row["count"]
			for row in get_open_count("Dealer", agent.name)["count"]["external_links_found"]
		}
		self.assertEqual((counts["Deal Registration"], counts["Dealer"]), (1, 1))
		self.assertEqual(counts["Sell Through Report"], 0)
		purchases = get_dealer_purchases(agent.name)
		self.assertEqual(purchases["customer"], agent.customer)
		self.assertEqual((purchases["this_quarter"], purchases["last_quarter"]), (1000, 300))
		self.assertEqual((purchases["last_12_months"], purchases["invoices"]), (1300, 2))
		self.assertFalse(get_dealer_purchases(province.name).get("invoices"))
		frappe.set_user(make_user("sr-desk-accounts@example.com", ["Accounts User"]))
		with self.assertRaises(frappe.PermissionError):
			get_dealer_purchases(agent.name)

	def test_quarter_bounds_follow_today(self):
		first, last, label = quarter_bounds()
		self.assertTrue(first <= getdate(today()) <= last)
		self.assertEqual(label, f"{first.year}-Q{(first.month - 1) // 3 + 1}")
