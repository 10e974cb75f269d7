"""State shared by the loader's sections: the plan, the company frame and a few helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import now

from sales_reengineering.demo.company import CompanyInfo
from sales_reengineering.demo.generator import Plan
from sales_reengineering.exceptions import DemoDataError

BATCH_SIZE = 25
PROGRESS_EVERY = 100


@dataclass
class Context:
	plan: Plan
	info: CompanyInfo
	echo: Callable[[str], None]
	seed_rules: bool = True
	"""Create demo Customer Completeness Rules when the site has none."""
	kpi_plan: bool = True
	"""Create the demo KPI template, Sales Tasks, scorecards and rankings."""
	password: str = ""
	"""The demo users' password."""
	create_users: bool | None = None
	"""None: make the demo users on a demo site only (users.refusal); True: the caller says the site is a
	demo; False: no users."""
	users: dict[str, str] = field(default_factory=dict)
	"""Key of `users.DEMO_USERS` -> login, for the users this run may act as."""
	users_note: str | None = None
	"""Why (some) demo users were not made, for the summary."""
	_customers: dict[str, str] | None = field(default=None, repr=False)

	@property
	def company(self) -> str:
		return self.info.name

	def key(self, plan_key: str) -> str:
		"""Document name of a transaction of the plan: `<abbr>-<plan key>`."""
		return f"{self.info.abbr}-{plan_key}"

	def customer(self, customer_name: str) -> str:
		"""Document name of the Customer called `customer_name` (names may follow a naming series)."""
		if self._customers is None or customer_name not in self._customers:
			self._customers = customer_names([c.name for c in self.plan.customers])
		try:
			return self._customers[customer_name]
		except KeyError:
			raise DemoDataError(_("Customer {0} of the demo plan is missing.").format(customer_name))

	def forget_customers(self) -> None:
		self._customers = None


def customer_names(names: list[str]) -> dict[str, str]:
	found: dict[str, str] = {}
	for chunk in chunks(names, 500):
		for row in frappe.get_all(
			"Customer",
			filters={"customer_name": ("in", chunk)},
			fields=["name", "customer_name"],
			order_by="creation",
		):
			found.setdefault(row.customer_name, row.name)
	return found


def existing(doctype: str, names: Iterable[str], field: str = "name") -> set[str]:
	"""Which of `names` exist as `field` of `doctype`."""
	found: set[str] = set()
	for chunk in chunks(list(names), 500):
		if chunk:
			found.update(frappe.get_all(doctype, filters={field: ("in", chunk)}, pluck=field))
	return found


def chunks(items: list, size: int) -> Iterable[list]:
	for start in range(0, len(items), size):
		yield items[start : start + size]


class Batch:
	"""Commit every `BATCH_SIZE` records and report progress of long sections."""

	def __init__(self, ctx: Context, label: str, total: int):
		self.ctx = ctx
		self.label = label
		self.total = total
		self.done = 0

	def tick(self) -> None:
		self.done += 1
		if self.done % BATCH_SIZE == 0:
			frappe.db.commit()
		if self.done % PROGRESS_EVERY == 0:
			self.ctx.echo(f"        {self.label}: {self.done}/{self.total}")


def quiet(doc):
	"""Mark `doc` to be saved without permission checks and without notifications."""
	doc.flags.ignore_permissions = True
	doc.flags.notifications = []
	doc.flags.notifications_executed = []
	return doc


def fast_insert(doc, name: str, stamp: datetime | str | None = None) -> None:
	"""Write a simple master and its child rows straight to the database: no controller methods, no
	hooks, so the caller sets every computed field. Used for the thousands of demo contacts and
	addresses; the normal insert path is kept for everything with ledgers or statuses."""
	doc.set_new_name(set_name=name)
	doc.set_parent_in_children()
	stamp, user = stamp or now(), frappe.session.user
	rows = [doc, *doc.get_all_children()]
	for row in rows:
		row.creation = row.modified = stamp
		row.owner = row.modified_by = user
	for row in rows:
		row.db_insert()


def guard(doctype: str, key: str, step: Callable):
	"""Run `step`, naming the record in the error when it fails."""
	try:
		return step()
	except DemoDataError:
		raise
	except Exception as error:
		raise DemoDataError(_("{0} {1}: {2}").format(_(doctype), key, error)) from error
