"""CI guard: no report, scorecard, ranking, reminder, telesales, completeness or portal path issues a
query per row. Each path's query count is taken on a generated population of N people and documents,
and again after a second, disjoint population of the same size is added (2N): it must not grow.

The populations come from the benchmark's bulk generator (`benchmarks.generate`, multi-row INSERTs),
inside the test's transaction (nothing is committed). Every path runs once before it is counted (the
caches are warm), and what a counted run wrote is rolled back before the next, so the N and the 2N
runs start from the same state.
"""

from __future__ import annotations

import os
import time

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.benchmarks.generate import Size, generate
from sales_reengineering.benchmarks.paths import hot_paths
from sales_reengineering.tests.query_count import counted_queries

SIZE = Size(people=12, dealers=10, customers=60, invoice_items=300, opportunities=100, quarters=4)
SAVEPOINT = "sr_query_count_guard"
# paths that still send a query per row (issue 11, item 4): reported, not enforced. Take a path out of
# this list when it is fixed; from then on the guard holds it. (Empty: the rankings save their entries,
# and the reminder run its ToDos and notifications, in bulk.)
KNOWN_PER_ROW: dict[str, str] = {}


def biggest_customer(tags: list[str]) -> str:
	return frappe.db.sql(
		"""select customer from `tabSales Invoice` where docstatus = 1 and name like %s
		group by customer order by count(*) desc, customer limit 1""",
		(f"{tags[0]}-SINV-%",),
	)[0][0]


class TestQueryCountsDoNotGrow(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		company = frappe.db.get_value("Company", {}, "name", order_by="creation")
		cls.first = generate(SIZE, tag="QCA", seed=7, company=company, commit=False, portal_users=1)
		customer = biggest_customer(["QCA"])
		cls.counts_n = cls.measure(cls.first.tasks, customer)
		cls.second = generate(SIZE, tag="QCB", seed=8, company=company, commit=False, portal_users=1)
		cls.counts_2n = cls.measure(cls.first.tasks + cls.second.tasks, customer)

	@classmethod
	def measure(cls, tasks: list[str], customer: str) -> dict[str, list[str]]:
		first = cls.first
		paths = hot_paths(
			tasks,
			first.quarter,
			customer,
			first.manager_user,
			first.restricted_user,
			first.portal_users[0],
			first.company,
		)
		counts = {}
		for name, path in paths.items():
			started = time.perf_counter()
			frappe.db.savepoint(SAVEPOINT)
			cls.call(path)  # warm-up: caches filled, as on a running site
			frappe.db.rollback(save_point=SAVEPOINT)
			with counted_queries() as log:
				cls.call(path)
			counts[name] = log
			frappe.db.rollback(save_point=SAVEPOINT)
			if os.environ.get("SR_GUARD_TIMES"):
				print(f"{name}: {time.perf_counter() - started:.2f} s")
		return counts

	@staticmethod
	def call(path):
		try:
			path()
		except frappe.PermissionError:
			pass  # a report a role may not run: refused the same way at N and at 2N
		finally:
			frappe.local.message_log = []
			frappe.set_user("Administrator")

	def check(self, prefix: str):
		names = [name for name in self.counts_n if name.startswith(prefix)]
		self.assertTrue(names, prefix)
		for name in names:
			with self.subTest(path=name):
				at_n, at_2n = self.counts_n[name], self.counts_2n[name]
				self.assertGreater(len(at_n), 0)
				if os.environ.get("SR_GUARD_COUNTS"):
					print(f"{name}: {len(at_n)} queries at N, {len(at_2n)} at 2N")
				if name in KNOWN_PER_ROW:
					print(f"known per-row path {name}: {len(at_n)} queries at N, {len(at_2n)} at 2N")
					continue
				extra = "\n".join(at_2n[len(at_n) : len(at_n) + 5])
				self.assertLessEqual(
					len(at_2n),
					len(at_n),
					f"{name}: {len(at_n)} queries at N, {len(at_2n)} at 2N; first extra ones:\n{extra}",
				)

	def test_the_guard_sees_a_query_per_row(self):
		def per_row(tasks):
			return lambda: [frappe.db.get_value("Sales Task", task, "assignee") for task in tasks]

		with counted_queries() as at_n:
			per_row(self.first.tasks)()
		with counted_queries() as at_2n:
			per_row(self.first.tasks + self.second.tasks)()
		self.assertGreater(len(at_2n), len(at_n))

	def test_the_populations_doubled(self):
		self.assertEqual(len(self.second.tasks), len(self.first.tasks))
		self.assertEqual(self.second.counts["invoice_items"] >= SIZE.invoice_items, True)

	def test_reports(self):
		self.check("report: ")

	def test_scorecards(self):
		self.check("scorecards: ")

	def test_rankings(self):
		self.check("ranking: ")

	def test_reminders_telesales_completeness(self):
		self.check("reminders: ")
		self.check("telesales: ")
		self.check("completeness: ")

	def test_portal(self):
		self.check("portal: ")
