"""One RQ worker against two for the quarter's scorecards, enqueued in batches per team
(`performance.jobs.enqueue_scorecard_batches`).

The bench's queues are shared by every site of the bench: a worker started on "long" would also run
other sites' jobs, and theirs would take the benchmark's. So the benchmark's workers listen on a queue
of their own (QUEUE, in the bench's namespace), and in the benchmark process and in its workers a job
enqueued on "long" goes there (`private_long_queue`). The workers are RQ workers running Frappe's
job runner (`python -m sales_reengineering.benchmarks.workers`), started as child processes in their
own process group and stopped at the end. Each count of workers: the batches are enqueued, and the
clock runs until every batch and the ranking step of the run have finished (`jobs.wait_for_jobs`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from unittest.mock import patch

import frappe

QUEUE = "sr_benchmark"


@contextmanager
def private_long_queue():
	"""Jobs enqueued on "long" go to the benchmark's own queue while the block runs."""
	from frappe.utils import background_jobs
	from rq import Queue

	original = background_jobs.get_queue

	def get_queue(qtype, is_async=True):
		if qtype == "long":
			return Queue(
				background_jobs.generate_qname(QUEUE),
				connection=background_jobs.get_redis_conn(),
				is_async=is_async,
			)
		return original(qtype, is_async=is_async)

	with patch.object(background_jobs, "get_queue", get_queue):
		yield


def work() -> None:  # pragma: no cover - a worker process
	"""A worker on the benchmark's queue (run from the bench's sites folder)."""
	from frappe.utils import background_jobs
	from rq import Worker

	with frappe.init_site():
		connection = background_jobs.get_redis_conn()
		queue = background_jobs.generate_qname(QUEUE)
	with private_long_queue():
		Worker([queue], connection=connection).work(logging_level="WARNING")


def start_workers(count: int) -> list[subprocess.Popen]:
	bench = frappe.utils.get_bench_path()
	python = os.path.join(bench, "env", "bin", "python")
	return [
		subprocess.Popen(
			[python, "-m", "sales_reengineering.benchmarks.workers"],
			cwd=os.path.join(bench, "sites"),
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			start_new_session=True,
			env=os.environ.copy(),
		)
		for _index in range(count)
	]


def stop_workers(processes: list[subprocess.Popen]) -> None:
	for process in processes:
		try:
			os.killpg(process.pid, signal.SIGTERM)
		except ProcessLookupError:
			pass
	for process in processes:
		try:
			process.wait(timeout=60)
		except subprocess.TimeoutExpired:
			os.killpg(process.pid, signal.SIGKILL)


def compare_workers(site: str, population, counts=(1, 2)) -> dict:
	try:
		from sales_reengineering.performance import jobs
	except ImportError:
		return {"skipped": "performance.jobs (batches per team) is not on this checkout"}
	quarter = population.quarter[2]
	results = {}
	for count in counts:
		processes = start_workers(count)
		try:
			time.sleep(8)  # the workers import the app before they take a job
			frappe.db.commit()  # nosemgrep: the jobs must see everything saved so far
			started = time.perf_counter()
			with private_long_queue():
				job_ids = jobs.enqueue_scorecard_batches(quarter=quarter)
				frappe.db.commit()  # nosemgrep: the jobs are enqueued after the commit
			statuses = jobs.wait_for_jobs(job_ids, timeout=900)
			elapsed = time.perf_counter() - started
			values = statuses.values() if isinstance(statuses, dict) else [statuses]
			results[f"workers_{count}"] = {
				"s": round(elapsed, 2),
				"batches": len(job_ids),
				"statuses": sorted({str(value) for value in values}),
			}
		finally:
			stop_workers(processes)
	one, two = results.get("workers_1", {}).get("s"), results.get("workers_2", {}).get("s")
	if one and two:
		results["speedup"] = round(one / two, 2)
	return results


if __name__ == "__main__":  # pragma: no cover
	sys.exit(work())
