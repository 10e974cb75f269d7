# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Rewards Ledger: each salesperson's and team's points balance (approved Reward Ledger Entries up to
the To Date), what they earned and lost in the period, and their rank by balance (1, 2, 2, 4 on a tie);
a team (the Sales Person group) adds up its own entries and its members'. "Show History" (or a Sales
Person) lists the entries instead, with each person's running balance, pending and reversed ones
included (they count 0). One grouped query for the balances, one for the history.

A salesperson sees their own points, a manager their team's, a Sales Manager everyone's (the scope)."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Sum

from sales_reengineering.arguments import report_filters
from sales_reengineering.core.ranking import rank
from sales_reengineering.exceptions import InvalidRewardEntryError
from sales_reengineering.scope.people import get_subtree
from sales_reengineering.scope.performance import check_sales_person_filter

LEDGER = "Reward Ledger Entry"


def execute(filters: dict | None = None):
	filters = report_filters(filters, dates=("from_date", "to_date"), texts=("sales_person",))
	if not filters.from_date or not filters.to_date:
		frappe.throw(_("Choose the period to report on."), InvalidRewardEntryError)
	if filters.from_date > filters.to_date:
		frappe.throw(_("The From Date must be on or before the To Date."), InvalidRewardEntryError)
	visible = check_sales_person_filter(filters.sales_person)
	people = get_people(filters.sales_person, visible)
	if frappe.utils.cint(filters.show_history):
		return get_history_columns(), get_history(people, filters.from_date, filters.to_date)
	data = get_data(people, filters.from_date, filters.to_date)
	return get_columns(), data, None, get_chart(data)


def get_people(sales_person: str | None, visible: set[str] | None) -> list[str]:
	if sales_person:
		people = get_subtree([sales_person])
	else:
		people = frappe.get_all("Sales Person", filters={"enabled": 1}, pluck="name")
	return sorted(name for name in people if visible is None or name in visible)


def get_columns() -> list[dict]:
	def points(fieldname, label, width=120):
		return {"fieldname": fieldname, "label": label, "fieldtype": "Int", "width": width}

	return [
		{"fieldname": "rank", "label": _("Rank"), "fieldtype": "Int", "width": 70},
		{
			"fieldname": "sales_person",
			"label": _("Sales Person or Team"),
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 200,
		},
		points("balance", _("Balance")),
		points("earned", _("Points Earned")),
		points("lost", _("Points Lost")),
		points("feedback_points", _("From Info Feedback"), 140),
		points("ranking_points", _("From Rankings"), 130),
		points("manual_points", _("Manual Adjustments"), 150),
		points("pending", _("Pending Adjustments"), 150),
	]


def get_data(people: list[str], from_date, to_date) -> list[dict]:
	"""One grouped query: per person, the balance to `to_date` and the period's figures."""
	if not people:
		return []
	entry = frappe.qb.DocType(LEDGER)
	approved = entry.status == "Approved"
	in_period = approved & (entry.posting_date >= from_date) & (entry.posting_date <= to_date)

	def total(condition):
		return Sum(Case().when(condition, entry.points).else_(0))

	rows = (
		frappe.qb.from_(entry)
		.select(
			entry.sales_person,
			total(approved & (entry.posting_date <= to_date)),
			total(in_period & (entry.points > 0)),
			total(in_period & (entry.points < 0)),
			total(in_period & (entry.source_type == "Info Feedback")),
			total(in_period & (entry.source_type == "Monthly Ranking")),
			total(in_period & (entry.source_type == "Manual Adjustment")),
			Sum(Case().when(entry.status == "Pending", 1).else_(0)),
		)
		.where(entry.sales_person.isin(people))
		.groupby(entry.sales_person)
	).run()
	figures = ("balance", "earned", "lost", "feedback_points", "ranking_points", "manual_points", "pending")
	by_person = {row[0]: dict(zip(figures, (int(value or 0) for value in row[1:]), strict=True)) for row in rows}

	tree = frappe.get_all(
		"Sales Person",
		filters={"name": ("in", people)},
		fields=["name", "parent_sales_person", "is_group"],
	)
	parent = {node.name: node.parent_sales_person for node in tree}
	groups = {node.name for node in tree if node.is_group}
	# a team adds up its own entries and those of everyone below it that the user sees
	team_totals = {group: defaultdict(int) for group in groups}
	for person, values in by_person.items():
		node = person
		while node:
			if node in team_totals:
				for key, value in values.items():
					team_totals[node][key] += value
			node = parent.get(node)

	individuals = [
		frappe._dict(sales_person=name, is_team=0, **by_person.get(name, dict.fromkeys(figures, 0)))
		for name in people
		if name not in groups
	]
	teams = [
		frappe._dict(sales_person=name, is_team=1, **{key: team_totals[name][key] for key in figures})
		for name in sorted(groups)
	]
	data = []
	for rows_of_kind in (teams, individuals):
		for position, row in rank(rows_of_kind, key="balance", name="sales_person"):
			row.rank = position
			data.append(row)
	return data


def get_chart(data: list[dict]) -> dict | None:
	people = [row for row in data if not row.is_team][:20]
	if not people:
		return None
	return {
		"data": {
			"labels": [row.sales_person for row in people],
			"datasets": [{"name": _("Balance"), "values": [row.balance for row in people]}],
		},
		"type": "bar",
		"fieldtype": "Int",
	}


def get_history_columns() -> list[dict]:
	def column(fieldname, label, fieldtype="Data", options=None, width=120):
		return {"fieldname": fieldname, "label": label, "fieldtype": fieldtype, "options": options, "width": width}

	return [
		column("sales_person", _("Sales Person"), "Link", "Sales Person", 170),
		column("posting_date", _("Posting Date"), "Date", width=110),
		column("points", _("Points"), "Int", width=80),
		column("running_balance", _("Balance"), "Int", width=90),
		column("status", _("Status"), width=90),
		column("source_type", _("Source Type"), width=140),
		column("source_doctype", _("Source Document Type"), width=150),
		column("source_document", _("Source Document"), "Dynamic Link", "source_doctype", 170),
		column("reason", _("Reason"), width=220),
		column("entry", _("Reward Ledger Entry"), "Link", LEDGER, 140),
	]


def get_history(people: list[str], from_date, to_date) -> list[dict]:
	"""The entries of the period, oldest first per person, with the running balance of the approved
	ones (starting from the balance before the period): one query."""
	if not people:
		return []
	entry = frappe.qb.DocType(LEDGER)
	rows = (
		frappe.qb.from_(entry)
		.select(
			entry.name,
			entry.sales_person,
			entry.posting_date,
			entry.points,
			entry.status,
			entry.source_type,
			entry.source_doctype,
			entry.source_document,
			entry.reason,
		)
		.where(entry.sales_person.isin(people) & (entry.posting_date <= to_date))
		.orderby(entry.sales_person)
		.orderby(entry.posting_date)
		.orderby(entry.creation)
	).run(as_dict=True)
	balance = defaultdict(int)
	data = []
	for row in rows:
		if row.status == "Approved":
			balance[row.sales_person] += row.points
		if row.posting_date < from_date:
			continue
		data.append(
			frappe._dict(
				sales_person=row.sales_person,
				posting_date=row.posting_date,
				points=row.points,
				running_balance=balance[row.sales_person],
				status=_(row.status),
				source_type=_(row.source_type),
				source_doctype=row.source_doctype,
				source_document=row.source_document,
				reason=row.reason,
				entry=row.name,
			)
		)
	return data
