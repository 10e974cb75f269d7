"""Run test actions in separate OS processes against the real database, at the same moment.

Each process is a fresh Python interpreter (multiprocessing's "spawn" context): it connects to the site
with `frappe.init` / `frappe.connect`, logs in as the acting user, waits at a shared barrier, performs its
action, commits (or rolls back when the action raised) and reports the outcome through a queue. Nothing
is patched: the processes only see committed data, exactly like two web workers or two job workers.

An action is a module-level function `action(sync, **kwargs)` in an importable module, named by its
dotted path. `sync` holds the shared barrier and named events, for tests that need one process to act
while another holds its transaction open:

	sync.wait("written")   # block until another process calls sync.set("written")
	sync.set("written")
"""

from __future__ import annotations

import multiprocessing
import queue
import time
import traceback
from dataclasses import dataclass, field

import frappe

# long enough for a slow shared CI machine; a process that takes longer is reported as "timeout"
PROCESS_TIMEOUT = 180


@dataclass
class Job:
	"""One process: `action` (a dotted path) run as `user` with `kwargs`."""

	action: str
	user: str
	kwargs: dict = field(default_factory=dict)


class Sync:
	"""What the processes of one run share: a barrier for all of them and named events."""

	def __init__(self, context, parties: int, events: tuple[str, ...] = ()):
		self.barrier = context.Barrier(parties)
		self.events = {name: context.Event() for name in events}

	def start_together(self) -> None:
		self.barrier.wait(PROCESS_TIMEOUT)

	def set(self, name: str) -> None:
		self.events[name].set()

	def wait(self, name: str) -> None:
		if not self.events[name].wait(PROCESS_TIMEOUT):
			raise TimeoutError(f"event {name} was never set")


def run_together(jobs: list[Job], events: tuple[str, ...] = ()) -> list[frappe._dict]:
	"""Run every job in its own process, all released at one barrier; returns one outcome per job, in
	the order of `jobs`: {index, user, action, status: ok|error|timeout, value, exc_type, message}.

	The fixtures they use must be committed first: a process sees only committed data."""
	context = multiprocessing.get_context("spawn")
	sync = Sync(context, len(jobs), events)
	results = context.Queue()
	site, sites_path = frappe.local.site, frappe.local.sites_path
	processes = [
		context.Process(
			target=_run_job,
			args=(index, job.action, job.user, job.kwargs, site, sites_path, sync, results),
			name=f"sr-concurrency-{index}",
		)
		for index, job in enumerate(jobs)
	]
	for process in processes:
		process.start()
	outcomes: dict[int, dict] = {}
	deadline = time.monotonic() + PROCESS_TIMEOUT
	while len(outcomes) < len(jobs) and time.monotonic() < deadline:
		try:
			outcome = results.get(timeout=1)
		except queue.Empty:
			if not any(process.is_alive() for process in processes) and results.empty():
				break
			continue
		outcomes[outcome["index"]] = outcome
	for process in processes:
		process.join(5)
		if process.is_alive():
			process.terminate()
			process.join(5)
	return [
		frappe._dict(
			outcomes.get(index)
			or {"index": index, "user": job.user, "action": job.action, "status": "timeout"}
		)
		for index, job in enumerate(jobs)
	]


def _run_job(index, action, user, kwargs, site, sites_path, sync, results) -> None:
	"""The body of one process (spawned: a fresh interpreter, nothing inherited from the test)."""
	outcome = {"index": index, "user": user, "action": action, "pid": multiprocessing.current_process().pid}
	try:
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		frappe.set_user(user)
		function = frappe.get_attr(action)
		try:
			sync.start_together()
			outcome["value"] = function(sync, **kwargs)
			frappe.db.commit()
			outcome["status"] = "ok"
		except Exception as e:
			frappe.db.rollback()
			outcome.update(
				status="error",
				# an HTTP client's error carries the server's exception class
				exc_type=getattr(e, "exc_type", None) or type(e).__name__,
				message=frappe.utils.strip_html(str(e)),
				traceback=traceback.format_exc(limit=8),
			)
	except Exception as e:  # could not even connect
		outcome.update(
			status="error", exc_type=type(e).__name__, message=str(e), traceback=traceback.format_exc()
		)
	finally:
		results.put(outcome)
		if getattr(frappe.local, "site", None):
			frappe.destroy()
