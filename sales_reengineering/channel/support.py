"""Dealer support requests: ERPNext's own Issue, raised from the dealer portal (issue 14, item 3).

A dealer asks for pre-sales help, a key-account visit, technical support or marketing material. The
request is an Issue with the app's `sr_dealer` and `sr_request_type`, so the support desk, ERPNext's
Service Level Agreements, e-mail replies and the Issue reports all work on it as they are:

- it is assigned (Frappe's assign_to, a ToDo) to the account manager of the dealer, or of the nearest
  dealer above it that has one with a user; the request is shared with that user to read and answer;
- its response-by is the request's creation plus the response time in Sales Reengineering Settings,
  unless one of ERPNext's Service Level Agreements applies to it (then ERPNext's);
- it is answered when staff first reply by e-mail (Frappe sets `first_responded_on`) or move it out of
  Open; the reminder "Dealer Request Unanswered" (reminders.engine) catches the ones that are not.

Who sees which request is the dealer scope's (scope.dealers): a dealer user sees its branch's only.
"""

from typing import Annotated

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.query_builder import Order
from frappe.query_builder.functions import Coalesce
from frappe.utils import add_to_date, escape_html, get_datetime, now_datetime
from frappe.utils.html_utils import sanitize_html

from sales_reengineering.arguments import check_arguments, plain_text
from sales_reengineering.exceptions import DealerRequestError
from sales_reengineering.scope import for_user
from sales_reengineering.scope.dealers import get_branch

SETTINGS = "Sales Reengineering Settings"
# the request types a dealer may raise (the Select options of Issue.sr_request_type), for _() and zh.csv:
# _("Pre-sales Help"), _("Key-Account Visit"), _("Technical Support"), _("Marketing Material")
REQUEST_TYPES = ("Pre-sales Help", "Key-Account Visit", "Technical Support", "Marketing Material")
RESPONSE_HOURS_FIELD = "dealer_request_response_hours"
DEFAULT_RESPONSE_HOURS = 24
OPEN = "Open"
LIST_FIELDS = (
	"name",
	"subject",
	"sr_dealer",
	"sr_request_type",
	"status",
	"opening_date",
	"response_by",
	"first_responded_on",
)


def response_hours() -> float:
	"""The settings' response time for dealer requests (hours); 0 sets no target."""
	return DEFAULT_RESPONSE_HOURS if (value := stored_response_hours()) is None else max(float(value), 0)


def stored_response_hours() -> str | None:
	"""The setting as stored, None while never saved (get_single_value casts a missing Float to 0, which
	would read as 'no target': requests on an upgraded site had no due time)."""
	value = frappe.db.get_value(
		"Singles", {"doctype": SETTINGS, "field": RESPONSE_HOURS_FIELD}, "value", order_by=None
	)
	return None if value in (None, "") else value


def check_request_type(request_type: str | None) -> None:
	if not request_type:
		frappe.throw(_("Choose the type of the support request."), DealerRequestError)
	if request_type not in REQUEST_TYPES:
		frappe.throw(
			_("{0} is not a support request type. Choose one of: {1}.").format(
				escape_html(str(request_type)[:140]), ", ".join(_(value) for value in REQUEST_TYPES)
			),
			DealerRequestError,
		)


def account_manager_user(dealer: str) -> str | None:
	"""The enabled user of the account manager of `dealer`, else of the nearest dealer above it that has
	one (a sub-dealer's request goes to its provincial dealer's account manager). One query."""
	own = frappe.qb.DocType("Dealer")
	ancestor = frappe.qb.DocType("Dealer").as_("ancestor")
	person = frappe.qb.DocType("Sales Person")
	employee = frappe.qb.DocType("Employee")
	user = frappe.qb.DocType("User")
	rows = (
		frappe.qb.from_(own)
		.join(ancestor)
		.on((ancestor.lft <= own.lft) & (ancestor.rgt >= own.rgt))
		.join(person)
		.on((person.name == ancestor.account_manager) & (person.enabled == 1))
		.join(employee)
		.on(employee.name == person.employee)
		.join(user)
		.on((user.name == employee.user_id) & (user.enabled == 1))
		.select(user.name)
		.where(own.name == dealer)
		.orderby(ancestor.lft, order=Order.desc)
		.limit(1)
	).run(pluck=True)
	return rows[0] if rows else None


# -- Issue doc events (hooks.py) --------------------------------------------------------------------------


def validate(doc, method=None) -> None:
	"""A dealer's request names a known type; a dealer user raises it as a new, open request."""
	if not doc.get("sr_dealer"):
		if doc.get("sr_request_type"):
			frappe.throw(_("A support request type needs the dealer who asks."), DealerRequestError)
		return
	check_request_type(doc.sr_request_type)
	customer = frappe.db.get_value("Dealer", doc.sr_dealer, "customer")
	if doc.is_new() and for_user().is_dealer:
		# what the support desk sets is not the dealer's to set, whichever door the request came through;
		# nor are the customer and the sender, which ERPNext's own /issues page shows the request by
		doc.status = OPEN
		for fieldname in ("first_responded_on", "response_by", "resolution_details", "contact", "lead"):
			doc.set(fieldname, None)
		doc.customer = customer
		doc.raised_by = frappe.db.get_value("User", frappe.session.user, "email") or frappe.session.user
		doc.set_lead_contact(doc.raised_by)
	elif not doc.customer:
		doc.customer = customer


def before_save(doc, method=None) -> None:
	"""The response target from the settings (unless an ERPNext Service Level Agreement sets it), and the
	first response when staff move the request out of Open without an e-mail reply."""
	if not doc.get("sr_dealer"):
		return
	if not doc.get("service_level_agreement") and not doc.response_by:
		hours = response_hours()
		if hours:
			doc.response_by = add_to_date(get_datetime(doc.creation or now_datetime()), hours=hours)
	if not doc.is_new() and doc.status != OPEN and not doc.first_responded_on:
		doc.first_responded_on = now_datetime()


def after_insert(doc, method=None) -> None:
	"""Assign the request to the dealer's account manager, sharing it with him to read and answer."""
	if not doc.get("sr_dealer"):
		return
	user = account_manager_user(doc.sr_dealer)
	if not user:
		# no account manager with a user: the Channel Managers handle it (and get its reminder)
		return
	frappe.share.add_docshare(
		doc.doctype, doc.name, user, read=1, write=1, flags={"ignore_share_permission": True}
	)
	assign_to.add(
		{
			"assign_to": [user],
			"doctype": doc.doctype,
			"name": doc.name,
			"description": _("Support request from dealer {0}: {1}").format(doc.sr_dealer, doc.subject),
			"date": get_datetime(doc.response_by).date() if doc.response_by else None,
		},
		# the dealer raising the request may not assign; the assignment is the app's rule, not the dealer's
		ignore_permissions=True,
	)


# -- the reminder (reminders.engine, rule "Dealer Request Unanswered") --------------------------------------


def unanswered_requests(rule, today) -> list:
	"""Open dealer requests with no first response `days` days after their response-by. One query."""
	from sales_reengineering.reminders.engine import candidate

	now = get_datetime(rule.get("now") or now_datetime())
	issue = frappe.qb.DocType("Issue")
	dealer = frappe.qb.DocType("Dealer")
	rows = (
		frappe.qb.from_(issue)
		.left_join(dealer)
		.on(dealer.name == issue.sr_dealer)
		.select(
			issue.name,
			issue.sr_dealer,
			issue.sr_request_type,
			issue.response_by,
			issue._assign,
			dealer.account_manager,
		)
		.where((Coalesce(issue.sr_dealer, "") != "") & (issue.status == OPEN))
		.where(issue.first_responded_on.isnull())
		.where(issue.response_by < add_to_date(now, days=-rule.days))
	).run(as_dict=True)
	return [
		candidate(
			"Issue",
			row.name,
			add_to_date(row.response_by, days=rule.days),
			_("Support request {0} ({1}) from dealer {2} has had no response; it was due by {3}.").format(
				row.name,
				_(row.sr_request_type or ""),
				row.sr_dealer,
				frappe.format(row.response_by, "Datetime"),
			),
			sales_persons=[row.account_manager],
			# whoever the request is assigned to now (the account manager above, or who took it over)
			users=frappe.parse_json(row._assign or "[]") or [],
		)
		for row in rows
	]


# -- the dealer portal (www/dealer/support) -------------------------------------------------------------


def get_requests(limit: int = 100) -> list[dict]:
	"""The support requests of the user's branch, newest first (permission-aware)."""
	return frappe.get_list(
		"Issue",
		filters={"sr_dealer": ("is", "set")},
		fields=list(LIST_FIELDS),
		order_by="creation desc",
		limit_page_length=limit,
	)


def get_request(name: str) -> frappe._dict:
	"""One request of the user's branch; PermissionError for any other (the scope decides)."""
	if not isinstance(name, str) or not frappe.db.exists("Issue", {"name": name, "sr_dealer": ("is", "set")}):
		frappe.throw(
			_("Support request {0} was not found.").format(escape_html(str(name)[:140])),
			frappe.DoesNotExistError,
		)
	doc = frappe.get_doc("Issue", name)
	doc.check_permission("read")
	# the e-mails on the request (the staff's replies and the dealer's own), read for the request the
	# scope just allowed; their HTML sanitised for the page
	messages = frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": "Issue",
			"reference_name": doc.name,
			"communication_type": "Communication",
		},
		fields=["sender_full_name", "sender", "sent_or_received", "communication_date", "content"],
		order_by="communication_date asc, creation asc",
	)
	for message in messages:
		message.content = sanitize_html(message.content or "")
	return frappe._dict(
		{field: doc.get(field) for field in LIST_FIELDS},
		description=doc.description,
		resolution_details=doc.resolution_details,
		messages=messages,
	)


@frappe.whitelist(methods=["POST"])
@check_arguments(closed=True)
def raise_request(
	request_type: Annotated[str, plain_text("Request Type")],
	subject: Annotated[str, plain_text("Subject")],
	description: Annotated[str, plain_text("Description", 4000)] | None = None,
	dealer: Annotated[str, plain_text("Dealer")] | None = None,
) -> dict:
	"""Raise a support request for the user's dealer (or a dealer below it)."""
	from sales_reengineering.channel.portal import get_portal_dealer

	own = get_portal_dealer()
	dealer = dealer or own
	if dealer not in get_branch(own):
		frappe.throw(_("You cannot raise requests for dealer {0}.").format(dealer), frappe.PermissionError)
	check_request_type(request_type)
	if not subject.strip():
		frappe.throw(_("Give the support request a subject."), DealerRequestError)
	doc = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": subject.strip(),
			"sr_dealer": dealer,
			"sr_request_type": request_type,
			"customer": frappe.db.get_value("Dealer", dealer, "customer"),
			"raised_by": frappe.db.get_value("User", frappe.session.user, "email") or frappe.session.user,
			"description": escape_html(description or "").replace("\n", "<br>"),
			"via_customer_portal": 1,
		}
	)
	doc.check_permission("create")
	doc.insert()
	return {"name": doc.name, "response_by": doc.response_by}
