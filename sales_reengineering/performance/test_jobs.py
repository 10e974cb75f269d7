# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Scorecards saved in bulk, and the daily scorecards and rankings in batches per team on RQ."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import InvalidRankingError
from sales_reengineering.performance import jobs, ranking, scorecard
from sales_reengineering.tests.factories_customer_intelligence import make_sales_person
from sales_reengineering.tests.factories_performance import (
	NORTH,
	REP_A,
	REP_B,
	REP_C,
	make_sales_scenario,
	make_task,
	make_template,
)
from sales_reengineering.tests.query_count import query_count

TEMPLATE = "_Test SR Jobs Template"
ROWS = [("Net Sales", 60, 1000), ("New Customers", 20, 2), ("Collections", 20, 500)]
TEAM = "_Test SR Jobs Team"


def card_of(task):
	return frappe.get_doc("KPI Scorecard", {"sales_task": task})


class TestBulkScorecards(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_sales_scenario()
		make_template(TEMPLATE, ROWS)
		cls.task_a = make_task(REP_A, TEMPLATE, approve=True).name
		cls.task_b = make_task(REP_B, TEMPLATE, approve=True).name
		cls.task_c = make_task(REP_C, TEMPLATE, approve=True).name
		cls.task_north = make_task(NORTH, TEMPLATE, approve=True).name
		make_sales_person(TEAM, is_group=1)
		cls.team_tasks = [
			make_task(make_sales_person(f"_Test SR Jobs Rep {i}", TEAM), TEMPLATE, approve=True).name
			for i in range(6)
		]

	def test_a_recompute_keeps_the_scorecard_and_replaces_its_rows(self):
		first = card_of(self.task_a)
		frappe.db.set_value("KPI Scorecard", first.name, "_user_tags", ",kept", update_modified=False)
		frappe.db.set_value("KPI Scorecard", first.name, "total_score", 1, update_modified=False)
		self.assertEqual(scorecard.compute_scorecards([self.task_a]), [first.name])
		again = card_of(self.task_a)
		self.assertEqual((again.name, again.owner, again.creation), (first.name, first.owner, first.creation))
		self.assertEqual((again.total_score, again.docstatus, again._user_tags), (88, 0, ",kept"))
		self.assertGreaterEqual(again.modified, first.modified)
		self.assertEqual(
			[(r.idx, r.indicator) for r in again.rows], [(r.idx, r.indicator) for r in first.rows]
		)
		self.assertEqual(
			[(r.actual, r.weighted_score, r.parentfield) for r in again.rows],
			[(1100, 66, "rows"), (1, 10, "rows"), (300, 12, "rows")],
		)
		self.assertTrue({r.name for r in again.rows}.isdisjoint({r.name for r in first.rows}))
		self.assertEqual(frappe.db.count("KPI Scorecard Row", {"parent": first.name}), 3)

	def test_a_new_scorecard_is_named_after_its_task(self):
		frappe.db.delete("KPI Scorecard Row", {"parent": self.task_b})
		frappe.db.delete("KPI Scorecard", {"name": self.task_b})
		self.assertEqual(scorecard.compute_scorecards([self.task_b]), [self.task_b])
		card = card_of(self.task_b)
		self.assertEqual((card.name, card.owner, card.total_score), (self.task_b, frappe.session.user, 20))
		self.assertEqual(card.creation, card.modified)
		self.assertEqual([r.actual for r in card.rows], [200, 0, 200])

	def test_saving_scorecards_takes_as_many_queries_for_2n_tasks_as_for_n(self):
		half = self.team_tasks[:3]
		scorecard.compute_scorecards(half)  # warm the caches
		self.assertEqual(
			query_count(scorecard.compute_scorecards, half),
			query_count(scorecard.compute_scorecards, self.team_tasks),
		)
		evaluated = scorecard.evaluate_tasks(self.team_tasks)
		# the save alone: a locking read, the upsert, the delete and the insert of the rows
		self.assertEqual(query_count(scorecard.save_scorecards, evaluated), 4)
		self.assertEqual(query_count(scorecard.save_scorecards, evaluated[:3]), 4)
		self.assertEqual(query_count(scorecard.save_scorecards, []), 0)

	def test_a_large_save_is_cut_into_batches_of_save_batch(self):
		# the memory of a whole company's save is one batch's, not every scorecard's
		evaluated = scorecard.evaluate_tasks(self.team_tasks)
		with patch.object(scorecard, "SAVE_BATCH", 4):
			self.assertEqual(query_count(scorecard.save_scorecards, evaluated), 8)  # 6 tasks: 2 batches
			names = scorecard.save_scorecards(evaluated)
		self.assertEqual(names, [item.task.name for item in evaluated])
		for item in evaluated:
			card = card_of(item.task.name)
			self.assertEqual(card.total_score, item.result.total)
			self.assertEqual(len(card.rows), len(item.targets))

	def test_batches_follow_the_teams(self):
		names = [self.task_a, self.task_b, self.task_c, self.task_north, *self.team_tasks]
		batches = jobs.task_batches(names, batch_size=3)
		# North (its two reps and its own task) fills a batch; East's one task and Jobs Team's six
		# are another team each; the six are cut into two batches of three
		self.assertEqual(
			sorted(sorted(batch) for batch in batches.values()),
			sorted(
				[
					sorted([self.task_a, self.task_b, self.task_north]),
					[self.task_c],
					sorted(self.team_tasks[:3]),
					sorted(self.team_tasks[3:]),
				]
			),
		)
		packed = jobs.task_batches(names, batch_size=100)
		self.assertEqual([sorted(batch) for batch in packed.values()], [sorted(names)])
		self.assertEqual(jobs.task_batches([]), {})

	def test_batches_run_in_any_order_and_the_last_one_ranks(self):
		with patch("frappe.enqueue") as enqueue:
			job_ids = jobs.enqueue_scorecard_batches("2026-Q3", batch_size=3)
		calls = [call.kwargs for call in enqueue.call_args_list]
		self.assertEqual([call["job_id"] for call in calls], job_ids)
		self.assertTrue(all(call["deduplicate"] and call["queue"] == "long" for call in calls))
		self.assertEqual(len(set(job_ids)), len(job_ids))
		self.assertTrue(
			all(job_id.startswith("sales_reengineering::scorecards::2026_q3_all::") for job_id in job_ids)
		)
		scheduled = sorted(name for call in calls for name in call["task_names"])
		self.assertTrue({self.task_a, self.task_north, *self.team_tasks} <= set(scheduled))

		frappe.db.set_value("KPI Scorecard", self.task_a, "total_score", 1, update_modified=False)
		frappe.db.set_value(
			"KPI Scorecard", self.task_a, "last_computed", "2020-01-01", update_modified=False
		)
		params = ("method", "queue", "timeout", "job_id", "deduplicate", "now")
		ranked = []
		with patch("frappe.enqueue", side_effect=lambda *a, **kw: ranked.append(kw)):
			for call in reversed(calls):  # any order: the last to end ranks
				self.assertEqual(ranked, [])
				jobs.run_scorecard_batch(**{k: v for k, v in call.items() if k not in params})
		self.assertEqual(len(ranked), 1)
		self.assertEqual(ranked[0]["job_id"], jobs.rank_job_id("2026_q3_all"))
		self.assertEqual(card_of(self.task_a).total_score, 88, "the batch saved the scorecard")

		with patch.object(ranking, "compute_scorecards", wraps=ranking.compute_scorecards) as computed:
			names = jobs.rank_run(**{k: v for k, v in ranked[0].items() if k not in params})
		self.assertEqual(names, ["RANK-2026-Q3-Individuals", "RANK-2026-Q3-Teams"])
		self.assertTrue(all(call.args[0] == [] for call in computed.call_args_list), "reused, not recomputed")
		entries = {
			row.sales_person: row.total_score
			for row in frappe.get_doc("Sales Ranking", "RANK-2026-Q3-Individuals").entries
		}
		self.assertEqual((entries[REP_A], entries[REP_B]), (88, 20))

	def test_the_ranking_recomputes_what_no_batch_saved(self):
		frappe.db.set_value("KPI Scorecard", self.task_b, "total_score", 1, update_modified=False)
		frappe.db.set_value(
			"KPI Scorecard", self.task_b, "last_computed", "2020-01-01", update_modified=False
		)
		self.assertEqual(ranking.stale_tasks([self.task_a, self.task_b], "2025-01-01"), [self.task_b])
		name = ranking.compute_ranking("Quarter", 2026, 3, "Individuals", fresh_since="2025-01-01")
		entries = {row.sales_person: row.total_score for row in frappe.get_doc("Sales Ranking", name).entries}
		self.assertEqual(entries[REP_B], 20)

	def test_a_run_with_no_tasks_ranks_at_once(self):
		with patch("frappe.enqueue") as enqueue:
			self.assertEqual(jobs.enqueue_scorecard_batches("2019-Q1"), [])
		self.assertEqual(enqueue.call_args.args[0], "sales_reengineering.performance.jobs.rank_run")

	def test_now_runs_every_batch_and_the_ranking_here(self):
		frappe.db.set_value("KPI Scorecard", self.task_c, "total_score", 1, update_modified=False)
		jobs.enqueue_scorecard_batches("2026-Q3", now=True, batch_size=2)
		self.assertNotEqual(card_of(self.task_c).total_score, 1)
		self.assertTrue(frappe.db.exists("Sales Ranking", "RANK-2026-Q3-Teams"))

	def test_a_quarter_is_checked(self):
		for bad in ("2026-Q5", "Q3", "2026", ""):
			with self.assertRaises(InvalidRankingError):
				jobs.enqueue_scorecard_batches(bad or "x")

	def test_wait_for_jobs_waits_for_the_ranking_too(self):
		states = {"a": iter(["started", "finished"]), "rank": iter(["queued", "finished"])}

		def status(job_id):
			return next(states["rank" if job_id.endswith("::rank") else "a"])

		with patch.object(jobs, "_status", side_effect=status):
			result = jobs.wait_for_jobs([jobs.batch_job_id("run", "b")], timeout=10, poll=0)
		self.assertEqual(
			result, {jobs.batch_job_id("run", "b"): "finished", jobs.rank_job_id("run"): "finished"}
		)

	def test_the_daily_job_is_the_batched_one(self):
		from sales_reengineering import hooks

		daily = hooks.scheduler_events["daily_long"]
		self.assertIn("sales_reengineering.performance.jobs.daily", daily)
		self.assertNotIn("sales_reengineering.performance.scorecard.scheduled_refresh", daily)
		self.assertNotIn("sales_reengineering.performance.ranking.scheduled_rankings", daily)
