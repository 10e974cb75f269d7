# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""The batch write paths send as many statements for 2N records as for N: telesales calls, completeness
scores, reminder logs (the scorecards' own test is performance/test_jobs.py)."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, now_datetime

from sales_reengineering.bulk import insert_records, reserve_names
from sales_reengineering.customer_intelligence import completeness, telesales
from sales_reengineering.reminders import engine
from sales_reengineering.tests.factories_customer_intelligence import make_customer, make_user
from sales_reengineering.tests.query_count import counted_queries, query_count

N = 4
AGENT = "sr_bulk_agent@sr-test.invalid"


class TestBulkWrites(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(AGENT, ["Telesales Agent"])
		cls.customers = [make_customer() for _ in range(2 * N)]

	def test_series_names_continue_frappes_counter(self):
		first = frappe.get_doc(
			{"doctype": "Telesales Call", "customer": self.customers[0], "agent": AGENT, "status": "Open"}
		).insert(ignore_permissions=True)
		names = reserve_names("TSC-.YYYY.-", 3)
		prefix, number = first.name[:-5], int(first.name[-5:])
		self.assertEqual(names, [f"{prefix}{n:05d}" for n in range(number + 1, number + 4)])
		after = frappe.get_doc(
			{"doctype": "Telesales Call", "customer": self.customers[1], "agent": AGENT, "status": "Open"}
		).insert(ignore_permissions=True)
		self.assertEqual(after.name, f"{prefix}{number + 4:05d}", "a document after the batch takes the next")
		self.assertEqual(reserve_names("TSC-.YYYY.-", 0), [])

	def test_call_list_inserts_are_constant_and_stored_as_a_document_would_be(self):
		def calls(customers):
			return [
				{"customer": c, "agent": AGENT, "status": "Open", "reason": "No Purchase for N Days"}
				for c in customers
			]

		telesales.insert_calls(calls(self.customers[:1]))  # warm the caches
		few = query_count(telesales.insert_calls, calls(self.customers[:N]))
		many = query_count(telesales.insert_calls, calls(self.customers))
		self.assertEqual(few, many)
		name = telesales.insert_calls(calls(self.customers[:1]))[0]
		call = frappe.get_doc("Telesales Call", name)
		self.assertEqual(
			(call.customer_name, call.status, call.naming_series, call.owner, call.docstatus),
			(
				frappe.db.get_value("Customer", self.customers[0], "customer_name"),
				"Open",
				"TSC-.YYYY.-",
				frappe.session.user,
				0,
			),
		)
		self.assertTrue(call.name.startswith(f"TSC-{getdate().year}-"))

	def test_completeness_scores_are_written_in_one_statement_per_chunk(self):
		def spoil(customers):
			frappe.db.sql(
				"update `tabCustomer` set sr_completeness_score = -1 where name in %(names)s",
				{"names": customers},
			)

		spoil(self.customers)
		completeness.update_scores(self.customers[:1])
		spoil(self.customers)
		few = query_count(completeness.update_scores, self.customers[:N])
		spoil(self.customers)
		with counted_queries() as queries:
			scores = completeness.update_scores(self.customers)
		self.assertEqual(few, len(queries))
		self.assertEqual(sum(q.lower().startswith("update `tabcustomer`") for q in queries), 1)
		stored = dict(
			frappe.get_all(
				"Customer", {"name": ("in", self.customers)}, ["name", "sr_completeness_score"], as_list=True
			)
		)
		self.assertEqual({name: score for name, (score, _m) in scores.items()}, stored)

	def test_reminder_logs_are_one_insert(self):
		rule = frappe._dict(rule=engine.DORMANT_CALL, repeat_days=0, notify_owner=1)

		def found(customers):
			return [engine.candidate("Customer", c, getdate(), f"call {c}", users=[AGENT]) for c in customers]

		directory = engine.Directory()
		directory.enabled.add(AGENT)
		now = now_datetime()
		for customers in (self.customers[:N], self.customers[N:]):
			with counted_queries() as queries:
				created = engine.create_logs(rule, found(customers), getdate(), now, directory)
			self.assertEqual(created, N)
			inserts = [q for q in queries if q.lower().startswith("insert into `tabsales reminder log`")]
			self.assertEqual(len(inserts), 1)
		self.assertEqual(frappe.db.count("Sales Reminder Log", {"recipient": AGENT}), 2 * N)
		again = query_count(engine.create_logs, rule, found(self.customers), getdate(), now, directory)
		self.assertLessEqual(again, 2, "a second run finds every log and writes nothing")

	def test_reminders_are_written_in_batches_of_constant_statements(self):
		frappe.db.savepoint("sr_reminder_batches")
		self.addCleanup(frappe.db.rollback, save_point="sr_reminder_batches")
		rule = frappe._dict(rule=engine.CONTRACT_RENEWAL, repeat_days=0, notify_owner=1)  # keys of its own
		directory = engine.Directory()
		directory.enabled.add(AGENT)
		now = now_datetime()

		def write(customers, days_ago):
			due = add_days(getdate(), -days_ago)
			found = [engine.candidate("Customer", c, due, f"call {c}", users=[AGENT]) for c in customers]
			return engine.create_logs(rule, found, getdate(), now, directory)

		def close_todos():  # every batch below writes its ToDos
			frappe.db.sql("update `tabToDo` set status = 'Closed' where allocated_to = %s", AGENT)

		with patch.object(engine, "WRITE_BATCH", N):
			write(self.customers[:1], 9)  # warm the caches
			close_todos()
			with counted_queries() as one:
				self.assertEqual(write(self.customers[:N], 8), N)
			close_todos()
			with counted_queries() as two:
				self.assertEqual(write(self.customers, 7), 2 * N)
		self.assertEqual(len(two), 2 * len(one), "the same statements for each batch")
		inserts = [q for q in two if q.lower().startswith("insert into `tabsales reminder log`")]
		self.assertEqual(len(inserts), 2)
		# a later batch reuses the open ToDo an earlier one wrote for the same user and document
		close_todos()
		with patch.object(engine, "WRITE_BATCH", 1):
			self.assertEqual(write(self.customers[:1], 6) + write(self.customers[:1], 5), 2)
			self.assertEqual(write(self.customers[:1] * 2, 4), 1, "one reminder per key")
		todos = frappe.get_all(
			"Sales Reminder Log",
			filters={
				"rule": rule.rule,
				"reference_name": self.customers[0],
				"due_date": (">=", add_days(getdate(), -6)),
			},
			pluck="todo",
		)
		self.assertEqual((len(todos), len(set(todos))), (3, 1))

	def test_insert_records_keeps_given_names(self):
		names = insert_records(
			"Sales Reminder Log",
			[
				{
					"rule": engine.DORMANT_CALL,
					"reference_doctype": "Customer",
					"reference_name": self.customers[0],
					"recipient": "Administrator",
					"log_key": frappe.generate_hash(),
					"message": "m",
				}
			],
			names=["sr-bulk-test-1"],
		)
		self.assertEqual(names, ["sr-bulk-test-1"])
		self.assertEqual(
			frappe.db.get_value("Sales Reminder Log", "sr-bulk-test-1", "owner"), frappe.session.user
		)
