"""The rewards ledger: points that add up, per salesperson and team (`Reward Ledger Entry`).

Three sources:

* **Info Feedback**: the reward or penalty points a manager gave an Info Feedback Report count once the
  report is Approved (review workflow); rejected, cancelled or back in review, or its points set to 0,
  the entry is Reversed; approved again, it counts again (`on_feedback_change`).
* **Monthly Ranking**: each entry of a monthly Sales Ranking with a reward tier earns the tier's points
  (the *Points* of the tier in the settings; a tier without points earns none). Recomputing the ranking
  updates the entries: a new tier changes the points, a lost tier reverses the entry (`on_ranking_change`).
  One bulk insert for the new entries and one UPDATE per column for the changed ones, however many people.
* **Manual Adjustment**: entered with a reason, counts once a Sales Manager approves it (the doctype).

Each source entry is unique per source document and salesperson (`source_key`, a unique column), so
saving a source twice, or two jobs at once, never counts it twice. A reversed entry stays in the history
with status Reversed and counts 0.
"""

from __future__ import annotations

import frappe
from frappe.utils import cint, getdate

from sales_reengineering.bulk import insert_records
from sales_reengineering.customer_intelligence.visit_plan import bulk_update

LEDGER = "Reward Ledger Entry"
FEEDBACK, RANKING = "Info Feedback", "Monthly Ranking"
SOURCE_DOCTYPES = {FEEDBACK: "Info Feedback Report", RANKING: "Sales Ranking"}


def source_key(source_type: str, document: str, sales_person: str) -> str:
	return f"{source_type}:{document}:{sales_person}"


def sync_source(source_type: str, document: str, wanted: dict[str, tuple[int, object]]) -> None:
	"""Make the ledger's entries of one source document what `wanted` says: {sales person: (points,
	posting date)}; entries of that document for anyone else are Reversed. Constant queries."""
	doctype = SOURCE_DOCTYPES[source_type]
	existing = {
		row.sales_person: row
		for row in frappe.get_all(
			LEDGER,
			filters={"source_type": source_type, "source_doctype": doctype, "source_document": document},
			fields=["name", "sales_person", "points", "status", "posting_date"],
		)
	}
	changes = {}
	for person, row in existing.items():
		if person in wanted:
			points, day = wanted[person]
			if (row.status, cint(row.points), getdate(row.posting_date)) != ("Approved", points, getdate(day)):
				changes[row.name] = {"status": "Approved", "points": points, "posting_date": getdate(day)}
		elif row.status != "Reversed":
			changes[row.name] = {"status": "Reversed"}
	bulk_update(LEDGER, changes)
	new = [
		{
			"sales_person": person,
			"posting_date": getdate(day),
			"points": points,
			"source_type": source_type,
			"source_doctype": doctype,
			"source_document": document,
			"status": "Approved",
			"approved_by": "Administrator",
			"approved_on": frappe.utils.now_datetime(),
			"source_key": source_key(source_type, document, person),
		}
		for person, (points, day) in wanted.items()
		if person not in existing
	]
	insert_records(LEDGER, new)


def on_feedback_change(doc, method=None) -> None:
	"""Info Feedback Report hook (on_update, on_cancel, on_trash)."""
	points = cint(doc.get("reward_points"))
	approved = doc.get("workflow_state") == "Approved" and doc.docstatus < 2 and method != "on_trash"
	wanted = {}
	if approved and points and doc.sales_person:
		wanted[doc.sales_person] = (points, doc.report_date or getdate())
	sync_source(FEEDBACK, doc.name, wanted)


def tier_points() -> dict[str, int]:
	"""{tier name: points} of the settings' reward tiers (one query)."""
	rows = frappe.get_all(
		"KPI Reward Tier",
		filters={
			"parenttype": "Sales Reengineering Settings",
			"parent": "Sales Reengineering Settings",
			"parentfield": "reward_tiers",
		},
		fields=["tier_name", "points"],
	)
	return {row.tier_name: cint(row.points) for row in rows}


def on_ranking_change(doc, method=None) -> None:
	"""Sales Ranking hook (on_update, on_trash): the monthly ranking's reward tiers into the ledger."""
	if doc.period_type != "Month":
		return
	wanted = {}
	if method != "on_trash":
		points = tier_points()
		for row in doc.entries:
			if row.reward_tier and points.get(row.reward_tier):
				wanted[row.sales_person] = (points[row.reward_tier], doc.to_date or getdate())
	sync_source(RANKING, doc.name, wanted)


def balances(people: list[str] | None, to_date=None) -> dict[str, int]:
	"""{sales person: approved points up to `to_date`} in one grouped query."""
	entry = frappe.qb.DocType(LEDGER)
	query = (
		frappe.qb.from_(entry)
		.select(entry.sales_person, frappe.query_builder.functions.Sum(entry.points))
		.where(entry.status == "Approved")
		.groupby(entry.sales_person)
	)
	if people is not None:
		query = query.where(entry.sales_person.isin(people or [""]))
	if to_date:
		query = query.where(entry.posting_date <= getdate(to_date))
	return {person: cint(points) for person, points in query.run()}
