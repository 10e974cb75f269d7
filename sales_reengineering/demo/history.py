"""The last loader section: make the loaded records look like two years of history.

* `creation`/`modified` of the demo documents become their business dates (lists and "created on"
  reports then show the history), contacts and addresses take their customer's;
* when the `Opportunity Stage Log` doctype is installed, each demo opportunity's log is rewritten from
  the stage path of the plan (its doc_event logged the final stage at load time instead);
* open quotations past their validity become Expired (as ERPNext's daily job would do).

Nothing is added, so the section reports 0; it is idempotent (only differing records are written).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import frappe
from frappe.utils import getdate

from sales_reengineering.demo import data
from sales_reengineering.demo.context import Context, fast_insert
from sales_reengineering.demo.generator import OpportunityPlan

STAGE_LOG = "Opportunity Stage Log"
STAGE_ORDER = {stage.name: stage.order for stage in data.SALES_STAGES}


def load_history(ctx: Context) -> int:
	backdate(ctx)
	replay_stage_logs(ctx)
	expire_quotations(ctx)
	return 0


def expire_quotations(ctx: Context) -> None:
	"""What ERPNext's daily `set_expired_status` does, for the demo's open quotations only."""
	expired = [
		ctx.key(quotation.key)
		for quotation in ctx.plan.quotations
		if quotation.outcome == "open" and quotation.valid_till < getdate()
	]
	if expired:
		frappe.db.sql(
			"update `tabQuotation` set status = 'Expired' where name in %s and docstatus = 1 and status = 'Open'",
			(tuple(expired),),
		)


def backdate(ctx: Context) -> None:
	"""Set `creation`/`modified` of the demo records to their business dates."""
	plan = ctx.plan
	stamps: dict[str, dict[str, tuple[datetime, datetime]]] = {
		"Customer": {ctx.customer(c.name): (_at(c.since, 9), _at(c.since, 9)) for c in plan.customers},
		"Opportunity": {ctx.key(o.key): (o.path[0].at, _opportunity_modified(o)) for o in plan.opportunities},
		"Quotation": {
			ctx.key(q.key): (_at(q.date, 11), _at(q.lost_on or q.date, 11)) for q in plan.quotations
		},
		"Sales Order": {
			ctx.key(o.key): (_at(o.date, 14), _at(o.date, 14)) for o in plan.orders + plan.sell_in_orders
		},
		"Sales Invoice": _invoice_stamps(ctx),
		"Contract": {ctx.key(c.key): (_at(c.start, 16), _at(c.start, 16)) for c in plan.contracts},
	}
	for doctype, wanted in stamps.items():
		_apply_stamps(doctype, wanted)
	_stamp_customer_links(ctx)


def _at(day: date, hour: int) -> datetime:
	return datetime.combine(day, time(hour, 0))


def _opportunity_modified(opportunity: OpportunityPlan) -> datetime:
	if opportunity.lost_on:
		return _at(opportunity.lost_on, 17)
	return opportunity.path[-1].at


def _invoice_stamps(ctx: Context) -> dict[str, tuple[datetime, datetime]]:
	stamps = {}
	for invoice in ctx.plan.invoices:
		name = ctx.key(invoice.key)
		stamps[name] = (_at(invoice.date, 10), _at(invoice.date, 10))
		if invoice.cancelled:
			stamps[f"{name}-1"] = (_at(invoice.date, 12), _at(invoice.date, 12))
	for invoice in ctx.plan.sell_in_invoices:
		stamps[ctx.key(invoice.key)] = (_at(invoice.date, 10), _at(invoice.date, 10))
	for credit_note in ctx.plan.returns:
		stamps[ctx.key(credit_note.key)] = (_at(credit_note.date, 15), _at(credit_note.date, 15))
	return stamps


def _apply_stamps(doctype: str, wanted: dict[str, tuple[datetime, datetime]]) -> None:
	names = list(wanted)
	for start in range(0, len(names), 500):
		rows = frappe.get_all(
			doctype, filters={"name": ("in", names[start : start + 500])}, fields=["name", "creation"]
		)
		for row in rows:
			creation, modified = wanted[row.name]
			if row.creation != creation:
				frappe.db.sql(
					f"update `tab{doctype}` set creation=%s, modified=%s where name=%s",
					(creation, modified, row.name),
				)


def _stamp_customer_links(ctx: Context) -> None:
	"""Contacts and addresses of the demo customers take their customer's creation time."""
	customers = [ctx.customer(customer.name) for customer in ctx.plan.customers]
	for doctype in ("Contact", "Address"):
		for start in range(0, len(customers), 500):
			frappe.db.sql(
				f"""update `tab{doctype}` d
				join `tabDynamic Link` l on l.parent = d.name and l.parenttype = %s and l.link_doctype = 'Customer'
				join `tabCustomer` c on c.name = l.link_name
				set d.creation = c.creation, d.modified = c.creation
				where c.name in %s and d.creation <> c.creation""",
				(doctype, tuple(customers[start : start + 500])),
			)


def replay_stage_logs(ctx: Context) -> None:
	"""Rewrite the stage log of every demo opportunity whose log differs from its planned path."""
	if not frappe.db.exists("DocType", STAGE_LOG):
		return
	fields = {df.fieldname for df in frappe.get_meta(STAGE_LOG).fields}
	plans = {ctx.key(opportunity.key): opportunity for opportunity in ctx.plan.opportunities}
	current: dict[str, list[datetime]] = {}
	names = list(plans)
	for start in range(0, len(names), 500):
		for row in frappe.get_all(
			STAGE_LOG,
			filters={"opportunity": ("in", names[start : start + 500])},
			fields=["opportunity", "changed_on"],
		):
			current.setdefault(row.opportunity, []).append(row.changed_on)
	for name, opportunity in plans.items():
		wanted = stage_log_rows(name, opportunity)
		if sorted(current.get(name, [])) == [row["changed_on"] for row in wanted]:
			continue
		frappe.db.delete(STAGE_LOG, {"opportunity": name})
		for index, row in enumerate(wanted, start=1):
			doc = frappe.new_doc(STAGE_LOG)
			doc.update({field: value for field, value in row.items() if field in fields})
			fast_insert(doc, f"{name}-{index:02d}", stamp=row["changed_on"])


def stage_log_rows(name: str, opportunity: OpportunityPlan) -> list[dict]:
	"""The log an opportunity would have had: one row per stage step, then its win or loss."""
	rows = []
	previous = None
	for step in opportunity.path:
		rows.append(_log_row(name, opportunity, step.at, previous, step.stage, 1, None))
		previous = (step.stage, step.at)
	outcome_at = {
		"won": opportunity.path[-1].at + timedelta(hours=2),
		"quote_lost": _at(opportunity.lost_on, 17) if opportunity.lost_on else None,
		"lost_early": _at(opportunity.lost_on, 17) if opportunity.lost_on else None,
	}.get(opportunity.outcome)
	if outcome_at:
		outcome = "Won" if opportunity.outcome == "won" else "Lost"
		rows.append(_log_row(name, opportunity, outcome_at, previous, opportunity.stage, 0, outcome))
	return rows


def _log_row(
	name: str,
	opportunity: OpportunityPlan,
	at: datetime,
	previous: tuple[str, datetime] | None,
	stage: str,
	stage_changed: int,
	outcome: str | None,
) -> dict:
	from_stage, since = previous if previous else (None, None)
	return {
		"opportunity": name,
		"sales_person": opportunity.sales_person,
		"changed_on": at,
		"changed_by": "Administrator",
		"from_stage": from_stage,
		"to_stage": stage,
		"from_order": STAGE_ORDER.get(from_stage) if from_stage else None,
		"to_order": STAGE_ORDER[stage],
		"days_in_previous_stage": round((at - since).total_seconds() / 86400, 2) if since else 0,
		"stage_changed": stage_changed,
		"outcome": outcome,
	}
