"""Races, run for real: separate OS processes on the real database, released at the same moment.

Nothing is patched. The fixtures are committed in setUpClass (a process only sees committed data) and
removed in the class cleanup; each process connects to the site, logs in as its user, waits at a shared
barrier, acts and commits (see `sales_reengineering.tests.processes`).

	1. Two dealers register the same end customer and are approved at the same moment: exactly one
	   protection; the other approval fails with DealConflictError naming the holder. Once through the
	   Python API, and once over HTTP against the site served by gunicorn (2 workers) on 127.0.0.1.
	2. Two ranking jobs for the same period, on a fresh period and again on an existing ranking: one
	   ranking, one scorecard per task, and both jobs succeed (they are serialized by a named lock).
	3. An Account Handover while the salesperson edits one of the handed-over customers, in both orders
	   and freely: nothing lost. An edit saved first is kept and the customer still moves; an edit of a
	   form opened before the handover committed is refused with TimestampMismatchError, never silently
	   writing the old salesperson back.
"""

import contextlib
import importlib.util
import json
import os
import socket
import subprocess
import sys
import time

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, random_string, today
from frappe.utils.password import update_password

from sales_reengineering.channel.portal import register_deal
from sales_reengineering.core.conflict import credit_code_check_char
from sales_reengineering.performance.doctype.sales_task.sales_task import period_bounds
from sales_reengineering.tests.factories_channel import make_dealer, make_item, make_tier, make_website_user
from sales_reengineering.tests.factories_customer_intelligence import (
	link_user_to_sales_person,
	make_customer,
	make_sales_person,
	make_user,
)
from sales_reengineering.tests.factories_performance import make_task, make_template
from sales_reengineering.tests.processes import Job, run_together

PASSWORD = "Concurrency-Test-1"
# a period no other test uses: the ranking scores every approved task of it
RANKING_YEAR, RANKING_QUARTER, RANKING_MONTH = 2031, 2, 5
HANDOVER_GROUPS = ("edit-first", "handover-first", "free")
ACTIONS = __name__


# --- what the processes do (module level: a spawned process imports them by name) -----------------------


def register_and_approve(
	sync, dealer_user: str, approver: str, company_name: str, credit_code: str, item: str
):
	"""As the dealer: register the deal (commit); then, released together, as the Channel Manager:
	approve it."""
	frappe.set_user(dealer_user)
	registered = register_deal(
		company_name=company_name,
		city="北京",
		expected_close_date=add_days(today(), 30),
		items=[{"item_code": item, "qty": 1, "rate": 1000}],
		credit_code=credit_code,
	)
	frappe.db.commit()
	sync.start_together()
	frappe.set_user(approver)
	doc = apply_workflow(frappe.get_doc("Deal Registration", registered["name"]), "Approve")
	return {"name": doc.name, "status": doc.status}


def compute_ranking_job(sync, period_type: str, year: int, number: int):
	from sales_reengineering.performance.ranking import compute_ranking

	return compute_ranking(period_type, year, number, "Individuals")


def submit_handover(sync, from_sales_person: str, to_sales_person: str, customers: list, wait_for=None):
	"""Submit a Selected Customers handover. With `wait_for`, first wait until the other process has
	written (not committed) its edit; then hold this transaction open a moment before committing."""
	if wait_for:
		sync.wait(wait_for)
	doc = frappe.get_doc(
		{
			"doctype": "Account Handover",
			"from_sales_person": from_sales_person,
			"to_sales_person": to_sales_person,
			"scope": "Selected Customers",
			"handover_date": today(),
			"customers": [{"customer": name} for name in customers],
		}
	)
	doc.insert()
	doc.submit()
	sync.set("handover written")
	time.sleep(1)  # still uncommitted: the edit process meets our row locks now
	return {"name": doc.name, "status": doc.status, "customers_moved": doc.customers_moved}


def edit_customer(sync, customer: str, note: str, order: str):
	"""The salesperson edits a customer: `edit-first` saves and holds the transaction before the handover
	starts; `handover-first` opened the form before the handover and saves after it has written; `free`
	just saves, at the barrier's moment."""
	doc = frappe.get_doc("Customer", customer)
	if order == "handover-first":
		sync.wait("handover written")
	doc.customer_details = note
	doc.save()
	if order == "edit-first":
		sync.set("edit written")
		time.sleep(1)  # still uncommitted: the handover process meets our row lock now
	return {"name": doc.name, "sr_sales_person": doc.sr_sales_person}


def http_register_and_approve(sync, base_url: str, site: str, dealer_user: str, approver: str, **deal):
	"""The same as `register_and_approve`, through the site's HTTP API (login, then POST)."""
	import requests

	def session_for(user: str):
		session = requests.Session()
		session.headers["Host"] = site
		response = session.post(
			f"{base_url}/api/method/login", data={"usr": user, "pwd": PASSWORD}, timeout=60
		)
		response.raise_for_status()
		return session

	def post(session, method: str, **data):
		response = session.post(f"{base_url}/api/method/{method}", data=data, timeout=120)
		body = (
			response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
		)
		if response.status_code != 200:
			messages = [
				json.loads(m).get("message", m) for m in json.loads(body.get("_server_messages", "[]"))
			]
			raise HttpError(response.status_code, body.get("exc_type"), " ".join(messages))
		return body.get("message")

	dealer = session_for(dealer_user)
	registered = post(
		dealer,
		"sales_reengineering.channel.portal.register_deal",
		company_name=deal["company_name"],
		city="北京",
		expected_close_date=str(add_days(today(), 30)),
		items=json.dumps([{"item_code": deal["item"], "qty": 1, "rate": 1000}]),
		credit_code=deal["credit_code"],
	)
	manager = session_for(approver)
	doc = post(manager, "frappe.client.get", doctype="Deal Registration", name=registered["name"])
	sync.start_together()
	approved = post(manager, "frappe.model.workflow.apply_workflow", doc=json.dumps(doc), action="Approve")
	return {"name": approved["name"], "status": approved["status"]}


class HttpError(Exception):
	def __init__(self, status: int, exc_type: str | None, message: str):
		super().__init__(f"HTTP {status} {exc_type}: {message}")
		self.exc_type = exc_type


# --- the tests ----------------------------------------------------------------------------------------


class TestConcurrency(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.tag = random_string(6)
		cls.addClassCleanup(cls.remove_fixtures)
		cls.make_channel_fixtures()
		cls.make_ranking_fixtures()
		cls.make_handover_fixtures()
		frappe.db.commit()

	# -- fixtures (committed) ---------------------------------------------------------------------------

	@classmethod
	def make_channel_fixtures(cls):
		cls.item = make_item()
		tier = make_tier(tier_name=f"_Test SR Concurrency Tier {cls.tag}")
		cls.dealer_users, cls.dealers = [], []
		cls.dealer_customers = []
		for letter in "ab":
			user = make_website_user(f"sr-conc-dealer-{letter}-{cls.tag}@sr-test.invalid".lower())
			update_password(user, PASSWORD)
			cls.dealer_users.append(user)
			dealer = make_dealer(dealer_tier=tier, portal_users=[user])
			cls.dealers.append(dealer.name)
			cls.dealer_customers.append(dealer.customer)
		cls.approver = make_user(f"sr-conc-channel-{cls.tag}@sr-test.invalid".lower(), ["Channel Manager"])
		update_password(cls.approver, PASSWORD)
		cls.tier = tier

	@classmethod
	def make_ranking_fixtures(cls):
		cls.ranking_template = make_template(
			f"_Test SR Concurrency Template {cls.tag}", [("Net Sales", 100, 1000)]
		).name
		cls.ranking_reps = [make_sales_person(f"_Test SR Conc Rank {letter} {cls.tag}") for letter in "ABC"]
		cls.ranking_tasks = [
			make_task(
				rep, cls.ranking_template, year=RANKING_YEAR, quarter=RANKING_QUARTER, approve=True
			).name
			for rep in cls.ranking_reps
		]

	@classmethod
	def make_handover_fixtures(cls):
		cls.manager = make_sales_person(f"_Test SR Conc Manager {cls.tag}", is_group=1)
		cls.source = make_sales_person(f"_Test SR Conc Source {cls.tag}", parent=cls.manager)
		cls.target = make_sales_person(f"_Test SR Conc Target {cls.tag}", parent=cls.manager)
		cls.manager_user = make_user(
			f"sr-conc-manager-{cls.tag}@sr-test.invalid".lower(), ["Sales User", "Sales Manager"]
		)
		link_user_to_sales_person(cls.manager_user, cls.manager)
		cls.source_user = make_user(f"sr-conc-source-{cls.tag}@sr-test.invalid".lower(), ["Sales User"])
		link_user_to_sales_person(cls.source_user, cls.source)
		cls.handover_customers = {
			group: [
				make_customer(cls.source, customer_name=f"_Test SR Conc {group} {i} {cls.tag}")
				for i in range(3)
			]
			for group in HANDOVER_GROUPS
		}

	@classmethod
	def remove_fixtures(cls):
		"""Everything the class and its processes created, then commit."""
		frappe.set_user("Administrator")
		frappe.db.rollback()
		tag = getattr(cls, "tag", None)
		if not tag:
			return
		dealers = getattr(cls, "dealers", [])
		registrations = frappe.get_all(
			"Deal Registration", filters={"dealer": ("in", dealers or [""])}, pluck="name"
		)
		_delete_rows("Deal Registration", registrations)
		rankings = frappe.get_all(
			"Sales Ranking",
			filters={
				"period_label": (
					"in",
					[f"{RANKING_YEAR}-Q{RANKING_QUARTER}", f"{RANKING_YEAR}-{RANKING_MONTH:02d}"],
				)
			},
			pluck="name",
		)
		_delete_rows("Sales Ranking", rankings)
		tasks = getattr(cls, "ranking_tasks", [])
		_delete_rows(
			"KPI Scorecard",
			frappe.get_all("KPI Scorecard", filters={"sales_task": ("in", tasks or [""])}, pluck="name"),
		)
		_delete_rows("Sales Task", tasks)
		handovers = frappe.get_all(
			"Account Handover", filters={"from_sales_person": getattr(cls, "source", "")}, pluck="name"
		)
		_delete_rows("Account Handover", handovers)
		customers = [name for group in getattr(cls, "handover_customers", {}).values() for name in group]
		users = [
			*getattr(cls, "dealer_users", []),
			*(getattr(cls, attribute, None) for attribute in ("approver", "manager_user", "source_user")),
		]
		users = [user for user in users if user]
		people = [
			*getattr(cls, "ranking_reps", []),
			*(getattr(cls, attribute, None) for attribute in ("source", "target", "manager")),
		]
		_delete_rows(
			"Employee", frappe.get_all("Employee", filters={"user_id": ("in", users or [""])}, pluck="name")
		)
		deleted = []
		for doctype, names in (
			("Dealer", list(reversed(dealers))),
			("Customer", [*customers, *getattr(cls, "dealer_customers", [])]),
			("Dealer Tier", [getattr(cls, "tier", None)]),
			("KPI Template", [getattr(cls, "ranking_template", None)]),
			("Item", [getattr(cls, "item", None)]),
			("Sales Person", people),
			("Contact", frappe.get_all("Contact", filters={"email_id": ("in", users or [""])}, pluck="name")),
			("User", users),
		):
			for name in filter(None, names):
				if frappe.db.exists(doctype, name):
					frappe.delete_doc(
						doctype, name, force=True, ignore_permissions=True, delete_permanently=True
					)
					deleted.append(f"{doctype} {name}")
		# what deleting leaves behind: the feed's "Deleted" comments, the users' notification settings
		# (deleted with a backup by Frappe) and their logins
		deleted += [f"Notification Settings {user}" for user in users]
		frappe.db.delete("Comment", {"comment_type": "Deleted", "subject": ("in", deleted)})
		frappe.db.delete(
			"Deleted Document",
			{"deleted_doctype": "Notification Settings", "deleted_name": ("in", users or [""])},
		)
		frappe.db.delete("Activity Log", {"user": ("in", users or [""])})
		frappe.db.commit()

	# -- 1. deal registration --------------------------------------------------------------------------

	def deal(self, label: str) -> dict:
		return {
			"company_name": f"_Test SR Conc End Customer {label} {self.tag}",
			"credit_code": _credit_code(f"{self.tag}{label}"),
			"item": self.item,
		}

	def assert_one_protection(self, outcomes, company_name):
		frappe.db.rollback()  # a fresh snapshot: see what the processes committed
		summary = _summary(outcomes)
		self.assertEqual(sorted(o.status for o in outcomes), ["error", "ok"], summary)
		refused = next(o for o in outcomes if o.status == "error")
		self.assertEqual(refused.exc_type, "DealConflictError", summary)
		winner = next(o for o in outcomes if o.status == "ok")
		self.assertIn(winner.value["name"], refused.message, summary)  # the error names the holder
		rows = frappe.get_all(
			"Deal Registration",
			filters={"company_name": company_name, "docstatus": 1},
			fields=["name", "status", "protection_name", "protection_credit_code", "protected_until"],
		)
		self.assertEqual(len(rows), 2, rows)
		approved = [row for row in rows if row.status == "Approved"]
		self.assertEqual([row.name for row in approved], [winner.value["name"]], rows)
		self.assertTrue(approved[0].protection_name and approved[0].protected_until, rows)
		pending = [row for row in rows if row.status != "Approved"]
		self.assertEqual([row.status for row in pending], ["Pending Approval"], rows)
		self.assertFalse(pending[0].protection_name or pending[0].protection_credit_code, rows)

	def test_two_dealers_approved_at_once_get_one_protection(self):
		deal = self.deal("api")
		outcomes = run_together(
			[
				Job(
					f"{ACTIONS}.register_and_approve",
					user,
					{"dealer_user": user, "approver": self.approver, **deal},
				)
				for user in self.dealer_users
			]
		)
		self.assert_one_protection(outcomes, deal["company_name"])

	def test_two_dealers_approved_at_once_over_http(self):
		with serve_site() as base_url:
			deal = self.deal("http")
			outcomes = run_together(
				[
					Job(
						f"{ACTIONS}.http_register_and_approve",
						"Guest",
						{
							"base_url": base_url,
							"site": frappe.local.site,
							"dealer_user": user,
							"approver": self.approver,
							**deal,
						},
					)
					for user in self.dealer_users
				]
			)
		self.assert_one_protection(outcomes, deal["company_name"])

	# -- 2. ranking ----------------------------------------------------------------------------------

	def test_two_ranking_jobs_for_one_period_make_one_ranking(self):
		for attempt, period_type, number in (
			("fresh quarter", "Quarter", RANKING_QUARTER),
			("existing ranking", "Quarter", RANKING_QUARTER),
			# scored from the quarterly tasks in memory: no scorecard rows to queue on, only the ranking
			("month without monthly tasks", "Month", RANKING_MONTH),
		):
			label = period_bounds(period_type, RANKING_YEAR, number)[2]
			job = {"period_type": period_type, "year": RANKING_YEAR, "number": number}
			outcomes = run_together(
				[Job(f"{ACTIONS}.compute_ranking_job", "Administrator", job) for _ in range(2)]
			)
			summary = f"{attempt}: {_summary(outcomes)}"
			self.assertEqual([o.status for o in outcomes], ["ok", "ok"], summary)
			frappe.db.rollback()
			rankings = frappe.get_all("Sales Ranking", filters={"period_label": label}, pluck="name")
			self.assertEqual(rankings, [f"RANK-{label}-Individuals"], summary)
			self.assertEqual({o.value for o in outcomes}, set(rankings), summary)
			entries = frappe.get_all(
				"Sales Ranking Entry", filters={"parent": rankings[0]}, pluck="sales_person"
			)
			self.assertEqual(sorted(entries), sorted(self.ranking_reps), summary)
			cards = frappe.get_all(
				"KPI Scorecard", filters={"sales_task": ("in", self.ranking_tasks)}, pluck="sales_task"
			)
			self.assertEqual(sorted(cards), sorted(self.ranking_tasks), summary)

	# -- 3. account handover ---------------------------------------------------------------------------

	def run_handover_with_edit(self, order: str):
		customers = self.handover_customers[order]
		edited = customers[1]
		note = f"edited during the handover ({order})"
		handover = Job(
			f"{ACTIONS}.submit_handover",
			self.manager_user,
			{
				"from_sales_person": self.source,
				"to_sales_person": self.target,
				"customers": customers,
				"wait_for": "edit written" if order == "edit-first" else None,
			},
		)
		edit = Job(
			f"{ACTIONS}.edit_customer", self.source_user, {"customer": edited, "note": note, "order": order}
		)
		outcomes = run_together([handover, edit], events=("edit written", "handover written"))
		frappe.db.rollback()
		summary = f"{order}: {_summary(outcomes)}"
		handover_outcome, edit_outcome = outcomes
		# the handover always completes and moves every customer, whatever the edit did
		self.assertEqual(handover_outcome.status, "ok", summary)
		self.assertEqual(handover_outcome.value["customers_moved"], len(customers), summary)
		self.assertEqual(
			frappe.db.get_value("Account Handover", handover_outcome.value["name"], "status"),
			"Completed",
			summary,
		)
		owners = {name: frappe.db.get_value("Customer", name, "sr_sales_person") for name in customers}
		self.assertEqual(set(owners.values()), {self.target}, summary)
		details = frappe.db.get_value("Customer", edited, "customer_details")
		if edit_outcome.status == "ok":
			self.assertEqual(details, note, summary)  # an edit that was saved is kept
		else:
			# refused with a clear message, never saved over the handover
			self.assertIn(edit_outcome.exc_type, ("TimestampMismatchError", "PermissionError"), summary)
			self.assertNotEqual(details, note, summary)
		return edit_outcome

	def test_edit_saved_before_the_handover_is_kept_and_moved(self):
		edit = self.run_handover_with_edit("edit-first")
		self.assertEqual(edit.status, "ok", _summary([edit]))

	def test_edit_of_a_form_opened_before_the_handover_is_refused(self):
		edit = self.run_handover_with_edit("handover-first")
		self.assertEqual(edit.exc_type, "TimestampMismatchError", _summary([edit]))

	def test_handover_and_edit_at_the_same_moment_lose_nothing(self):
		self.run_handover_with_edit("free")


# --- helpers ------------------------------------------------------------------------------------------


def _summary(outcomes) -> str:
	return "; ".join(
		f"[{o.index}] {o.user}: {o.status} {o.get('value') or ''} {o.get('exc_type') or ''} {o.get('message') or ''}"
		+ (
			f"\n{o.traceback}"
			if o.get("traceback") and o.get("exc_type") not in ("DealConflictError", "TimestampMismatchError")
			else ""
		)
		for o in outcomes
	)


def _delete_rows(doctype: str, names: list[str]) -> None:
	"""Delete submitted test records with their child rows and the Versions, Comments and Notification
	Logs about them (frappe.delete_doc refuses a submitted document)."""
	names = [name for name in names if name]
	if not names:
		return
	for table in frappe.get_meta(doctype).get_table_fields():
		frappe.db.delete(table.options, {"parent": ("in", names), "parenttype": doctype})
	frappe.db.delete("Version", {"ref_doctype": doctype, "docname": ("in", names)})
	frappe.db.delete("Comment", {"reference_doctype": doctype, "reference_name": ("in", names)})
	frappe.db.delete("Notification Log", {"document_type": doctype, "document_name": ("in", names)})
	frappe.db.delete(doctype, {"name": ("in", names)})


def _credit_code(seed: str) -> str:
	"""A valid unified social credit code derived from `seed`."""
	body = "91110000" + "".join(str(ord(c) % 10) for c in seed)[:9].ljust(9, "0")
	return body + credit_code_check_char(body)


def _free_port() -> int:
	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


@contextlib.contextmanager
def serve_site():
	"""The bench's gunicorn serving this bench's sites on a free loopback port, 2 sync workers (so two
	requests really run at once); stopped on exit. Skips the test when gunicorn is not installed."""
	import unittest

	if not importlib.util.find_spec("gunicorn"):
		raise unittest.SkipTest("gunicorn is not installed in this bench's environment")
	import requests

	port = _free_port()
	sites_path = os.path.abspath(frappe.local.sites_path)
	log = open(os.path.join(frappe.get_site_path("logs"), "sr-concurrency-gunicorn.log"), "ab")
	server = subprocess.Popen(
		[
			sys.executable,
			"-m",
			"gunicorn",
			"-b",
			f"127.0.0.1:{port}",
			"-w",
			"2",
			"-t",
			"120",
			"--preload",
			"frappe.app:application",
		],
		cwd=sites_path,
		stdout=log,
		stderr=subprocess.STDOUT,
		env={**os.environ, "SITES_PATH": sites_path},
	)
	base_url = f"http://127.0.0.1:{port}"
	try:
		deadline = time.monotonic() + 90
		while True:
			if server.poll() is not None:
				raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log.name}")
			with contextlib.suppress(requests.RequestException):
				if requests.get(
					f"{base_url}/api/method/ping", headers={"Host": frappe.local.site}, timeout=5
				).ok:
					break
			if time.monotonic() > deadline:
				raise RuntimeError(f"gunicorn did not answer on {base_url}; see {log.name}")
			time.sleep(0.5)
		yield base_url
	finally:
		server.terminate()
		try:
			server.wait(20)
		except subprocess.TimeoutExpired:
			server.kill()
			server.wait(5)
		log.close()
