"""Write the S Company demo plan (`generator.build_plan`) to the database.

Entry point: `load_demo(seed=2026, scale=1.0, company="S Company")`, also reachable as
`bench --site X execute sales_reengineering.demo.loader.load_demo` and `bench --site X sr-load-demo`.

Idempotent: every record has a deterministic key (masters their name, transactions the name
`<company abbr>-<plan key>`), a section creates only what is missing and repairs the state of what
a previous, interrupted run left half-done (e.g. an invoice submitted but not yet cancelled). Sections
commit in batches, so an interrupted run keeps what it committed and the next run completes it.

After the plan come the demo users (`users`, on a demo site only) and the story they act out in the weeks
before the plan's day (`field`, `channel`: handover, registrations, sell-through, price exception,
feedback, training, telesales, reminders ...). Story records are found again by what identifies them in
real use (a dealer's registration of a company, a rep's report of a title and day), so they are
idempotent and resumable the same way.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date

import click
import frappe
from frappe import _
from frappe.utils import getdate

from sales_reengineering.demo import channel, field, history, masters, network, transactions, users
from sales_reengineering.demo.company import prepare_company
from sales_reengineering.demo.context import Context
from sales_reengineering.demo.generator import MAX_SCALE, PLAN_VERSION, Plan, build_plan
from sales_reengineering.exceptions import DemoDataError

APP = "sales_reengineering"
DEFAULT_COMPANY = "S Company"
PLAN_KEY = "sr_demo_plan"
"""Prefix of the DefaultValue (`<prefix>:<company>`) that records seed, scale and day of a company's demo."""

Section = Callable[[Context], int]

SECTIONS: tuple[tuple[str, Section], ...] = (
	("Fiscal years", masters.load_fiscal_years),
	("Sales persons", masters.load_sales_persons),
	("Territories", masters.load_territories),
	("Customer groups & industries", masters.load_customer_groups),
	("Dealers (sales partners)", masters.load_dealers),
	("Items & prices", masters.load_items),
	("Sales stages & lost reasons", masters.load_funnel_masters),
	("Customers, contacts, addresses", masters.load_customers),
	("Opportunities", transactions.load_opportunities),
	("Quotations", transactions.load_quotations),
	("Sales orders", transactions.load_orders),
	("Sales invoices", transactions.load_invoices),
	("Credit notes (returns)", transactions.load_returns),
	("Contracts", transactions.load_contracts),
	("Dealer sell-in", transactions.load_sell_in),
	("History (dates, stage log)", history.load_history),
	("Dealer network", network.load_dealer_network),
	("KPI plan (tasks, scorecards)", network.load_kpi_plan),
	("Demo users", users.load_users),
	("Sales team at work", field.load_field),
	("Channel at work", channel.load_channel),
	("Telesales call list", field.load_telesales),
	("Reminders (engine run)", field.load_reminders),
)
UNCOUNTED = {"History (dates, stage log)"}
MIN_PASSWORD_LENGTH = 8
"""Sections that change existing records only; they never count as added data."""


def validate_args(seed, scale, company) -> tuple[int, float, str]:
	try:
		seed = int(seed)
	except (TypeError, ValueError):
		raise DemoDataError(_("Seed must be a whole number, got {0}.").format(repr(seed)))
	try:
		scale = float(scale)
	except (TypeError, ValueError):
		raise DemoDataError(_("Scale must be a number, got {0}.").format(repr(scale)))
	if not 0 < scale <= MAX_SCALE:
		raise DemoDataError(
			_("Scale must be greater than 0 and at most {0}, got {1}.").format(MAX_SCALE, scale)
		)
	company = (company or "").strip()
	if not company:
		raise DemoDataError(_("Company name is missing."))
	return seed, scale, company


def ensure_app_installed() -> None:
	if APP not in frappe.get_installed_apps():
		raise DemoDataError(_("The app {0} is not installed on site {1}.").format(APP, frappe.local.site))


def load_demo(
	seed: int = 2026,
	scale: float = 1.0,
	company: str = DEFAULT_COMPANY,
	as_of: str | date | None = None,
	quiet: bool = False,
	seed_rules: bool = True,
	kpi_plan: bool = True,
	password: str = users.DEFAULT_PASSWORD,
	create_users: bool | None = None,
) -> dict[str, int]:
	"""Load the demo for `company`; returns the number of records added per section.

	`as_of` (default today) is the last day of the history; `quiet` silences the progress lines;
	`seed_rules` creates demo Customer Completeness Rules on a site that has none; `kpi_plan` the KPI
	template, Sales Tasks of the last two quarters, their scorecards and rankings. `password` is the demo
	users'; `create_users` None makes them on a demo site only (`users.refusal`), True on this site
	whatever it holds (the caller knows it is a demo), False never."""
	seed, scale, company = validate_args(seed, scale, company)
	password = validate_password(password)
	ensure_app_installed()
	echo = (lambda message: None) if quiet else click.echo
	saved_flags = {flag: frappe.flags.get(flag) for flag in ("mute_emails", "mute_messages")}
	frappe.flags.mute_emails = True
	frappe.flags.mute_messages = True
	started = time.monotonic()
	try:
		counts, ctx = _run(seed, scale, company, as_of, echo, seed_rules, kpi_plan, password, create_users)
	finally:
		frappe.flags.update(saved_flags)
		frappe.set_user("Administrator")
	total = sum(count for label, count in counts.items() if label not in UNCOUNTED)
	if total:
		echo(_("Loaded {0} records for {1} in {2:.1f} s.").format(total, company, time.monotonic() - started))
	else:
		echo(_("{0} demo data is already loaded; nothing added.").format(company))
	for line in users.summary(ctx):
		echo(line)
	return counts


def validate_password(password) -> str:
	password = (password or "").strip() if isinstance(password, str) else ""
	if len(password) < MIN_PASSWORD_LENGTH:
		raise DemoDataError(
			_("The demo users' password must have at least {0} characters.").format(MIN_PASSWORD_LENGTH)
		)
	return password


def _run(
	seed: int,
	scale: float,
	company: str,
	as_of,
	echo,
	seed_rules: bool,
	kpi_plan: bool = True,
	password: str = users.DEFAULT_PASSWORD,
	create_users: bool | None = None,
) -> tuple[dict[str, int], Context]:
	counts: dict[str, int] = {}
	started = time.monotonic()
	info = _guard(lambda: prepare_company(company), _("Company"))
	frappe.db.commit()
	counts["Company"] = int(info.created)
	echo(_line(0, "Company " + company, counts["Company"], started))
	plan = build_plan(seed, scale, plan_day(company, seed, scale, as_of))
	ctx = Context(
		plan=plan,
		info=info,
		echo=echo,
		seed_rules=seed_rules,
		kpi_plan=kpi_plan,
		password=password,
		create_users=create_users,
	)
	echo(_("Plan: seed {0}, scale {1}, history {2} .. {3}").format(seed, scale, plan.start, plan.as_of))
	for index, (label, section) in enumerate(SECTIONS, start=1):
		started, cpu = time.monotonic(), time.process_time()
		counts[label] = _guard(lambda section=section: section(ctx), label)
		frappe.db.commit()
		echo(_line(index, label, counts[label], started, cpu))
	return counts, ctx


def plan_day(company: str, seed: int, scale: float, as_of) -> date:
	"""The "as of" day of the company's demo: stored by the first run, so that later runs (a resume
	after an interruption, a second run on another day) rebuild exactly the same plan."""
	key = f"{PLAN_KEY}:{company}"
	stored = frappe.db.get_default(key)
	wanted = getdate(as_of) if as_of else None
	if stored:
		stored = json.loads(stored)
		day = getdate(stored["as_of"])
		if stored.get("version", PLAN_VERSION) != PLAN_VERSION:
			raise DemoDataError(
				_(
					"{0} holds demo data of another version of the demo generator; load this version into "
					"another company with --company, or on a fresh site."
				).format(company)
			)
		if (stored["seed"], float(stored["scale"])) != (seed, scale) or (wanted and wanted != day):
			raise DemoDataError(
				_(
					"{0} already holds the demo of seed {1} at scale {2} (as of {3}); run again with those "
					"values, or load the demo into another company with --company."
				).format(company, stored["seed"], stored["scale"], stored["as_of"])
			)
		return day
	day = wanted or getdate()
	frappe.db.set_default(
		key, json.dumps({"seed": seed, "scale": scale, "as_of": str(day), "version": PLAN_VERSION})
	)
	frappe.db.commit()
	return day


def get_demo_plan(company: str = DEFAULT_COMPANY) -> Plan | None:
	"""The plan `company`'s demo was loaded from, rebuilt from its stored seed, scale and day; None when
	the company holds no demo. For later modules that need what the demo meant (the general agent of a
	dealer: `plan.dealers`, the stage path of an opportunity: `plan.opportunities[i].path`)."""
	stored = frappe.db.get_default(f"{PLAN_KEY}:{company}")
	if not stored:
		return None
	stored = json.loads(stored)
	return build_plan(int(stored["seed"]), float(stored["scale"]), getdate(stored["as_of"]))


def _guard(step: Callable, label: str):
	try:
		return step()
	except DemoDataError:
		frappe.db.rollback()
		raise
	except Exception as error:  # the chained exception keeps the traceback for `--verbose`
		frappe.db.rollback()
		raise DemoDataError(_("Loading {0} failed: {1}").format(label, error)) from error


def _line(index: int, label: str, added: int, started: float, cpu: float | None = None) -> str:
	line = f"[{index:2d}/{len(SECTIONS)}] {label:<32} {added:6d} added  {time.monotonic() - started:7.1f} s"
	if cpu is not None:
		line += f"  (cpu {time.process_time() - cpu:6.1f} s)"
	return line
