"""The dealer portal under concurrent dealer sessions, against the bench's gunicorn on a loopback port.

A gunicorn (2 workers, the app preloaded) is started from the bench's sites folder on a free port of
127.0.0.1 and stopped at the end. Every dealer user logs in once (its own session); then, URL by URL,
one thread per session sends REQUESTS requests one after the other, all sessions at once. Reported per
URL: p50 / p95 / max latency in ms, errors. The floors, under the same load and sessions: Frappe's
/api/method/ping and ERPNext's own portal pages /me and /orders. Traffic goes to 127.0.0.1 only, and
every loop is bounded in count and time.

Two passes over the same URLs and sessions: `urls`, every session sending its next request as soon as
the last one answered (the server's saturation: 20 requests always waiting for 2 workers), and
`urls_think`, every session starting at a random moment of its first THINK_SECONDS and pausing
THINK_SECONDS (0.5-1.5x, seeded) after each answer, as a dealer reading a page does (far faster than one
does), THINK_REQUESTS requests each.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

import frappe

PAGES = ("/dealer", "/dealer/registrations", "/dealer/sell-through", "/dealer/register")
FLOORS = ("/api/method/ping", "/me", "/orders")
REQUESTS = 3  # per session and URL
MAX_SECONDS = 45  # per URL, whatever happens
THINK_SECONDS = 2.0  # mean pause of a session between two requests in the second pass
THINK_REQUESTS = 5  # per session and URL in the second pass (100 answers a URL for 20 sessions)


def free_port() -> int:
	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
	bench = os.path.abspath(os.path.join(frappe.utils.get_bench_path()))
	gunicorn = os.path.join(bench, "env", "bin", "gunicorn")
	process = subprocess.Popen(
		[gunicorn, "-b", f"127.0.0.1:{port}", "-w", "2", "-t", "120", "--preload", "frappe.app:application"],
		cwd=os.path.join(bench, "sites"),
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
		start_new_session=True,
		env=os.environ.copy(),
	)
	return process


def stop(process: subprocess.Popen) -> None:
	try:
		os.killpg(process.pid, signal.SIGTERM)
		process.wait(timeout=20)
	except (ProcessLookupError, subprocess.TimeoutExpired):
		try:
			os.killpg(process.pid, signal.SIGKILL)
		except ProcessLookupError:
			pass


def percentile(values: list[float], share: float) -> float:
	ordered = sorted(values)
	index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
	return ordered[index]


def portal_load(site: str, users: list[str], password: str, requests_per_session: int = REQUESTS) -> dict:
	import requests

	port = free_port()
	base = f"http://127.0.0.1:{port}"
	process = start_gunicorn(port)
	try:
		deadline = time.time() + 90
		while time.time() < deadline:
			try:
				if requests.get(f"{base}/api/method/ping", headers={"Host": site}, timeout=5).ok:
					break
			except requests.RequestException:
				time.sleep(1)
		else:
			return {"error": "gunicorn did not answer within 90 s"}
		sessions = []
		for user in users:
			session = requests.Session()
			session.headers["Host"] = site
			answer = session.post(f"{base}/api/method/login", data={"usr": user, "pwd": password}, timeout=30)
			if answer.ok:
				sessions.append(session)
		if not sessions:
			return {"error": "no dealer session could log in"}
		results = {url: hammer(base + url, sessions, requests_per_session) for url in PAGES + FLOORS}
		thinking = {
			url: hammer(base + url, sessions, THINK_REQUESTS, think=THINK_SECONDS) for url in PAGES + FLOORS
		}
		return {
			"sessions": len(sessions),
			"requests_per_session_and_url": requests_per_session,
			"gunicorn_workers": 2,
			"urls": results,
			"think_s": THINK_SECONDS,
			"think_requests_per_session_and_url": THINK_REQUESTS,
			"urls_think": thinking,
		}
	finally:
		stop(process)


def hammer(url: str, sessions: list, count: int, think: float = 0.0) -> dict:
	"""`count` requests of `url` per session, all sessions at once; with `think`, each session starts
	within `think` seconds and pauses 0.5-1.5x `think` seconds after each answer (seeded by its position)."""
	latencies, errors, statuses = [], [], {}
	lock = threading.Lock()
	stop_at = time.time() + MAX_SECONDS
	barrier = threading.Barrier(len(sessions))

	def worker(position, session):
		pauses = random.Random(position)
		barrier.wait()
		if think:  # sessions that read pages do not all click at the same instant: staggered start
			time.sleep(think * pauses.uniform(0, 1))
		for index in range(count):
			if index and think:
				time.sleep(think * pauses.uniform(0.5, 1.5))
			if time.time() > stop_at:
				return
			started = time.perf_counter()
			try:
				answer = session.get(url, timeout=60, allow_redirects=False)
				elapsed = (time.perf_counter() - started) * 1000
				with lock:
					latencies.append(elapsed)
					statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
					if answer.status_code >= 400:
						errors.append(answer.status_code)
			except Exception as error:  # a refused or timed-out request is a result
				with lock:
					errors.append(type(error).__name__)

	threads = [threading.Thread(target=worker, args=pair) for pair in enumerate(sessions)]
	started = time.perf_counter()
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()
	wall = time.perf_counter() - started
	if not latencies:
		return {"errors": len(errors), "statuses": statuses}
	return {
		"requests": len(latencies),
		"p50_ms": round(statistics.median(latencies), 1),
		"p95_ms": round(percentile(latencies, 0.95), 1),
		"max_ms": round(max(latencies), 1),
		"throughput_rps": round(len(latencies) / wall, 1),
		"errors": len(errors),
		"statuses": statuses,
	}
