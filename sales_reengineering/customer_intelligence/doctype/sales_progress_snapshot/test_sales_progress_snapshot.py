# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

from datetime import datetime, timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from sales_reengineering.core.progress import iso_week_bounds
from sales_reengineering.customer_intelligence.progress import make_snapshots, recompute_snapshots
from sales_reengineering.exceptions import DuplicateSnapshotError, InvalidWeekError
from sales_reengineering.tests.factories_customer_intelligence import STAGES, make_opportunity, make_team

LOG = "Opportunity Stage Log"
SNAPSHOT = "Sales Progress Snapshot"


class TestSalesProgressSnapshot(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		this_monday, _next = iso_week_bounds(getdate())
		cls.week_start = this_monday - timedelta(days=7)
		cls.start_at = datetime.combine(cls.week_start, datetime.min.time())

	def setUp(self):
		# per test: tearDown rolls back everything, the team included
		self.team = make_team()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def at(self, days: float) -> datetime:
		return self.start_at + timedelta(days=days)

	def opportunity(self, created_days: float, stage: str = STAGES[0], sales_person: str | None = None):
		"""An opportunity created `created_days` after the week start (negative: before it)."""
		opp = make_opportunity(sales_stage=stage, sales_person=sales_person or self.team.rep_a)
		moment = self.at(created_days)
		frappe.db.set_value(
			"Opportunity", opp.name, {"creation": moment, "modified": moment}, update_modified=False
		)
		frappe.db.set_value(LOG, {"opportunity": opp.name}, "changed_on", moment)
		opp.reload()
		return opp

	def change(self, opp, days: float, **values):
		"""Save `values` on the opportunity and date the new log `days` after the week start."""
		opp.reload()
		opp.update(values)
		opp.save(ignore_permissions=True)
		last = frappe.get_all(
			LOG, filters={"opportunity": opp.name}, order_by="creation desc", limit=1, pluck="name"
		)
		frappe.db.set_value(LOG, last[0], "changed_on", self.at(days))

	def snapshot(self, sales_person: str | None = None):
		names = frappe.get_all(
			SNAPSHOT,
			filters={"sales_person": sales_person or self.team.rep_a, "week_start": self.week_start},
			pluck="name",
		)
		self.assertLessEqual(len(names), 1)
		return frappe.get_doc(SNAPSHOT, names[0]) if names else None

	def make_week(self):
		moved = self.opportunity(-10)
		self.change(moved, 1, sales_stage=STAGES[2])
		stuck = self.opportunity(-10, stage=STAGES[1])
		down = self.opportunity(-10, stage=STAGES[2])
		self.change(down, 2, sales_stage=STAGES[1])
		lost = self.opportunity(-10)
		self.change(lost, 1, sales_stage=STAGES[1])
		self.change(lost, 3, status="Closed")
		self.opportunity(2)  # created during the week: not counted
		closed_before = self.opportunity(-10)
		self.change(closed_before, -2, status="Closed")
		moved_after = self.opportunity(-10)
		self.change(moved_after, 8, sales_stage=STAGES[3])  # next week: stuck in this one
		return frappe._dict(
			moved=moved.name, stuck=stuck.name, down=down.name, lost=lost.name, moved_after=moved_after.name
		)

	def test_snapshot_classifies_the_week(self):
		opps = self.make_week()
		make_snapshots(self.week_start)

		doc = self.snapshot()
		self.assertEqual(doc.total_opportunities, 5)
		self.assertEqual((doc.progressed_count, doc.stuck_count, doc.lost_count), (1, 3, 1))
		self.assertEqual(doc.progress_rate, 20)
		self.assertEqual(doc.week_end, self.week_start + timedelta(days=7))
		results = {
			row.opportunity: (row.result, row.stage_order_start, row.stage_order_end)
			for row in doc.opportunities
		}
		self.assertEqual(results[opps.moved], ("Progressed", 1, 3))
		self.assertEqual(results[opps.stuck], ("Stuck", 2, 2))
		self.assertEqual(results[opps.down], ("Stuck", 3, 2))
		self.assertEqual(results[opps.lost][0], "Lost")
		self.assertEqual(results[opps.moved_after], ("Stuck", 1, 1))
		self.assertIsNone(self.snapshot(self.team.rep_b))

	def test_recompute_replaces_the_snapshot(self):
		opps = self.make_week()
		make_snapshots(self.week_start)
		first = self.snapshot().name

		stuck = frappe.get_doc("Opportunity", opps.stuck)
		self.change(stuck, 4, sales_stage=STAGES[3])
		make_snapshots(self.week_start + timedelta(days=3))  # any day of the week

		doc = self.snapshot()
		self.assertEqual(doc.name, first)
		self.assertEqual(doc.progress_rate, 40)
		self.assertEqual(len(doc.opportunities), 5)

	def test_snapshots_are_per_salesperson(self):
		self.opportunity(-10, sales_person=self.team.rep_b)
		make_snapshots(self.week_start)
		self.assertIsNone(self.snapshot())
		self.assertEqual(self.snapshot(self.team.rep_b).total_opportunities, 1)

	def test_duplicate_week_is_rejected(self):
		self.opportunity(-10)
		make_snapshots(self.week_start)
		duplicate = frappe.get_doc(
			{"doctype": SNAPSHOT, "sales_person": self.team.rep_a, "week_start": self.week_start}
		)
		with self.assertRaises(DuplicateSnapshotError):
			duplicate.insert(ignore_permissions=True)

	def test_week_must_start_on_monday(self):
		doc = frappe.get_doc(
			{
				"doctype": SNAPSHOT,
				"sales_person": self.team.rep_b,
				"week_start": self.week_start + timedelta(days=1),
			}
		)
		with self.assertRaises(InvalidWeekError):
			doc.insert(ignore_permissions=True)

	def test_recompute_needs_rights_and_a_date(self):
		with self.assertRaises(InvalidWeekError):
			recompute_snapshots("not a date")
		frappe.set_user(self.team.manager_user)
		with self.assertRaises(frappe.PermissionError):
			recompute_snapshots(str(self.week_start))

	def test_rep_sees_only_own_snapshot(self):
		self.opportunity(-10)
		self.opportunity(-10, sales_person=self.team.rep_b)
		make_snapshots(self.week_start)
		filters = {"week_start": self.week_start}

		frappe.set_user(self.team.rep_b_user)
		self.assertEqual(frappe.get_list(SNAPSHOT, filters=filters, pluck="sales_person"), [self.team.rep_b])
		self.assertFalse(frappe.has_permission(SNAPSHOT, "read", doc=self.snapshot().name))
		frappe.set_user(self.team.manager_user)
		self.assertEqual(
			sorted(frappe.get_list(SNAPSHOT, filters=filters, pluck="sales_person")),
			sorted([self.team.rep_a, self.team.rep_b]),
		)
