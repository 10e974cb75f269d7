"""doc_events on ERPNext's Opportunity: write an `Opportunity Stage Log` row for every stage change
(including the first stage on insert) and for every win, loss, close or reopening."""

import frappe
from frappe.query_builder.functions import Max
from frappe.utils import flt, get_datetime, now_datetime, time_diff_in_seconds

LOG = "Opportunity Stage Log"

# Opportunity.status -> outcome of the week's progress (sales_reengineering.core.progress.Outcome)
STATUS_OUTCOME = {
	"Open": "Open",
	"Quotation": "Open",
	"Replied": "Open",
	"Converted": "Won",
	"Lost": "Lost",
	"Closed": "Closed",
}
OPEN_STATUSES = tuple(status for status, outcome in STATUS_OUTCOME.items() if outcome == "Open")


def log_stage_change(doc, method=None) -> None:
	"""on_update: runs after insert and after every save."""
	before = doc.get_doc_before_save()
	stage_changed = bool(doc.sales_stage) and doc.has_value_changed("sales_stage")
	outcome = _changed_outcome(before, doc)
	if not stage_changed and not outcome:
		return

	from_stage = before.sales_stage if before else None
	orders = get_stage_orders([from_stage, doc.sales_stage])
	now = now_datetime()
	frappe.get_doc(
		{
			"doctype": LOG,
			"opportunity": doc.name,
			"sales_person": doc.get("sr_sales_person"),
			"changed_on": now,
			"changed_by": frappe.session.user,
			"from_stage": from_stage,
			"to_stage": doc.sales_stage,
			"from_order": orders.get(from_stage) if from_stage else None,
			"to_order": orders.get(doc.sales_stage) or 0,
			"days_in_previous_stage": _days_in_stage(doc, now) if before else 0,
			"stage_changed": int(stage_changed),
			"outcome": outcome,
		}
	).insert(ignore_permissions=True)


def _changed_outcome(before, doc) -> str | None:
	outcome = STATUS_OUTCOME.get(doc.status)
	if before is None:
		return outcome if outcome and outcome != "Open" else None
	if STATUS_OUTCOME.get(before.status) == outcome:
		return None
	return outcome


def _days_in_stage(doc, now) -> float:
	"""Days since the last stage change (or the opportunity's creation, when it has no log yet)."""
	log = frappe.qb.DocType(LOG)
	last = (
		frappe.qb.from_(log)
		.select(Max(log.changed_on))
		.where((log.opportunity == doc.name) & (log.stage_changed == 1))
	).run()
	since = (last and last[0][0]) or doc.creation
	return max(flt(time_diff_in_seconds(now, get_datetime(since)) / 86400, 2), 0.0)


def get_stage_orders(stages: list[str | None] | None = None) -> dict[str, int]:
	"""Sales Stage name -> sr_stage_order (0 when unset), for the given stages or all of them."""
	filters = {}
	if stages is not None:
		names = [stage for stage in stages if stage]
		if not names:
			return {}
		filters = {"name": ("in", names)}
	rows = frappe.get_all("Sales Stage", filters=filters, fields=["name", "sr_stage_order"])
	return {row.name: int(row.sr_stage_order or 0) for row in rows}


SNAPSHOT = "Sales Progress Snapshot"
SNAPSHOT_ITEM = "Sales Progress Snapshot Item"
REMINDER_LOG = "Sales Reminder Log"


def delete_history(doc, method=None) -> None:
	"""on_trash: the app's history of an opportunity goes with it, as ERPNext's own child records do.

	Frappe calls this only after it checked that the user may delete the opportunity (and it is not
	submitted), and before its link check, which the stage logs would otherwise fail with
	LinkExistsError. Deleted in bulk, one statement per kind: the stage logs, the reminder logs
	naming it, its rows in the weekly progress snapshots, and a snapshot left with no row at all.
	A snapshot's counts stay as they were that week. The whole deletion is one transaction: if
	anything later refuses it, the history comes back with the opportunity."""
	frappe.db.delete(LOG, {"opportunity": doc.name})
	frappe.db.delete(REMINDER_LOG, {"reference_doctype": doc.doctype, "reference_name": doc.name})
	snapshots = frappe.get_all(
		SNAPSHOT_ITEM,
		filters={"opportunity": doc.name, "parenttype": SNAPSHOT},
		pluck="parent",
		distinct=True,
	)
	if not snapshots:
		return
	frappe.db.delete(SNAPSHOT_ITEM, {"opportunity": doc.name, "parenttype": SNAPSHOT})
	kept = frappe.get_all(
		SNAPSHOT_ITEM,
		filters={"parent": ("in", snapshots), "parenttype": SNAPSHOT},
		pluck="parent",
		distinct=True,
	)
	emptied = sorted(set(snapshots) - set(kept))
	if emptied:
		frappe.db.delete(SNAPSHOT, {"name": ("in", emptied)})
