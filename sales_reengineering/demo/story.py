"""Helpers shared by the story sections (field.py, channel.py): the demo's days, its people's records,
and finding again what an earlier (or interrupted) run made.

Every story record is found again by what identifies it in real use (a salesperson's report of a given
title and day, a dealer's registration of a company on a day ...), and every date is relative to the
demo's day (`plan.as_of`, stored by the first run), so a second run finds everything and adds nothing.
Records a user makes on the day of the run get their business dates afterwards, like the History
section does for the transactions ("backdating")."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import frappe

from sales_reengineering.demo import data
from sales_reengineering.demo.context import Context


def day(ctx: Context, offset: int) -> date:
	"""The demo's day plus `offset` days (negative: before it)."""
	return ctx.plan.as_of + timedelta(days=offset)


def at(when: date, hour: int = 10, minute: int = 0) -> datetime:
	return datetime.combine(when, time(hour, minute))


def rng(ctx: Context, topic: str) -> random.Random:
	"""A generator of its own per topic: a change in one story leaves the others as they were."""
	return random.Random(f"{ctx.plan.seed}:story:{topic}")


def stamp(doctype: str, name: str, when: datetime, **values) -> None:
	"""Give a record its business date (creation and modified) and the other `values`, without touching
	`modified_by` or running the controller: history, not an edit."""
	frappe.db.set_value(doctype, name, {"creation": when, "modified": when, **values}, update_modified=False)


def find(doctype: str, filters: dict, order_by: str = "creation") -> str | None:
	names = frappe.get_all(doctype, filters=filters, pluck="name", order_by=order_by, limit=1)
	return names[0] if names else None


def demo_customers(ctx: Context) -> set[str]:
	return {ctx.customer(customer.name) for customer in ctx.plan.customers}


def customers_of(ctx: Context, sales_person: str) -> list[str]:
	"""The demo's end customers (no dealers) whose salesperson `sales_person` is now, by name."""
	names = frappe.get_all(
		"Customer",
		filters={
			"sr_sales_person": sales_person,
			"customer_group": ("!=", data.DEALER_CUSTOMER_GROUP),
			"disabled": 0,
		},
		pluck="name",
		order_by="name",
	)
	mine = demo_customers(ctx)
	return [name for name in names if name in mine]


def departing_rep(ctx: Context) -> str:
	"""`data.DEMO_DEPARTING_REP`; at a small scale, where he may have no customers, the rep (other than
	the demo's own) with the largest book of the plan, preferring DEMO_REP's region."""
	books: dict[str, int] = {}
	for customer in ctx.plan.customers:
		if customer.industry:
			books[customer.sales_person] = books.get(customer.sales_person, 0) + 1
	if books.get(data.DEMO_DEPARTING_REP, 0) >= 2:
		return data.DEMO_DEPARTING_REP
	region = {person.name: person.region for person in ctx.plan.sales_persons}
	candidates = [rep for rep in books if rep != data.DEMO_REP]
	if not candidates:
		return data.DEMO_DEPARTING_REP
	return min(
		candidates,
		key=lambda rep: (region.get(rep) != region.get(data.DEMO_REP), -books[rep], rep),
	)


def reps(ctx: Context) -> list[str]:
	"""The plan's key-account reps (leaves of the Sales Person tree), by name."""
	return sorted(person.name for person in ctx.plan.sales_persons if not person.is_group)
