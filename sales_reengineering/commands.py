"""Bench commands of Sales Reengineering (Frappe collects `commands` from `<app>.commands`).

    bench --site <site> sr-load-demo [--seed N] [--scale F] [--company NAME] [--password P] [--no-users]

Bad input (no or unknown site, app not installed, scale out of range ...) prints one clear line and
exits with status 1; no traceback.
"""

from __future__ import annotations

import sys
import traceback

import click
import frappe
from frappe.commands import get_site, pass_context

APP = "sales_reengineering"


def _fail(message: str) -> None:
	click.secho(message, fg="red", err=True)
	sys.exit(1)


@click.command("sr-load-demo", help="Load the S Company demo data (idempotent).")
@click.option("--seed", type=int, default=2026, show_default=True, help="Seed of the deterministic plan.")
@click.option(
	"--scale",
	type=float,
	default=1.0,
	show_default=True,
	help="Multiplies the number of customers and transactions (0 < scale <= 5).",
)
@click.option("--company", default="S Company", show_default=True, help="Company to load the demo into.")
@click.option(
	"--password",
	default="sr-demo-2026",
	show_default=True,
	help="Password of the demo users (one per role; made on a demo site only, see the README).",
)
@click.option("--no-users", is_flag=True, help="Load the data without the demo users.")
@pass_context
def sr_load_demo(context, seed: int, scale: float, company: str, password: str, no_users: bool) -> None:
	site = get_site(context, raise_err=False)
	if not site:
		_fail("No site given: run `bench --site <site> sr-load-demo`.")
	if len(context.sites) > 1:
		_fail("sr-load-demo loads one site at a time; pass a single site with --site.")
	if not 0 < scale <= 5:
		_fail(f"Scale must be greater than 0 and at most 5, got {scale}.")
	if len((password or "").strip()) < 8:
		_fail("The demo users' password must have at least 8 characters.")
	if not _site_exists(site):
		_fail(f"Site {site} does not exist.")

	from sales_reengineering.exceptions import DemoDataError

	try:
		frappe.init(site=site)
		frappe.connect()
		if APP not in frappe.get_installed_apps():
			_fail(
				f"The app {APP} is not installed on site {site}: run `bench --site {site} install-app {APP}`."
			)
		from sales_reengineering.demo.loader import load_demo

		load_demo(
			seed=seed,
			scale=scale,
			company=company,
			password=password,
			create_users=False if no_users else None,
		)
		frappe.db.commit()
	except DemoDataError as error:
		if context.verbose:
			traceback.print_exc()
		_fail(f"Demo data not loaded: {error}")
	except Exception as error:  # e.g. the database is down: one line, the details with --verbose
		if context.verbose:
			traceback.print_exc()
		_fail(f"Demo data not loaded: {type(error).__name__}: {error}")
	finally:
		if getattr(frappe.local, "site", None):
			frappe.destroy()


def _site_exists(site: str) -> bool:
	import os

	sites_path = os.path.abspath(getattr(frappe.local, "sites_path", None) or ".")
	return os.path.isfile(os.path.join(sites_path, site, "site_config.json"))


commands = [sr_load_demo]
