"""Sales activities: visits, calls and meetings logged against a Customer, an Opportunity or a Dealer.

An activity is a Frappe `Event` (no doctype of our own) with one Event Participants row naming the
document, so it shows on that document's timeline and in the salesperson's calendar. The weekly sales
report and the "Activities Logged" KPI indicator count the Events a salesperson's user created that name
a Customer, an Opportunity or a Dealer (`activity_events`), whatever way they were logged; a private
calendar entry naming none of them is not an activity."""

from typing import Annotated

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from sales_reengineering.arguments import check_arguments, plain_text
from sales_reengineering.exceptions import InvalidActivityError

# activity type (the dialog's choice) -> Event.event_category; the weekly report counts "Event" as visits
ACTIVITY_TYPES = {"Visit": "Event", "Call": "Call", "Meeting": "Meeting", "Other": "Other"}
REFERENCE_DOCTYPES = ("Customer", "Opportunity", "Dealer")


@frappe.whitelist(methods=["POST"])
@check_arguments
def log_activity(
	reference_doctype: Annotated[str, plain_text("Reference Type")],
	reference_name: Annotated[str, plain_text("Reference Name")],
	activity_type: Annotated[str, plain_text("Activity Type")],
	subject: Annotated[str, plain_text("Subject")] | None = None,
	starts_on: Annotated[str, plain_text("Starts On")] | None = None,
	# the Event's description is HTML that Frappe sanitises when it saves the Event
	notes: Annotated[str, plain_text("Notes", 10000, allow_tags=True)] | None = None,
) -> str:
	"""Log a visit, call or meeting against a document the user may read; returns the Event's name."""
	if reference_doctype not in REFERENCE_DOCTYPES:
		frappe.throw(
			_("Activities are logged against a Customer, an Opportunity or a Dealer, not a {0}.").format(
				_(reference_doctype or "")
			),
			InvalidActivityError,
			title=_("Invalid Activity"),
		)
	if activity_type not in ACTIVITY_TYPES:
		frappe.throw(
			_("Unknown activity type {0}: choose Visit, Call, Meeting or Other.").format(activity_type or ""),
			InvalidActivityError,
			title=_("Invalid Activity"),
		)
	subject = (subject or "").strip()
	if not subject:
		frappe.throw(_("Say what the activity was about."), InvalidActivityError, title=_("Invalid Activity"))

	if not reference_name:
		frappe.throw(
			_("Choose the {0} the activity belongs to.").format(_(reference_doctype)),
			InvalidActivityError,
			title=_("Invalid Activity"),
		)
	reference = frappe.get_doc(reference_doctype, reference_name)
	reference.check_permission("read")
	when = _parse_datetime(starts_on)
	past = when <= now_datetime()
	event = frappe.get_doc(
		{
			"doctype": "Event",
			"subject": subject,
			"event_category": ACTIVITY_TYPES[activity_type],
			"event_type": "Private",
			"starts_on": when,
			"description": notes,
			# a logged activity happened; one planned ahead stays open and reminds its owner
			"status": "Completed" if past else "Open",
			"send_reminder": 0 if past else 1,
			"event_participants": [
				{"reference_doctype": reference_doctype, "reference_docname": reference.name}
			],
		}
	)
	event.insert()
	return event.name


def activity_events():
	"""Sub-query: the names of the Events that are sales activities, those with an Event Participants
	row naming a Customer, an Opportunity or a Dealer."""
	participant = frappe.qb.DocType("Event Participants")
	return (
		frappe.qb.from_(participant)
		.select(participant.parent)
		.distinct()
		.where(participant.parenttype == "Event")
		.where(participant.reference_doctype.isin(REFERENCE_DOCTYPES))
		.where(participant.reference_docname.isnotnull())
		.where(participant.reference_docname != "")
	)


def _parse_datetime(value: str | None):
	if not value:
		return now_datetime()
	try:
		return get_datetime(value)
	except Exception:
		frappe.throw(
			_("{0} is not a valid date and time.").format(value),
			InvalidActivityError,
			title=_("Invalid Activity"),
		)
