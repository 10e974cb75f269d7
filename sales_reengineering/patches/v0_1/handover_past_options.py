"""Account Handovers done before a handover could move open sales orders, leads and prospects, and
planned events (v0.1.0) moved none of them, but the new options default to on, so after an upgrade an
old handover claimed it had. Turn each option off on submitted or cancelled handovers that moved nothing
of its kind; drafts keep the default and move everything when submitted. Found by the upgrade test."""

import frappe
from frappe.query_builder.functions import IfNull

# option -> the counts that say what it moved
OPTIONS = {
	"move_open_orders": ("orders_moved",),
	"move_leads": ("leads_moved", "prospects_moved"),
	"move_events": ("events_moved",),
}


def execute():
	handover = frappe.qb.DocType("Account Handover")
	for option, counts in OPTIONS.items():
		condition = handover.docstatus != 0
		for count in counts:
			condition &= IfNull(handover[count], 0) == 0
		frappe.qb.update(handover).set(handover[option], 0).where(condition).run()
