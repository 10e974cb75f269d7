"""The reminder engine, run by the scheduler (hourly_long).

Each rule is a function `(rule, today) -> list of candidates`, computed with ONE query (plus the shared
look-ups), selecting everything that is overdue *now* rather than "exactly N days ago": a day the
scheduler missed is caught up on the next run. Every (rule, document, recipient, occurrence) is written
once to `Sales Reminder Log`, whose unique `log_key` makes a second run on the same day create nothing.
The rules with one candidate per open opportunity are read a page at a time (`PAGED_RULES`), and the
reminders written WRITE_BATCH at a time, so a run's memory does not grow with the company; a candidate's
message is formatted only when its reminder is new.

Delivery: each new log becomes an ERPNext ToDo (one open ToDo per document and user is reused) and a
system Notification Log at once; the e-mail goes out as ONE digest per user and day, from the editable
Email Template "Sales Reminder Digest" (a "- zh" variant for Chinese users), never during the quiet hours
(site time); a digest held back by the quiet hours goes out on the first run after them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import partial

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Coalesce, Max
from frappe.utils import (
	add_days,
	add_months,
	flt,
	get_datetime,
	get_first_day,
	get_time,
	get_url_to_form,
	getdate,
	now_datetime,
)

from sales_reengineering.bulk import insert_records
from sales_reengineering.channel.support import unanswered_requests
from sales_reengineering.core.reminders_schedule import behind_pace, in_quiet_hours, period_key
from sales_reengineering.customer_intelligence.training import career_goals_due
from sales_reengineering.notify import insert_notifications, insert_todos
from sales_reengineering.scope import sees_every

LOG = "Sales Reminder Log"
SETTINGS = "Sales Reengineering Settings"
DIGEST_TEMPLATE = "Sales Reminder Digest"
DEFAULT_QUIET_HOURS = (time(22), time(8))
OPEN_OPPORTUNITY = ("Open", "Replied", "Quotation")

STUCK_OPPORTUNITY = "Stuck Opportunity"
CLOSE_DATE_PASSED = "Close Date Passed"
DEAL_EXPIRING = "Deal Registration Expiring"
CONTRACT_RENEWAL = "Contract Renewal Due"
DORMANT_CALL = "Dormant Customer Call"
SALES_TASK = "Sales Task Attention"
MISSING_FEEDBACK = "Missing Info Feedback"
MISSING_SELL_THROUGH = "Missing Sell Through"
# an open goal of an active career plan `days` before its target date, to the salesperson and the mentor
# (customer_intelligence.training)
CAREER_GOAL_DUE = "Career Goal Due"
# a dealer's support request past its response-by with no first response (channel.support)
DEALER_REQUEST_UNANSWERED = "Dealer Request Unanswered"
# delivered by its own weekly job (customer_intelligence.weekly_report), not by `run`: the settings' row
# switches it on or off and says who gets it (notify_owner: each rep, notify_manager: each team lead)
WEEKLY_SALES_REPORT = "Weekly Sales Report"
SCHEDULED_REPORTS = (WEEKLY_SALES_REPORT,)

# rule -> shipped defaults (seeded once into the settings by reminders.setup)
DEFAULT_RULES = {
	STUCK_OPPORTUNITY: dict(days=14, repeat_days=7, notify_owner=1, notify_manager=1),
	CLOSE_DATE_PASSED: dict(days=0, repeat_days=7, notify_owner=1),
	DEAL_EXPIRING: dict(days=14, repeat_days=0, notify_owner=1, notify_role="Channel Manager"),
	CONTRACT_RENEWAL: dict(days=30, repeat_days=0, notify_owner=1, notify_role="Sales Assistant"),
	DORMANT_CALL: dict(days=3, repeat_days=7, notify_owner=1),
	SALES_TASK: dict(days=3, repeat_days=7, notify_owner=1, notify_manager=1),
	MISSING_FEEDBACK: dict(days=7, repeat_days=7, notify_owner=1),
	MISSING_SELL_THROUGH: dict(days=5, repeat_days=7, notify_owner=1, notify_role="Channel Manager"),
	CAREER_GOAL_DUE: dict(days=7, repeat_days=0, notify_owner=1),
	DEALER_REQUEST_UNANSWERED: dict(days=0, repeat_days=1, notify_owner=1, notify_role="Channel Manager"),
	# the scheduled reports last, as in the rule's options
	WEEKLY_SALES_REPORT: dict(days=0, repeat_days=7, notify_owner=1, notify_manager=1),
}


# reminders written per batch (one look-up of the logged keys, then the ToDos, notifications and logs of
# the batch's new reminders): a run holds one batch's documents and SQL, not the whole company's
WRITE_BATCH = 500


class Candidate:
	"""A document a rule found, whom it concerns and when it fell due.

	`message` may be given as a callable: it is then formatted only when a reminder is written. A run
	finds most of its candidates already logged (every run after the first of the day), and formatting
	tens of thousands of messages (a localised date each) was most of an hourly run's time."""

	__slots__ = ("_message", "due_date", "reference_doctype", "reference_name", "sales_persons", "users")

	def __init__(self, doctype, name, due, message, sales_persons=(), users=()):
		self.reference_doctype = doctype
		self.reference_name = name
		self.due_date = getdate(due)
		self._message = message
		self.sales_persons = [p for p in sales_persons if p]
		self.users = [u for u in users if u]

	@property
	def message(self) -> str:
		if callable(self._message):
			self._message = self._message()
		return self._message

	def __repr__(self):
		return f"Candidate({self.reference_doctype} {self.reference_name}, due {self.due_date})"


def candidate(doctype, name, due, message: str | Callable[[], str], sales_persons=(), users=()) -> Candidate:
	return Candidate(doctype, name, due, message, sales_persons, users)


# ---------------------------------------------------------------------------------------------------
# the rules: one query each
# ---------------------------------------------------------------------------------------------------

# rules that find one candidate per open opportunity, the company's longest lists: read a page of
# READ_PAGE opportunities at a time (by name), each written before the next is read, so a run's memory
# is one page's, not every open opportunity's
PAGED_RULES = {STUCK_OPPORTUNITY, CLOSE_DATE_PASSED}
READ_PAGE = 5000
# users whose pending reminders one digest query reads
DIGEST_USERS = 200


def _page(query, table, after: str | None, limit: int | None):
	"""`query` from the opportunity after `after`, at most `limit` of them, in the order of their names."""
	if after is not None:
		query = query.where(table.name > after)
	if limit:
		query = query.orderby(table.name).limit(limit)
	return query


def stuck_opportunities(rule, today: date, after: str | None = None, limit: int | None = None) -> list:
	"""Open opportunities whose stage has not changed for `days` days (since creation if never); those
	named after `after`, at most `limit` (by name) when given."""
	opportunity = frappe.qb.DocType("Opportunity")
	log = frappe.qb.DocType("Opportunity Stage Log")
	last_change = (
		frappe.qb.from_(log)
		.select(log.opportunity, Max(log.changed_on).as_("changed_on"))
		.where(log.stage_changed == 1)
		.groupby(log.opportunity)
	).as_("last_change")
	since = Coalesce(last_change.changed_on, opportunity.creation)
	rows = _page(
		frappe.qb.from_(opportunity)
		.left_join(last_change)
		.on(last_change.opportunity == opportunity.name)
		.select(opportunity.name, opportunity.sr_sales_person, opportunity.sales_stage, since.as_("since"))
		.where(opportunity.status.isin(OPEN_OPPORTUNITY))
		.where(since < add_days(today, 1 - rule.days)),
		opportunity,
		after,
		limit,
	).run()
	# one candidate per open opportunity of the company (tens of thousands): plain tuples, date arithmetic
	# and the message formatted only if the reminder is new
	days = timedelta(days=rule.days)
	return [
		candidate(
			"Opportunity",
			name,
			getdate(since) + days,
			partial(_stuck_message, name, stage, getdate(since)),
			sales_persons=[sales_person],
		)
		for name, sales_person, stage, since in rows
	]


def _stuck_message(name: str, stage: str | None, since: date) -> str:
	return _("Opportunity {0} has stayed in stage {1} since {2}.").format(
		name, stage or "-", frappe.format(since, "Date")
	)


def close_date_passed(rule, today: date, after: str | None = None, limit: int | None = None) -> list:
	"""Open opportunities whose expected closing date passed more than `days` days ago (a page of them as
	in `stuck_opportunities`)."""
	opportunity = frappe.qb.DocType("Opportunity")
	rows = _page(
		frappe.qb.from_(opportunity)
		.select(opportunity.name, opportunity.sr_sales_person, opportunity.expected_closing)
		.where(opportunity.status.isin(OPEN_OPPORTUNITY))
		.where(opportunity.expected_closing < add_days(today, -rule.days)),
		opportunity,
		after,
		limit,
	).run()
	days = timedelta(days=rule.days + 1)
	return [
		candidate(
			"Opportunity",
			name,
			getdate(expected_closing) + days,
			partial(_close_date_message, name, getdate(expected_closing)),
			sales_persons=[sales_person],
		)
		for name, sales_person, expected_closing in rows
	]


def _close_date_message(name: str, expected_closing: date) -> str:
	return _("Opportunity {0} was expected to close on {1} and is still open.").format(
		name, frappe.format(expected_closing, "Date")
	)


def expiring_deal_registrations(rule, today: date) -> list:
	"""Approved registrations whose protection ends within `days` days (and has not ended yet)."""
	registration = frappe.qb.DocType("Deal Registration")
	dealer = frappe.qb.DocType("Dealer")
	rows = (
		frappe.qb.from_(registration)
		.left_join(dealer)
		.on(dealer.name == registration.dealer)
		.select(
			registration.name,
			registration.dealer,
			registration.protected_until,
			registration.assisting_sales_person,
			dealer.account_manager,
		)
		.where((registration.docstatus == 1) & (registration.status == "Approved"))
		.where(registration.protected_until >= today)
		.where(registration.protected_until <= add_days(today, rule.days))
	).run(as_dict=True)
	return [
		candidate(
			"Deal Registration",
			row.name,
			add_days(row.protected_until, -rule.days),
			_("The protection of deal registration {0} ({1}) ends on {2}.").format(
				row.name, row.dealer, frappe.format(row.protected_until, "Date")
			),
			sales_persons=[row.assisting_sales_person, row.account_manager],
		)
		for row in rows
	]


def contracts_due_for_renewal(rule, today: date) -> list:
	"""Contracts whose renewal date (or else end date) falls within `days` days."""
	contract = frappe.qb.DocType("Contract")
	customer = frappe.qb.DocType("Customer")
	expiry = Coalesce(contract.sr_renewal_date, contract.end_date)
	rows = (
		frappe.qb.from_(contract)
		.left_join(customer)
		.on((contract.party_type == "Customer") & (customer.name == contract.party_name))
		.select(
			contract.name,
			contract.party_name,
			expiry.as_("expiry"),
			customer.sr_sales_person,
			customer.sr_sales_assistant,
		)
		.where((contract.docstatus < 2) & (contract.status != "Inactive"))
		.where(expiry >= today)
		.where(expiry <= add_days(today, rule.days))
	).run(as_dict=True)
	return [
		candidate(
			"Contract",
			row.name,
			add_days(row.expiry, -rule.days),
			_("Contract {0} with {1} is due for renewal on {2}.").format(
				row.name, row.party_name, frappe.format(row.expiry, "Date")
			),
			sales_persons=[row.sr_sales_person],
			# the assistant who maintains the customer; not every assistant (see Directory.recipients)
			users=[row.sr_sales_assistant] if row.sr_sales_assistant else [],
		)
		for row in rows
	]


def dormant_customer_calls(rule, today: date) -> list:
	"""Open telesales calls to dormant customers not made `days` days after they were listed (or
	after their follow-up date)."""
	call = frappe.qb.DocType("Telesales Call")
	rows = (
		frappe.qb.from_(call)
		.select(call.name, call.customer, call.agent, call.follow_up_date, call.creation)
		.where(call.status == "Open")
		.where(Coalesce(call.follow_up_date, call.creation) < add_days(today, 1 - rule.days))
	).run(as_dict=True)
	return [
		candidate(
			"Telesales Call",
			row.name,
			add_days(getdate(row.follow_up_date or row.creation), rule.days),
			_("Dormant customer {0} is waiting for a call ({1}).").format(row.customer, row.name),
			users=[row.agent],
		)
		for row in rows
	]


def sales_tasks(rule, today: date) -> list:
	"""Tasks pending approval for `days` days, and approved tasks at least `days` days into their period
	whose score is below the elapsed share of the period.

	The score is the task's saved KPI Scorecard (the daily job and every refresh keep it current), read
	in one query: an hourly run evaluates no indicator. A task without a scorecard yet is scored once."""

	task = frappe.qb.DocType("Sales Task")
	dealer = frappe.qb.DocType("Dealer")
	rows = (
		frappe.qb.from_(task)
		.left_join(dealer)
		.on((task.assignee_type == "Dealer") & (dealer.name == task.assignee))
		.select(
			task.name,
			task.docstatus,
			task.modified,
			task.from_date,
			task.to_date,
			task.period_label,
			task.assignee,
			Case()
			.when(task.assignee_type == "Dealer", dealer.account_manager)
			.else_(task.assignee)
			.as_("owner_person"),
		)
		.where(
			((task.docstatus == 0) & (task.workflow_state == "Pending Approval"))
			| (
				(task.docstatus == 1)
				& (task.from_date <= add_days(today, -rule.days))
				& (task.to_date >= today)
			)
		)
	).run(as_dict=True)
	found = []
	pending = [row for row in rows if row.docstatus == 0]
	for row in pending:
		due = add_days(getdate(row.modified), rule.days)
		if getdate(due) <= today:
			found.append(
				candidate(
					"Sales Task",
					row.name,
					due,
					_("Sales task {0} for {1} ({2}) is awaiting approval.").format(
						row.name, row.assignee, row.period_label
					),
					sales_persons=[row.owner_person],
				)
			)
	live = {row.name: row for row in rows if row.docstatus == 1}
	scores = saved_scores(sorted(live))
	if missing := sorted(set(live) - set(scores)):
		scores.update(_score_unscored(missing))
	for name in sorted(scores):
		row, total = live[name], scores[name]
		if behind_pace(total, getdate(row.from_date), getdate(row.to_date), today):
			found.append(
				candidate(
					"Sales Task",
					row.name,
					add_days(row.from_date, rule.days),
					_("Sales task {0} for {1} is behind pace: {2}% of target in {3}.").format(
						row.name, row.assignee, round(total, 1), row.period_label
					),
					sales_persons=[row.owner_person],
				)
			)
	return found


@frappe.write_only()
def _score_unscored(task_names: list[str]) -> dict[str, float]:
	"""Compute and save the scorecards of tasks that have none, on the primary database even inside a
	read-only block (the rules run on the read replica when the site has one), and read them back."""
	from sales_reengineering.performance.scorecard import compute_scorecards

	compute_scorecards(task_names)
	return saved_scores(task_names)


def saved_scores(task_names: list[str]) -> dict[str, float]:
	"""{task: total score of its saved KPI Scorecard}, one query."""
	if not task_names:
		return {}
	return {
		row.sales_task: flt(row.total_score)
		for row in frappe.get_all(
			"KPI Scorecard",
			filters={"sales_task": ("in", task_names)},
			fields=["sales_task", "total_score"],
		)
	}


def missing_info_feedback(rule, today: date) -> list:
	"""Salespeople (with a user) who filed no Info Feedback Report in the last `days` days."""
	person = frappe.qb.DocType("Sales Person")
	employee = frappe.qb.DocType("Employee")
	report = frappe.qb.DocType("Info Feedback Report")
	last = (
		frappe.qb.from_(report)
		.select(report.sales_person, Max(report.report_date).as_("report_date"))
		.groupby(report.sales_person)
	).as_("last")
	rows = (
		frappe.qb.from_(person)
		.join(employee)
		.on(employee.name == person.employee)
		.left_join(last)
		.on(last.sales_person == person.name)
		.select(person.name, last.report_date)
		.where((person.enabled == 1) & (person.is_group == 0) & employee.user_id.isnotnull())
		.where(last.report_date.isnull() | (last.report_date <= add_days(today, -rule.days)))
	).run(as_dict=True)
	week_start = add_days(today, -today.weekday())
	return [
		candidate(
			"Sales Person",
			row.name,
			add_days(row.report_date, rule.days) if row.report_date else week_start,
			_("{0} has filed no info feedback report since {1}.").format(
				row.name, frappe.format(row.report_date, "Date") if row.report_date else _("ever")
			),
			sales_persons=[row.name],
		)
		for row in rows
	]


def missing_sell_through(rule, today: date) -> list:
	"""From day `days` of the month: active dealers with no submitted sell-through for last month."""
	this_month = get_first_day(today)
	due = add_days(this_month, max(rule.days, 1) - 1)
	if getdate(due) > today:
		return []
	last_month = add_months(this_month, -1)
	dealer = frappe.qb.DocType("Dealer")
	report = frappe.qb.DocType("Sell Through Report")
	rows = (
		frappe.qb.from_(dealer)
		.left_join(report)
		.on((report.dealer == dealer.name) & (report.period == last_month) & (report.docstatus == 1))
		.select(dealer.name, dealer.account_manager)
		.where((dealer.status == "Active") & report.name.isnull() & (dealer.creation < this_month))
	).run(as_dict=True)
	month = getdate(last_month).strftime("%Y-%m")
	return [
		candidate(
			"Dealer",
			row.name,
			due,
			_("Dealer {0} has not submitted the sell-through report for {1}.").format(row.name, month),
			sales_persons=[row.account_manager],
		)
		for row in rows
	]


RULES = {
	STUCK_OPPORTUNITY: stuck_opportunities,
	CLOSE_DATE_PASSED: close_date_passed,
	DEAL_EXPIRING: expiring_deal_registrations,
	CONTRACT_RENEWAL: contracts_due_for_renewal,
	DORMANT_CALL: dormant_customer_calls,
	SALES_TASK: sales_tasks,
	MISSING_FEEDBACK: missing_info_feedback,
	MISSING_SELL_THROUGH: missing_sell_through,
	CAREER_GOAL_DUE: career_goals_due,
	DEALER_REQUEST_UNANSWERED: unanswered_requests,
}


# ---------------------------------------------------------------------------------------------------
# configuration and recipients
# ---------------------------------------------------------------------------------------------------


def get_rules() -> list[frappe._dict]:
	"""The enabled rules of the settings (an empty table means no reminders)."""
	rows = frappe.get_all(
		"Reminder Rule",
		filters={"parenttype": SETTINGS, "parent": SETTINGS, "enabled": 1},
		fields=["rule", "days", "repeat_days", "notify_owner", "notify_manager", "notify_role"],
		order_by="idx",
	)
	for row in rows:
		row.days = int(row.days or 0)
		row.repeat_days = int(row.repeat_days or 0)
	return [row for row in rows if row.rule in RULES]


def get_quiet_hours() -> tuple[time, time]:
	values = frappe.db.get_values_from_single(
		["quiet_hours_start", "quiet_hours_end"], None, SETTINGS, as_dict=True
	)
	values = values[0] if values else {}
	start = values.get("quiet_hours_start")
	end = values.get("quiet_hours_end")
	return (
		get_time(start) if start else DEFAULT_QUIET_HOURS[0],
		get_time(end) if end else DEFAULT_QUIET_HOURS[1],
	)


class Directory:
	"""Sales Person -> user and manager, and role -> users, each loaded once per run."""

	def __init__(self):
		person = frappe.qb.DocType("Sales Person")
		employee = frappe.qb.DocType("Employee")
		user = frappe.qb.DocType("User")
		rows = (
			frappe.qb.from_(person)
			.left_join(employee)
			.on(employee.name == person.employee)
			.left_join(user)
			.on((user.name == employee.user_id) & (user.enabled == 1))
			.select(person.name, person.parent_sales_person, user.name.as_("user"))
		).run(as_dict=True)
		self.user_of = {row.name: row.user for row in rows}
		self.parent_of = {row.name: row.parent_sales_person for row in rows}
		self.enabled = set(
			frappe.get_all("User", filters={"enabled": 1, "user_type": "System User"}, pluck="name")
		)
		self._roles = {}
		self._sees_every = {}

	def manager_of(self, sales_person: str) -> str | None:
		"""The user of the nearest ancestor Sales Person that has one."""
		seen = {sales_person}
		parent = self.parent_of.get(sales_person)
		while parent and parent not in seen:
			if self.user_of.get(parent):
				return self.user_of[parent]
			seen.add(parent)
			parent = self.parent_of.get(parent)
		return None

	def role_users(self, role: str) -> list[str]:
		if role not in self._roles:
			users = frappe.get_all(
				"Has Role", filters={"role": role, "parenttype": "User"}, pluck="parent", distinct=True
			)
			self._roles[role] = sorted(
				u for u in users if u in self.enabled and u not in ("Administrator", "Guest")
			)
		return self._roles[role]

	def recipients(self, rule, found) -> list[str]:
		users = set()
		if rule.notify_owner:
			users.update(found.users)
			users.update(self.user_of.get(p) for p in found.sales_persons)
		if rule.notify_manager:
			users.update(self.manager_of(p) for p in found.sales_persons)
		if rule.notify_role:
			# a reminder names its record: a role reaches only those of its users who see every record
			# (the people of the record itself are reached above)
			doctype = found.reference_doctype
			users.update(u for u in self.role_users(rule.notify_role) if self.sees_every(doctype, u))
		return sorted(u for u in users if u and u in self.enabled)

	def sees_every(self, doctype: str, user: str) -> bool:
		if (doctype, user) not in self._sees_every:
			self._sees_every[doctype, user] = sees_every(doctype, user)
		return self._sees_every[doctype, user]


def log_key(rule: str, doctype: str, name: str, recipient: str, key: str) -> str:
	return hashlib.sha1("\x1f".join((rule, doctype, name, recipient, key)).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------------
# the run
# ---------------------------------------------------------------------------------------------------


def run(now: datetime | str | None = None) -> dict:
	"""Scheduler entry point (hourly_long). `now` (site time) is for tests and manual catch-up.

	Returns {"created": new logs, "digests": e-mails queued}."""
	now = get_datetime(now) if now else now_datetime()
	today = now.date()
	directory = Directory()
	created = 0
	for rule in get_rules():
		# the rules that work to the hour (a dealer request's response-by) compare with the run's time
		rule.now = now
		savepoint = f"reminder_{frappe.scrub(rule.rule)}"
		frappe.db.savepoint(savepoint)
		try:
			for candidates in rule_pages(rule, today):
				created += create_logs(rule, candidates, today, now, directory)
		except Exception:
			if frappe.flags.in_test:
				raise
			# one broken rule (e.g. a field an admin removed) must not stop the others; the admin sees
			# the failure in the Error Log, and nothing of the rule's run is kept half-done
			frappe.db.rollback(save_point=savepoint)
			frappe.log_error(title=_("Reminder rule {0} failed").format(rule.rule), reference_doctype=LOG)
	digests = 0 if in_quiet_hours(now, *get_quiet_hours()) else send_digests(now)
	return {"created": created, "digests": digests}


@frappe.read_only()
def rule_candidates(rule, today: date, after: str | None = None) -> list:
	"""The rule's one query, on the site's read replica when it has one (`read_from_replica`): for a
	paged rule, the page of candidates after the document `after`."""
	if rule.rule in PAGED_RULES:
		return RULES[rule.rule](rule, today, after=after, limit=READ_PAGE)
	return RULES[rule.rule](rule, today)


def rule_pages(rule, today: date):
	"""The rule's candidates, a page at a time (one page for a rule that is not paged)."""
	after = None
	while True:
		page = rule_candidates(rule, today, after)
		yield page
		if rule.rule not in PAGED_RULES or len(page) < READ_PAGE:
			return
		after = page[-1].reference_name


def create_logs(rule, candidates: list, today: date, now: datetime, directory: Directory) -> int:
	"""Write the log, ToDo and notification of every occurrence not logged before, WRITE_BATCH
	occurrences at a time."""
	rows, seen = [], set()
	for found in candidates:
		key = period_key(found.due_date, today, rule.repeat_days)
		if key is None:
			continue
		for user in directory.recipients(rule, found):
			key_hash = log_key(rule.rule, found.reference_doctype, found.reference_name, user, key)
			if key_hash not in seen:  # a document found twice is reminded once
				seen.add(key_hash)
				rows.append((key_hash, key, user, found))
	return sum(
		_write_batch(rule, rows[start : start + WRITE_BATCH], today, now)
		for start in range(0, len(rows), WRITE_BATCH)
	)


def _write_batch(rule, rows: list[tuple], today: date, now: datetime) -> int:
	"""One batch of occurrences: a constant number of statements whatever the batch's size (the logged
	keys, then for the new ones the open ToDos, the ToDos, notifications and logs in bulk)."""
	existing = set(
		frappe.get_all(LOG, filters={"log_key": ("in", [row[0] for row in rows])}, pluck="log_key")
	)
	new = [row for row in rows if row[0] not in existing]
	if not new:
		return 0
	open_todos = {
		(todo.allocated_to, todo.reference_type, todo.reference_name): todo.name
		for todo in frappe.get_all(
			"ToDo",
			filters={
				"status": "Open",
				"reference_type": ("in", list({row[3].reference_doctype for row in new})),
				"reference_name": ("in", list({row[3].reference_name for row in new})),
			},
			fields=["name", "allocated_to", "reference_type", "reference_name"],
		)
	}
	# the ToDos (one per user and document, an open one reused, also one an earlier batch wrote), the
	# notifications and the logs, each in bulk with the effects of their Frappe hooks set-based
	# (`sales_reengineering.notify`): the "Assigned" comment and `_assign` on the record, one realtime
	# push per recipient
	todos = {}
	for _key_hash, _key, user, found in new:
		reference = (user, found.reference_doctype, found.reference_name)
		if reference not in open_todos and reference not in todos:
			todos[reference] = {
				"allocated_to": user,
				"reference_type": found.reference_doctype,
				"reference_name": found.reference_name,
				"description": found.message,
				"date": max(found.due_date, today),
				"assigned_by": "Administrator",
				"priority": "Medium",
			}
	open_todos.update(zip(todos, insert_todos(list(todos.values())), strict=True))
	insert_notifications(
		[
			{
				"for_user": user,
				"from_user": "Administrator",
				"document_type": found.reference_doctype,
				"document_name": found.reference_name,
				"subject": found.message,
			}
			for _key_hash, _key, user, found in new
		]
	)
	logs = [
		{
			"rule": rule.rule,
			"reference_doctype": found.reference_doctype,
			"reference_name": found.reference_name,
			"recipient": user,
			"due_date": found.due_date,
			"period_key": key,
			"log_key": key_hash,
			"message": found.message,
			"todo": open_todos[(user, found.reference_doctype, found.reference_name)],
			"notified_on": now,
		}
		for key_hash, key, user, found in new
	]
	insert_records(LOG, logs)
	return len(new)


def send_digests(now: datetime) -> int:
	"""Queue ONE e-mail per user with every reminder not mailed yet; users already mailed today wait
	until tomorrow. Returns the number of e-mails queued.

	The users are taken DIGEST_USERS at a time (their pending reminders read in one query, marked sent
	in one update), and the run stops at the first e-mail that cannot be queued: on a site without an
	outgoing e-mail account the pending reminders pile up, and every hourly run read all of them, message
	text included, to fail on the first mail and log the same error again."""
	waiting = frappe.get_all(
		LOG, filters={"digest_sent": 0}, pluck="recipient", distinct=True, order_by="recipient"
	)
	if not waiting:
		return 0
	day_start = datetime.combine(now.date(), time())
	mailed = 0
	for first in range(0, len(waiting), DIGEST_USERS):
		recipients = waiting[first : first + DIGEST_USERS]
		mailed_today = set(
			frappe.get_all(
				LOG,
				filters={
					"digest_sent": 1,
					"recipient": ("in", recipients),
					"digest_sent_on": (">=", day_start),
				},
				pluck="recipient",
				distinct=True,
			)
		)
		users = {
			user.name: user
			for user in frappe.get_all(
				"User",
				filters={"name": ("in", recipients), "enabled": 1, "email": ("is", "set")},
				fields=["name", "email", "full_name", "language"],
			)
			if user.name not in mailed_today
		}
		if not users:
			continue
		by_user = defaultdict(list)
		for row in frappe.get_all(
			LOG,
			filters={"digest_sent": 0, "recipient": ("in", list(users))},
			fields=[
				"name",
				"recipient",
				"rule",
				"reference_doctype",
				"reference_name",
				"message",
				"due_date",
			],
			order_by="recipient, rule, due_date, name",
		):
			by_user[row.recipient].append(row)
		sent, queued = [], True
		for recipient, rows in by_user.items():
			user = users[recipient]
			subject, message = render_digest(user, rows)
			frappe.db.savepoint("reminder_digest")
			try:
				frappe.sendmail(
					recipients=[user.email],
					subject=subject,
					message=message,
					reference_doctype=LOG,
					reference_name=rows[0].name,
					delayed=True,
				)
			except Exception:
				# No outgoing e-mail account: Frappe raises OutgoingEmailError, or, on a site with muted
				# e-mails, an AttributeError from its stand-in account that has no address. The digest is
				# the last step of the run: the reminders, ToDos and notifications written above must
				# stay, so the digests stay pending for the first run that can queue them, and the
				# administrator finds why in the Error Log (once a day, not once per run or per user).
				frappe.db.rollback(save_point="reminder_digest")
				log_digest_failure(day_start)
				queued = False
				break
			sent.extend(row.name for row in rows)
			mailed += 1
		mark_digests_sent(sent, now)
		if not queued:
			break
	return mailed


def mark_digests_sent(names: list[str], now: datetime) -> None:
	log = frappe.qb.DocType(LOG)
	for start in range(0, len(names), 1000):
		(
			frappe.qb.update(log)
			.set(log.digest_sent, 1)
			.set(log.digest_sent_on, now)
			.where(log.name.isin(names[start : start + 1000]))
		).run()


def log_digest_failure(day_start: datetime) -> None:
	"""One Error Log a day for digests that cannot be queued (the hourly run would add 24)."""
	title = _("Sales reminder digests could not be queued")
	if not frappe.db.exists("Error Log", {"method": title, "creation": (">=", day_start)}):
		frappe.log_error(title=title, reference_doctype=LOG)


def digest_template_for(language: str | None) -> str:
	"""The digest Email Template in the user's language ("Sales Reminder Digest - zh"), else English."""
	lang = (language or frappe.db.get_default("lang") or "en").split("-")[0]
	localized = f"{DIGEST_TEMPLATE} - {lang}"
	if lang != "en" and frappe.db.exists("Email Template", localized):
		return localized
	return DIGEST_TEMPLATE


def render_digest(user, rows) -> tuple[str, str]:
	lang = user.language or frappe.db.get_default("lang") or "en"
	groups = defaultdict(list)
	for row in rows:
		groups[row.rule].append(
			frappe._dict(
				message=row.message,
				due_date=frappe.format(row.due_date, "Date") if row.due_date else "",
				url=get_url_to_form(row.reference_doctype, row.reference_name),
				reference_doctype=_(row.reference_doctype, lang),
				reference_name=row.reference_name,
			)
		)
	context = {
		"full_name": user.full_name or user.name,
		"count": len(rows),
		"groups": [{"rule": _(rule, lang), "items": items} for rule, items in groups.items()],
	}
	name = digest_template_for(user.language)
	if not frappe.db.exists("Email Template", name):
		subject = _("{0} sales reminders", lang).format(len(rows))
		body = "<br>".join(f"{row.rule}: {row.message}" for row in rows)
		return subject, body
	template = frappe.get_cached_doc("Email Template", name)
	body = template.response_html if template.use_html else template.response
	return frappe.render_template(template.subject, context), frappe.render_template(body or "", context)


@frappe.whitelist(methods=["POST"])
def run_now() -> dict:
	"""Button on the settings: run the reminders now (System Manager)."""
	frappe.only_for("System Manager", message=True)
	return run()
