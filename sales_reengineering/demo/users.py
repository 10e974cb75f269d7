"""The demo's users: one login per role, tied to the demo's people and dealers the way real users are.

Desk users reach their Sales Person through ERPNext's own link (Sales Person.employee -> Employee.user_id,
see `scope.people`); dealer users are website users in their Dealer's Portal Users table (`scope.dealers`).
All of them get the documented demo password (`--password`, default `DEFAULT_PASSWORD`).

A password everybody knows must never open a real site, so the users are made only on a demo site:

- a site whose every Company holds demo data loaded by `sr-load-demo` (the setup script's site, a fresh
  site the demo set up), or a site whose `site_config.json` has `"sr_demo_site": 1`
  (`bench --site <site> set-config sr_demo_site 1`) for a demo next to another company;
- and a user is created or updated only when it does not exist yet or the demo created it: the demo keeps
  the list of users it created (DefaultValue `sr_demo_users`), and never touches the password, roles or
  links of any other user, even one with a demo login's e-mail address.

Elsewhere the demo data is loaded without users, and the actions of the story are done by Administrator.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import frappe
from frappe import _
from frappe.permissions import add_user_permission
from frappe.utils.password import check_password, update_password

from sales_reengineering.demo import data
from sales_reengineering.demo.context import Context, guard

DEFAULT_PASSWORD = "sr-demo-2026"
"""The documented password of every demo user (README, "Try it")."""
RECORD_KEY = "sr_demo_users"
"""DefaultValue holding the JSON list of the users the demo created."""
SITE_CONFIG_KEY = "sr_demo_site"
ADMINISTRATOR = "Administrator"
EMPLOYEE_BIRTH, EMPLOYEE_JOINED = "1988-06-01", "2019-03-01"

# keys of DEMO_USERS
REP = "salesperson"
TEAM_MANAGER = "team_manager"
SALES_MANAGER = "sales_manager"
ASSISTANT = "assistant"
TELESALES = "telesales"
CHANNEL_MANAGER = "channel_manager"
AGENT_USER = "agent_user"
DEALER_USER = "dealer_user"


@dataclass(frozen=True)
class DemoUser:
	key: str
	email: str
	full_name: str
	role: str
	"""What the person does, for the table printed at the end (English; zh.csv translates it)."""
	roles: tuple[str, ...]
	sales_person: str | None = None
	"""The Sales Person the user is tied to through an Employee."""
	dealer: str | None = None
	"""Key (`data.DEALERS`) of the dealer whose portal user this is: a website user, no desk."""
	first_look: str = ""
	"""What to open first, in one sentence (the README's "Try it" table says it in Chinese too)."""


def _dealer_name(key: str) -> str:
	return next(dealer.name for dealer in data.DEALERS if dealer.key == key)


DEMO_USERS: tuple[DemoUser, ...] = (
	DemoUser(
		REP,
		f"salesperson@{data.DEMO_USER_DOMAIN}",
		data.DEMO_REP,
		"Salesperson (广东 key accounts)",
		("Sales User",),
		sales_person=data.DEMO_REP,
		first_look="ToDo: the reminders on his stuck opportunities; then the Customer list, with the "
		"accounts handed over from 何晓明.",
	),
	DemoUser(
		TEAM_MANAGER,
		f"team.manager@{data.DEMO_USER_DOMAIN}",
		data.DEMO_TEAM_MANAGER,
		"Team manager (South China)",
		("Sales User",),
		sales_person=data.DEMO_TEAM_MANAGER,
		first_look="Task Attainment for this quarter: his team only; then the Weekly Sales Report.",
	),
	DemoUser(
		SALES_MANAGER,
		f"sales.manager@{data.DEMO_USER_DOMAIN}",
		data.SALES_DIRECTOR,
		"Sales manager (national sales director)",
		("Sales Manager", "Sales User"),
		sales_person=data.SALES_DIRECTOR,
		first_look="The lists waiting for him: 梁志勇's Sales Task for next quarter, a Channel Price "
		"Exception, Info Feedback Reports to review; then KPI Ranking.",
	),
	DemoUser(
		ASSISTANT,
		f"assistant@{data.DEMO_USER_DOMAIN}",
		"陈静",
		"Sales assistant",
		("Sales Assistant",),
		first_look="Contract Renewals: two contracts due within the month; then Customer Transaction "
		"History for one of her customers.",
	),
	DemoUser(
		TELESALES,
		f"telesales@{data.DEMO_USER_DOMAIN}",
		"刘洋",
		"Telesales agent",
		("Telesales Agent",),
		first_look="Telesales Call list: the open calls to dormant customers; then Telesales Conversion.",
	),
	DemoUser(
		CHANNEL_MANAGER,
		f"channel.manager@{data.DEMO_USER_DOMAIN}",
		"林海涛",
		"Channel manager",
		("Channel Manager",),
		first_look="Deal Registration list: the registration flagged for a conflict between two dealers, "
		"waiting for approval; then Sell Through Reconciliation.",
	),
	DemoUser(
		AGENT_USER,
		"portal@shenlian.example",
		"钱晓峰",
		"General agent's dealer user (上海申联)",
		("Dealer",),
		dealer=data.DEMO_AGENT,
		first_look="/dealer: the branch's purchases this quarter, its provincial dealers and their "
		"registrations.",
	),
	DemoUser(
		DEALER_USER,
		"portal@yuehai.example",
		"陈嘉欣",
		"Provincial dealer's user (广州粤海)",
		("Dealer",),
		dealer=data.DEMO_DEALER,
		first_look="/dealer/registrations: a registration in every state, one flagged; then "
		"/dealer/sell-through.",
	),
)
USER_BY_KEY = {user.key: user for user in DEMO_USERS}


# --- which users the demo may use ---------------------------------------------------------------------


def refusal(company: str) -> str | None:
	"""Why demo users may not be made on this site, or None when they may."""
	if frappe.conf.get(SITE_CONFIG_KEY):
		return None
	from sales_reengineering.demo.loader import PLAN_KEY

	others = [
		name
		for name in frappe.get_all("Company", pluck="name", order_by="name")
		if name != company and not frappe.db.get_default(f"{PLAN_KEY}:{name}")
	]
	if others:
		return _(
			"this site has companies without demo data ({0}), so it may be a real site. Mark it as a demo "
			"site with `bench --site {1} set-config {2} 1` to get the demo users."
		).format(", ".join(others), frappe.local.site, SITE_CONFIG_KEY)
	return None


def created_users() -> list[str]:
	stored = frappe.db.get_default(RECORD_KEY)
	return json.loads(stored) if stored else []


def _record(email: str) -> None:
	users = created_users()
	if email not in users:
		frappe.db.set_default(RECORD_KEY, json.dumps(sorted([*users, email])))


def actor(ctx: Context, key: str) -> str:
	"""Who does what the story's `key` person does: that demo user, or Administrator without users."""
	return ctx.users.get(key) or ADMINISTRATOR


@contextmanager
def acting_as(user: str) -> Iterator[None]:
	"""Run the block as `user` (with that user's permissions), then go back to the loader's user."""
	previous = frappe.session.user
	if user == previous:
		yield
		return
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(previous)


# --- the section ----------------------------------------------------------------------------------------


def load_users(ctx: Context) -> int:
	"""Create (or complete) the demo users when the site is a demo site; returns how many were created.
	Fills `ctx.users` with the users the rest of the story acts as."""
	ctx.users = {}
	if ctx.create_users is False:
		ctx.users_note = _("not made (--no-users).")
		return 0
	reason = None if ctx.create_users else refusal(ctx.company)
	if reason:
		ctx.users_note = _("not made: {0}").format(reason)
		ctx.echo("        " + _("Demo users {0}").format(ctx.users_note))
		return 0
	mine = set(created_users())
	added = 0
	skipped = []
	for user in DEMO_USERS:
		if frappe.db.exists("User", user.email) and user.email not in mine:
			skipped.append(user.email)  # somebody else's user: never touched
			continue
		added += guard("User", user.email, lambda user=user: ensure_user(ctx, user))
		ctx.users[user.key] = user.email
	if skipped:
		ctx.users_note = _("made, except {0}: they exist and were not made by the demo.").format(
			", ".join(skipped)
		)
		ctx.echo("        " + _("Demo users {0}").format(ctx.users_note))
	return added


def ensure_user(ctx: Context, user: DemoUser) -> int:
	"""The user with its roles, password and link; 1 when the User record was created."""
	created = 0
	if not frappe.db.exists("User", user.email):
		doc = frappe.get_doc(
			{
				"doctype": "User",
				"email": user.email,
				"first_name": user.full_name,
				"send_welcome_email": 0,
				"user_type": "Website User" if user.dealer else "System User",
			}
		)
		doc.flags.no_welcome_mail = True
		doc.insert(ignore_permissions=True)
		created = 1
	_record(user.email)  # at once: an interrupted run must still know the user is the demo's
	if not user.dealer:
		doc = frappe.get_doc("User", user.email)
		missing = [role for role in user.roles if role not in {row.role for row in doc.roles}]
		if missing:
			doc.flags.ignore_permissions = True
			doc.add_roles(*missing)
	_set_password(user.email, ctx.password)
	if user.sales_person:
		link_sales_person(ctx, user)
	if user.dealer:
		add_portal_user(user)
	return created


def _set_password(email: str, password: str) -> None:
	try:
		check_password(email, password)
	except frappe.AuthenticationError:
		update_password(email, password)


def employee_of(sales_person: str) -> str | None:
	employee = frappe.db.get_value("Sales Person", sales_person, "employee")
	return employee if employee and frappe.db.exists("Employee", employee) else None


def make_employee(ctx: Context, full_name: str, user: str | None = None) -> str:
	"""An employee of the demo company (HR's record that ties a Sales Person to a login)."""
	doc = frappe.get_doc(
		{
			"doctype": "Employee",
			"first_name": full_name,
			"company": ctx.company,
			"status": "Active",
			"gender": frappe.db.get_value("Gender", {}, "name", order_by="name") or "Male",
			"date_of_birth": EMPLOYEE_BIRTH,
			"date_of_joining": EMPLOYEE_JOINED,
			"user_id": user,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


def link_sales_person(ctx: Context, user: DemoUser) -> None:
	"""Sales Person.employee -> Employee.user_id = the user, as HR and the sales manager would set it."""
	employee = employee_of(user.sales_person) or frappe.db.get_value(
		"Employee", {"user_id": user.email}, "name"
	)
	if not employee:
		employee = make_employee(ctx, user.full_name, user.email)
	elif frappe.db.get_value("Employee", employee, "user_id") != user.email:
		doc = frappe.get_doc("Employee", employee)
		doc.user_id = user.email
		doc.save(ignore_permissions=True)
	if frappe.db.get_value("Sales Person", user.sales_person, "employee") != employee:
		doc = frappe.get_doc("Sales Person", user.sales_person)
		doc.employee = employee
		doc.save(ignore_permissions=True)
	allow_company(ctx, user.email)


def allow_company(ctx: Context, email: str) -> None:
	"""A user ERPNext restricts to its Employee's company (the Company User Permission an Employee with a
	login is given) may also work in this demo's company: on a site where the demo was loaded before for
	another company (a second company, or the tests' demo, named by month) the user's opportunities,
	quotations and orders of this company were refused with "No permission"."""
	restricted = frappe.get_all(
		"User Permission", filters={"user": email, "allow": "Company"}, pluck="for_value"
	)
	if restricted and ctx.company not in restricted:
		add_user_permission("Company", ctx.company, email, ignore_permissions=True)


def add_portal_user(user: DemoUser) -> None:
	"""The user in the Portal Users table of its dealer (saving the Dealer grants the portal roles)."""
	dealer = _dealer_name(user.dealer)
	if frappe.db.exists("Dealer Portal User", {"parent": dealer, "parenttype": "Dealer", "user": user.email}):
		return
	doc = frappe.get_doc("Dealer", dealer)
	doc.append("portal_users", {"user": user.email, "full_name": user.full_name})
	doc.save(ignore_permissions=True)


def summary(ctx: Context) -> list[str]:
	"""The lines printed at the end of a run: who to log in as, with which password."""
	if not ctx.users:
		return [_("Demo users {0}").format(ctx.users_note or _("not made."))]
	lines = [_("Log in at /login with one of these demo users (password: {0}):").format(ctx.password)]
	for user in DEMO_USERS:
		if user.key in ctx.users:
			lines.append(f"  {user.email:<38} {_(user.role)}")
			lines.append(f"  {'':<38} {_(user.first_look)}")
	if ctx.users_note:
		lines.append(_("Demo users {0}").format(ctx.users_note))
	return lines
