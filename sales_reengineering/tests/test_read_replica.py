# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Heavy reports and jobs read through `frappe.read_only()`: on a site with a read replica
(`read_from_replica` in site_config) their reads go to it and nothing writes there; on a site without
one they run on the one database as before.

The replica is stood in for by a proxy of the test's own connection that records every statement and
fails on any write, so the tests see the data they made and prove which connection each statement took."""

import inspect
import types
from contextlib import contextmanager
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.performance import scorecard
from sales_reengineering.performance.report.kpi_ranking import kpi_ranking
from sales_reengineering.performance.report.task_attainment import task_attainment
from sales_reengineering.reminders import engine
from sales_reengineering.tests.factories_performance import (
	REP_A,
	make_sales_scenario,
	make_task,
	make_template,
)

TEMPLATE = "_Test SR Replica Template"
WRITES = ("insert", "update", "delete", "replace", "alter", "create", "drop", "truncate")


class ReplicaProxy:
	"""The test's connection under another name: records reads, refuses writes."""

	def __init__(self, db):
		self._db = db
		self.reads = []

	def sql(self, query, *args, **kwargs):
		text = str(query).strip().lower()
		if text.startswith(WRITES):
			raise AssertionError(f"a write reached the read replica: {text[:120]}")
		self.reads.append(text)
		return self._db.sql(query, *args, **kwargs)

	def close(self):
		pass

	def __getattr__(self, name):
		attr = inspect.getattr_static(type(self._db), name, None)
		if isinstance(attr, types.FunctionType):
			# the database's own methods run on the proxy: the statements they send come back to sql()
			return attr.__get__(self)
		return getattr(self._db, name)


@contextmanager
def replica():
	"""A site with `read_from_replica` whose replica is a ReplicaProxy; yields the proxy."""
	proxy = ReplicaProxy(frappe.local.db)

	def connect_replica():
		if hasattr(frappe.local, "replica_db"):
			return False
		frappe.local.primary_db = frappe.local.db
		frappe.local.replica_db = proxy
		frappe.local.db = proxy
		return True

	try:
		with (
			patch.dict(frappe.local.conf, {"read_from_replica": 1}),
			patch("frappe.connect_replica", side_effect=connect_replica),
		):
			yield proxy
	finally:
		frappe.local.db = getattr(frappe.local, "primary_db", frappe.local.db)
		for name in ("primary_db", "replica_db"):
			if hasattr(frappe.local, name):
				delattr(frappe.local, name)


class TestReadReplica(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_sales_scenario()
		make_template(TEMPLATE, [("Net Sales", 100, 1000)])
		cls.task = make_task(REP_A, TEMPLATE, approve=True).name

	def test_a_report_reads_from_the_replica_and_gives_the_same_answer(self):
		filters = frappe._dict(period_type="Quarter", year=2026, period=3)
		plain = task_attainment.execute(filters)
		with replica() as proxy:
			on_replica = task_attainment.execute(filters)
			self.assertIs(frappe.local.db, frappe.local.primary_db, "the primary is back after the report")
		self.assertTrue(proxy.reads, "the report read through the replica")
		self.assertEqual(on_replica[1], plain[1])
		self.assertTrue(any(row.get("sales_task") == self.task for row in plain[1] if isinstance(row, dict)))

	def test_without_a_replica_the_report_runs_on_the_one_database(self):
		with patch("frappe.connect_replica") as connect:
			columns, _rows = kpi_ranking.execute(frappe._dict(period_type="Quarter", year=2026, period=3))[:2]
		connect.assert_not_called()
		self.assertTrue(columns)

	def test_background_scorecards_evaluate_on_the_replica_and_save_on_the_primary(self):
		frappe.db.set_value("KPI Scorecard", self.task, "total_score", 1, update_modified=False)
		with replica() as proxy:
			scorecard.compute_in_chunks([self.task])
		self.assertTrue(any("tabsales invoice" in query for query in proxy.reads))
		self.assertEqual(frappe.db.get_value("KPI Scorecard", self.task, "total_score"), 110)

	def test_a_refresh_from_the_desk_reads_the_primary(self):
		with replica() as proxy:
			scorecard.compute_scorecards([self.task])
		self.assertEqual(proxy.reads, [], "a save in the same transaction must see its own rows")

	def test_reminder_rules_read_from_the_replica_and_write_on_the_primary(self):
		frappe.db.delete("KPI Scorecard Row", {"parent": self.task})
		frappe.db.delete("KPI Scorecard", {"name": self.task})
		rule = frappe._dict(rule=engine.SALES_TASK, days=0, repeat_days=0)
		with (
			replica() as proxy,
			patch.object(engine, "behind_pace", return_value=True),
			patch.object(frappe.utils, "today", return_value="2026-09-30"),
		):
			found = engine.rule_candidates(rule, frappe.utils.getdate("2026-09-30"))
		self.assertTrue(any("tabsales task" in query for query in proxy.reads))
		self.assertIn(self.task, [row.reference_name for row in found])
		# the task had no scorecard: it was scored on the primary, from inside the read-only block
		self.assertTrue(frappe.db.exists("KPI Scorecard", self.task))

	def test_the_hourly_reminder_reads_saved_scores(self):
		frappe.db.set_value("KPI Scorecard", self.task, "total_score", 7, update_modified=False)
		rule = frappe._dict(rule=engine.SALES_TASK, days=0, repeat_days=0)
		with (
			patch.object(
				scorecard, "evaluate_tasks", side_effect=AssertionError("an indicator was evaluated")
			),
			patch.object(engine, "behind_pace", return_value=True) as pace,
		):
			found = engine.sales_tasks(rule, frappe.utils.getdate("2026-09-30"))
		self.assertIn(7, [call.args[0] for call in pace.call_args_list], "scored by the saved scorecard")
		self.assertIn(self.task, [row.reference_name for row in found])
