# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""The rewards ledger: approved feedback points and monthly reward tiers become entries once per source
and salesperson, follow their source (changed, reversed), manual adjustments count once a Sales Manager
approves them, and the Rewards Ledger report adds up balances by person and team, with their rank."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import InvalidRewardEntryError
from sales_reengineering.performance import rewards
from sales_reengineering.performance.doctype.reward_ledger_entry.reward_ledger_entry import approve, reject
from sales_reengineering.performance.report.rewards_ledger.rewards_ledger import execute as ledger_report
from sales_reengineering.tests.factories_customer_intelligence import make_team
from sales_reengineering.tests.query_count import query_count

LEDGER = "Reward Ledger Entry"
PERIOD = {"from_date": "2026-01-01", "to_date": "2026-12-31"}


def entries(**filters):
	return frappe.get_all(LEDGER, filters=filters, fields=["sales_person", "points", "status", "source_type"])


class TestRewardLedger(FrappeTestCase):
	def setUp(self):
		self.team = make_team()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	# -- info feedback -------------------------------------------------------------------------------

	def feedback(self, points: int):
		doc = frappe.get_doc(
			{
				"doctype": "Info Feedback Report",
				"title": "Regional demand",
				"report_type": "Customer Demand",
				"report_date": "2026-08-03",
				"sales_person": self.team.rep_a,
				"territory": "_Test SR Beijing",
				"content": "Hospitals plan storage upgrades.",
			}
		).insert(ignore_permissions=True, ignore_mandatory=True)
		doc = apply_workflow(doc, "Submit for Review")
		doc.reward_points, doc.quality_rating = points, 3
		doc.save()
		return doc

	def test_feedback_points_count_once_approved(self):
		doc = self.feedback(20)
		self.assertEqual(entries(source_document=doc.name), [])  # not approved yet
		doc = apply_workflow(doc, "Approve")
		doc.save()  # saved twice: still one entry
		self.assertEqual(
			entries(source_document=doc.name),
			[{"sales_person": self.team.rep_a, "points": 20, "status": "Approved", "source_type": "Info Feedback"}],
		)
		# the manager turns it into a penalty, then takes the points away: changed, then reversed
		doc.reward_points = -10
		doc.save()
		self.assertEqual([row.points for row in entries(source_document=doc.name)], [-10])
		doc.reward_points = 0
		doc.save()
		self.assertEqual([row.status for row in entries(source_document=doc.name)], ["Reversed"])
		self.assertEqual(rewards.balances([self.team.rep_a]), {})

	def test_rejected_feedback_earns_nothing(self):
		doc = apply_workflow(self.feedback(20), "Reject")
		self.assertEqual(entries(source_document=doc.name), [])

	# -- monthly rankings ----------------------------------------------------------------------------

	def ranking(self, tiers: dict[str, str | None], name: str = "_Test SR Ranking"):
		rows = [{"rank": i + 1, "sales_person": p, "total_score": 100 - i, "reward_tier": t} for i, (p, t) in enumerate(tiers.items())]
		if frappe.db.exists("Sales Ranking", {"period_label": name}):
			doc = frappe.get_doc("Sales Ranking", {"period_label": name})
			doc.set("entries", rows)
			doc.save(ignore_permissions=True)
			return doc
		return frappe.get_doc(
			{
				"doctype": "Sales Ranking",
				"period_type": "Month",
				"period_label": name,
				"level": "Individuals",
				"from_date": "2026-08-01",
				"to_date": "2026-08-31",
				"entries": rows,
			}
		).insert(ignore_permissions=True)

	def test_ranking_tiers_become_entries_in_bulk_and_follow_recomputes(self):
		points = rewards.tier_points()
		self.assertEqual((points.get("Top 10%"), points.get("Beat Target")), (100, 50))
		team = self.team
		doc = self.ranking({team.rep_a: "Top 10%", team.rep_b: "Beat Target", team.manager: None})
		self.assertEqual(
			{row.sales_person: (row.points, row.status) for row in entries(source_document=doc.name)},
			{team.rep_a: (100, "Approved"), team.rep_b: (50, "Approved")},
		)
		# recomputed: A drops to Beat Target, B loses the tier; nothing counted twice
		doc = self.ranking({team.rep_a: "Beat Target", team.rep_b: None})
		self.assertEqual(
			{row.sales_person: (row.points, row.status) for row in entries(source_document=doc.name)},
			{team.rep_a: (50, "Approved"), team.rep_b: (50, "Reversed")},
		)
		self.assertEqual(rewards.balances([team.rep_a, team.rep_b]), {team.rep_a: 50})

	def test_ranking_entries_cost_the_same_for_two_or_twenty_people(self):
		people = [make_team(with_users=False) for _ in range(10)]
		few = {people[0].rep_a: "Beat Target", people[0].rep_b: "Beat Target"}
		many = {p: "Beat Target" for team in people for p in (team.rep_a, team.rep_b)}
		few_doc = self.ranking(few, "_Test SR Few")
		many_doc = self.ranking(many, "_Test SR Many")
		frappe.db.delete(LEDGER, {"source_document": ("in", [few_doc.name, many_doc.name])})
		self.assertEqual(
			query_count(rewards.on_ranking_change, few_doc), query_count(rewards.on_ranking_change, many_doc)
		)
		self.assertEqual(len(entries(source_document=many_doc.name)), 20)

	# -- manual adjustments --------------------------------------------------------------------------

	def adjustment(self, user: str, person: str, points=30, reason="Won the hospital tender"):
		frappe.set_user(user)
		try:
			return frappe.get_doc(
				{"doctype": LEDGER, "sales_person": person, "points": points, "reason": reason, "posting_date": "2026-08-10"}
			).insert()
		finally:
			frappe.set_user("Administrator")

	def test_a_manual_adjustment_counts_once_a_sales_manager_approves_it(self):
		team = self.team
		entry = self.adjustment(team.manager_user, team.rep_a)
		self.assertEqual(entry.status, "Pending")
		self.assertEqual(rewards.balances([team.rep_a]), {})
		# the team manager (a Sales User) may not approve
		frappe.set_user(team.manager_user)
		with self.assertRaises(frappe.PermissionError):
			approve(entry.name)
		frappe.set_user("Administrator")
		approve(entry.name)
		entry.reload()
		self.assertEqual((entry.status, entry.approved_by), ("Approved", "Administrator"))
		self.assertEqual(rewards.balances([team.rep_a]), {team.rep_a: 30})
		# decided: no second decision, no edit
		with self.assertRaises(InvalidRewardEntryError):
			reject(entry.name)
		entry.points = 3000
		with self.assertRaises(InvalidRewardEntryError):
			entry.save()

	def test_bad_adjustments_are_refused(self):
		team = self.team
		cases = {
			"no reason": (team.manager_user, team.rep_a, 30, " "),
			"no points": (team.manager_user, team.rep_a, 0, "Tender"),
			"own points": (team.rep_a_user, team.rep_a, 30, "Tender"),
		}
		for case, (user, person, points, reason) in cases.items():
			with self.subTest(case=case), self.assertRaises(InvalidRewardEntryError):
				self.adjustment(user, person, points, reason)
		other = make_team()
		with self.assertRaises(InvalidRewardEntryError):
			self.adjustment(team.manager_user, other.rep_a)  # another team
		with self.assertRaises(InvalidRewardEntryError):  # a source entry is not entered by hand
			frappe.get_doc(
				{"doctype": LEDGER, "sales_person": team.rep_a, "points": 5, "reason": "x", "source_type": "Monthly Ranking"}
			).insert()
		# a status sent with the form is ignored: it waits for approval
		frappe.set_user(team.manager_user)
		entry = frappe.get_doc(
			{"doctype": LEDGER, "sales_person": team.rep_a, "points": 5, "reason": "x", "status": "Approved"}
		).insert()
		self.assertEqual(entry.status, "Pending")

	# -- report and scope ----------------------------------------------------------------------------

	def test_report_balances_team_rank_and_history(self):
		team = self.team
		self.ranking({team.rep_a: "Top 10%", team.rep_b: "Beat Target"})
		approve(self.adjustment(team.manager_user, team.rep_b, -20, "Late reports").name)
		self.adjustment(team.manager_user, team.rep_b, 500, "Pending: does not count")
		filters = {**PERIOD, "sales_person": team.manager}
		_columns, data, *_rest = ledger_report(filters)
		rows = {row.sales_person: row for row in data}
		a, b, manager = rows[team.rep_a], rows[team.rep_b], rows[team.manager]
		self.assertEqual((a.balance, a.rank, a.ranking_points), (100, 1, 100))
		self.assertEqual((b.balance, b.rank, b.earned, b.lost, b.manual_points, b.pending), (30, 2, 50, -20, -20, 1))
		self.assertEqual((manager.is_team, manager.balance), (1, 130))

		_columns, history, *_rest = ledger_report({**filters, "sales_person": team.rep_b, "show_history": 1})
		# by date: the two adjustments (10 August; the pending one counts 0), then the ranking (31 August)
		self.assertEqual([row.points for row in history], [-20, 500, 50])
		self.assertEqual([row.running_balance for row in history], [-20, -20, 30])

		# rep A sees their own points, not rep B's
		frappe.set_user(team.rep_a_user)
		_columns, data, *_rest = ledger_report(PERIOD)
		self.assertEqual({row.sales_person for row in data}, {team.rep_a})
		with self.assertRaises(frappe.PermissionError):
			ledger_report({**PERIOD, "sales_person": team.rep_b})
		self.assertEqual({row.sales_person for row in frappe.get_list(LEDGER, fields=["sales_person"])}, {team.rep_a})
