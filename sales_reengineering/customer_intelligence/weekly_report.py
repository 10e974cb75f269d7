"""Every Monday at 08:00 (scheduler cron), the Weekly Sales Report of the week just ended goes out by
e-mail: each enabled salesperson with a user (Sales Person -> Employee -> user_id) gets their own, each
manager (the user of a group Sales Person node) their team's, as ONE e-mail per user, in the user's
language. The report is computed once for everybody (the report's own set-based queries) and split per
recipient; a recipient with nothing to report gets no mail.

Switched on and off by the "Weekly Sales Report" row of the reminder rules in Sales Reengineering
Settings (notify_owner: the reps, notify_manager: the managers; its days and notify_role are not used).
Each e-mail is recorded in Sales Reminder Log (one row per user and week, unique log_key), so a second
run for the same week sends nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

import frappe
from frappe import _
from frappe.utils import get_url_to_form, getdate, now_datetime

from sales_reengineering.core.progress import iso_week_bounds
from sales_reengineering.customer_intelligence.report.weekly_sales_report.weekly_sales_report import (
	get_data,
	get_details,
	week_label,
)
from sales_reengineering.reminders.engine import LOG, SETTINGS, WEEKLY_SALES_REPORT, log_key

TEMPLATE = "templates/emails/sr_weekly_sales_report.html"


def send_weekly_reports(today: date | str | None = None) -> int:
	"""Scheduler entry point (cron, Monday morning). Mails the report of the ISO week before the one containing
	`today` (for tests and a manual catch-up). Returns the number of e-mails queued."""
	rule = frappe.db.get_value(
		"Reminder Rule",
		{"parenttype": SETTINGS, "parent": SETTINGS, "rule": WEEKLY_SALES_REPORT, "enabled": 1},
		["notify_owner", "notify_manager"],
		as_dict=True,
	)
	if not rule or not (rule.notify_owner or rule.notify_manager):
		return 0
	week_start, week_end = iso_week_bounds(getdate(today) - timedelta(days=7))
	period = week_start.isoformat()
	audience = get_audience(bool(rule.notify_owner), bool(rule.notify_manager))
	keys = {user: log_key(WEEKLY_SALES_REPORT, "User", user, user, period) for user in audience}
	sent = set(frappe.get_all(LOG, filters={"log_key": ("in", list(keys.values()))}, pluck="log_key"))
	audience = {user: people for user, people in audience.items() if keys[user] not in sent}
	if not audience:
		return 0

	everybody = sorted(set().union(*audience.values()))
	summary = get_data(everybody, week_start, week_end)
	details = get_details(everybody, week_start, week_end)
	users = {
		user.name: user
		for user in frappe.get_all(
			"User",
			filters={"name": ("in", list(audience))},
			fields=["name", "email", "full_name", "language"],
		)
	}
	mailed = 0
	now = now_datetime()
	for user, people in sorted(audience.items()):
		mine = set(people)
		rows = [row for row in summary if row.sales_person in mine]
		items = [row for row in details if row.sales_person in mine]
		if not (rows or items) or not users[user].email:
			continue
		savepoint = "weekly_sales_report"
		frappe.db.savepoint(savepoint)
		try:
			subject, message = render(users[user], rows, items, week_start, week_end)
			frappe.sendmail(
				recipients=[users[user].email],
				subject=subject,
				message=message,
				reference_doctype="User",
				reference_name=user,
				delayed=True,
			)
			frappe.get_doc(
				{
					"doctype": LOG,
					"rule": WEEKLY_SALES_REPORT,
					"reference_doctype": "User",
					"reference_name": user,
					"recipient": user,
					"due_date": week_end,
					"period_key": period,
					"log_key": keys[user],
					"message": subject,
					"notified_on": now,
					# not a reminder: the daily digest must not mail it again
					"digest_sent": 1,
					"digest_sent_on": now,
				}
			).insert(ignore_permissions=True)
		except frappe.OutgoingEmailError:
			# no outgoing e-mail account: nothing recorded, the next run (or a manual one) sends it
			frappe.db.rollback(save_point=savepoint)
			frappe.log_error(title=_("Weekly sales reports could not be queued"), reference_doctype=LOG)
			break
		mailed += 1
	return mailed


def get_audience(owners: bool, managers: bool) -> dict[str, list[str]]:
	"""user -> the salespeople whose report they get: their own enabled leaf Sales Persons (`owners`)
	and the enabled leaves under their group nodes (`managers`). Enabled system users only; one query."""
	person = frappe.qb.DocType("Sales Person")
	employee = frappe.qb.DocType("Employee")
	user = frappe.qb.DocType("User")
	rows = (
		frappe.qb.from_(person)
		.left_join(employee)
		.on(employee.name == person.employee)
		.left_join(user)
		.on(
			(user.name == employee.user_id)
			& (user.enabled == 1)
			& (user.user_type == "System User")
			& user.name.notin(("Administrator", "Guest"))
		)
		.select(person.name, person.is_group, person.enabled, person.lft, person.rgt, user.name.as_("user"))
	).run(as_dict=True)
	leaves = [row for row in rows if row.enabled and not row.is_group]
	audience: dict[str, set[str]] = {}
	for row in rows:
		if not row.user or not row.enabled:
			continue
		if row.is_group and managers:
			team = {leaf.name for leaf in leaves if row.lft < leaf.lft and leaf.rgt < row.rgt}
			audience.setdefault(row.user, set()).update(team)
		elif not row.is_group and owners:
			audience.setdefault(row.user, set()).add(row.name)
	return {user: sorted(people) for user, people in audience.items() if people}


def render(user, rows: list, details: list, week_start, week_end) -> tuple[str, str]:
	"""Subject and HTML body, in the recipient's language."""
	previous = frappe.local.lang
	frappe.local.lang = user.language or frappe.db.get_default("lang") or "en"
	try:
		week = week_label(week_start, week_end)
		subject = _("Weekly sales report: {0}").format(week)
		context = {
			"full_name": user.full_name or user.name,
			"week": week,
			"people": _group(rows, details),
			"report_url": frappe.utils.get_url(
				f"/app/query-report/Weekly%20Sales%20Report?week={week_start.isoformat()}&show_details=1"
			),
		}
		# the template's _() calls read frappe.local.lang: rendered here, in the recipient's language
		return subject, frappe.render_template(TEMPLATE, context, is_path=True)
	finally:
		frappe.local.lang = previous


def _group(rows: list, details: list) -> list[frappe._dict]:
	"""Per salesperson: the summary row (if any), the activities and the stage moves."""
	by_person = {}
	for row in rows:
		by_person[row.sales_person] = frappe._dict(
			sales_person=row.sales_person, summary=row, activities=[], moves=[]
		)
	for row in details:
		entry = by_person.setdefault(
			row.sales_person,
			frappe._dict(sales_person=row.sales_person, summary=None, activities=[], moves=[]),
		)
		row = frappe._dict(row, date=frappe.format(row.date, "Datetime"))
		if row.reference_doctype and row.reference_name:
			row.url = get_url_to_form(row.reference_doctype, row.reference_name)
		(entry.activities if row.event else entry.moves).append(row)
	return [by_person[name] for name in sorted(by_person)]
