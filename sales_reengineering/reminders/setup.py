"""Records the Reminders module ships once, for administrators to edit afterwards without code:

- the default reminder rules in Sales Reengineering Settings (seeded only while the table is empty),
- the daily digest Email Template in English and Simplified Chinese,
- Notifications for workflow events (deal registration, sales task and price exception awaiting
  approval, info feedback reviewed),
- the "Price Exception Approval" Workflow on Channel Price Exception.

Everything is created only when missing, from `sales_reengineering.install.sync_setup` (after_install
and the module's patch), so an administrator's edits survive `bench migrate`.
"""

import frappe

from sales_reengineering.reminders.engine import DEFAULT_RULES, DIGEST_TEMPLATE, SETTINGS
from sales_reengineering.setup.workflows import ensure_workflow

# the shipped quiet hours (the digest e-mail waits for the morning), as the settings' field defaults say
QUIET_HOURS = {"quiet_hours_start": "22:00:00", "quiet_hours_end": "08:00:00"}
PRICE_EXCEPTION_WORKFLOW = "Price Exception Approval"
PRICE_EXCEPTION_STATES = {
	# state -> (docstatus, role allowed to edit, style)
	"Draft": ("0", "Sales User", ""),
	"Pending Approval": ("0", "Sales Manager", "Warning"),
	"Approved": ("1", "Sales Manager", "Success"),
	"Rejected": ("0", "Sales Manager", "Danger"),
	"Cancelled": ("2", "Sales Manager", "Danger"),
}
PRICE_EXCEPTION_TRANSITIONS = [
	# (state, action, next state, role, allow self approval)
	("Draft", "Submit", "Pending Approval", "Sales User", 1),
	("Draft", "Submit", "Pending Approval", "Channel Manager", 1),
	("Draft", "Submit", "Pending Approval", "Sales Manager", 1),
	("Rejected", "Submit", "Pending Approval", "Sales User", 1),
	("Pending Approval", "Approve", "Approved", "Sales Manager", 0),
	("Pending Approval", "Reject", "Rejected", "Sales Manager", 1),
	("Approved", "Cancel", "Cancelled", "Sales Manager", 1),
]

DIGEST_BODY_EN = """<p>Dear {{ full_name }},</p>
<p>You have {{ count }} new sales reminder(s):</p>
{% for group in groups %}
<h4>{{ group.rule }}</h4>
<ul>
{% for item in group["items"] %}
<li><a href="{{ item.url }}">{{ item.reference_doctype }} {{ item.reference_name }}</a>: {{ item.message }}{% if item.due_date %} (due {{ item.due_date }}){% endif %}</li>
{% endfor %}
</ul>
{% endfor %}
<p>Each reminder is also on your ToDo list. Administrators change the rules in Sales Reengineering Settings.</p>
"""

DIGEST_BODY_ZH = """<p>{{ full_name }}，您好：</p>
<p>您有 {{ count }} 条新的销售提醒：</p>
{% for group in groups %}
<h4>{{ group.rule }}</h4>
<ul>
{% for item in group["items"] %}
<li><a href="{{ item.url }}">{{ item.reference_doctype }} {{ item.reference_name }}</a>：{{ item.message }}{% if item.due_date %}（到期 {{ item.due_date }}）{% endif %}</li>
{% endfor %}
</ul>
{% endfor %}
<p>每条提醒也已加入您的待办事项。管理员可在“销售再造设置”中修改提醒规则。</p>
"""  # noqa: RUF001 (Chinese punctuation)

EMAIL_TEMPLATES = {
	DIGEST_TEMPLATE: ("Your sales reminders: {{ count }} new", DIGEST_BODY_EN),
	f"{DIGEST_TEMPLATE} - zh": ("您的销售提醒：{{ count }} 条新提醒", DIGEST_BODY_ZH),  # noqa: RUF001
}

# name -> Notification fields; system notifications to the approvers, bilingual subjects
NOTIFICATIONS = {
	"Deal Registration Awaiting Approval": {
		"document_type": "Deal Registration",
		"event": "Value Change",
		"value_changed": "status",
		"condition": 'doc.status == "Pending Approval"',
		"subject": "Deal registration {{ doc.name }} ({{ doc.dealer }}) awaits approval / 报备待审批",
		"roles": ["Channel Manager"],
	},
	"Sales Task Awaiting Approval": {
		"document_type": "Sales Task",
		"event": "Value Change",
		"value_changed": "workflow_state",
		"condition": 'doc.workflow_state == "Pending Approval"',
		"subject": "Sales task {{ doc.name }} ({{ doc.assignee }}) awaits approval / 销售任务待审批",
		"roles": ["Sales Manager"],
	},
	"Price Exception Awaiting Approval": {
		"document_type": "Channel Price Exception",
		"event": "Value Change",
		"value_changed": "workflow_state",
		"condition": 'doc.workflow_state == "Pending Approval"',
		"subject": "Price exception {{ doc.name }} for {{ doc.item_code }} awaits approval / 价格例外待审批",
		"roles": ["Sales Manager"],
	},
	"Info Feedback Reviewed": {
		"document_type": "Info Feedback Report",
		"event": "Value Change",
		"value_changed": "workflow_state",
		"condition": 'doc.workflow_state in ("Approved", "Rejected")',
		"subject": "Your info feedback {{ doc.name }} was reviewed / 您的信息反馈已审阅",
		"owner": True,
	},
}


def after_sync() -> None:
	seed_reminder_rules()
	create_email_templates()
	create_price_exception_workflow()
	create_notifications()


def is_machine_time(value) -> bool:
	"""True for a stored time with a fraction of a second: Frappe's nowtime(), never a time typed in."""
	return "." in str(value or "")


def normalise_quiet_hours() -> None:
	"""Quiet hours as a sales-ops manager expects them: 22:00 to 08:00 unless an administrator chose others.

	Frappe gives every Time field of a new document the current time, microseconds included, whatever
	the field's default says, so the settings made at install held the install time (18:13:42.644759) as
	both start and end: no quiet hours at all, and a form that opens "Not Saved" because the time picker
	drops the microseconds. A time typed in the form never has them. Both fields machine-written (or
	empty): the shipped defaults. Only one (the administrator saved the other): keep the time the
	administrator saw, without the fraction. Whole times, the administrator's, are never touched."""
	values = {fieldname: frappe.db.get_single_value(SETTINGS, fieldname) for fieldname in QUIET_HOURS}
	untouched = all(not value or is_machine_time(value) for value in values.values())
	for fieldname, value in values.items():
		if not value or (untouched and is_machine_time(value)):
			frappe.db.set_single_value(SETTINGS, fieldname, QUIET_HOURS[fieldname])
		elif is_machine_time(value):
			frappe.db.set_single_value(SETTINGS, fieldname, whole_seconds(value))


def whole_seconds(value) -> str:
	"""'18:13:42.644759' -> '18:13:42' (what the form shows)."""
	return str(value).split(".", 1)[0]


def seed_reminder_rules() -> None:
	"""The shipped rules, only while the settings have none (an admin's table is never touched)."""
	normalise_quiet_hours()
	if frappe.db.exists("Reminder Rule", {"parenttype": SETTINGS, "parent": SETTINGS}):
		return
	stuck_days = frappe.db.get_single_value(SETTINGS, "stuck_opportunity_days")
	for idx, (rule, values) in enumerate(DEFAULT_RULES.items(), start=1):
		row = frappe.get_doc(
			{
				"doctype": "Reminder Rule",
				"parent": SETTINGS,
				"parenttype": SETTINGS,
				"parentfield": "reminder_rules",
				"idx": idx,
				"rule": rule,
				"enabled": 1,
				"notify_owner": 0,
				"notify_manager": 0,
				**values,
			}
		)
		if rule == "Stuck Opportunity" and stuck_days:
			row.days = stuck_days
		row.db_insert()
	frappe.clear_document_cache(SETTINGS, SETTINGS)


def add_shipped_rule(rule: str) -> None:
	"""Add the shipped `rule` (a new one) to a rule table seeded before it existed, for the patch that
	ships it. An empty table is seeded whole by `seed_reminder_rules`; an administrator who later deletes
	the row keeps it deleted (the patch runs once)."""
	rules = frappe.get_all(
		"Reminder Rule", filters={"parenttype": SETTINGS, "parent": SETTINGS}, fields=["rule", "idx"]
	)
	if not rules or any(row.rule == rule for row in rules):
		return
	frappe.get_doc(
		{
			"doctype": "Reminder Rule",
			"parent": SETTINGS,
			"parenttype": SETTINGS,
			"parentfield": "reminder_rules",
			"idx": max(row.idx or 0 for row in rules) + 1,
			"rule": rule,
			"enabled": 1,
			"notify_owner": 0,
			"notify_manager": 0,
			"notify_role": None,
			**DEFAULT_RULES[rule],
		}
	).db_insert()
	frappe.clear_document_cache(SETTINGS, SETTINGS)


def create_email_templates() -> None:
	for name, (subject, body) in EMAIL_TEMPLATES.items():
		if frappe.db.exists("Email Template", name):
			continue
		frappe.get_doc(
			{
				"doctype": "Email Template",
				"name": name,
				"subject": subject,
				"use_html": 1,
				"response_html": body,
			}
		).insert(ignore_permissions=True)


def create_price_exception_workflow() -> None:
	"""Created only when Channel Price Exception has no workflow yet (ours or an admin's own)."""
	ensure_workflow(
		PRICE_EXCEPTION_WORKFLOW,
		"Channel Price Exception",
		states=[
			(state, docstatus, role) for state, (docstatus, role, _style) in PRICE_EXCEPTION_STATES.items()
		],
		transitions=PRICE_EXCEPTION_TRANSITIONS,
		styles={state: style for state, (_docstatus, _role, style) in PRICE_EXCEPTION_STATES.items()},
		skip_if_doctype_has_one=True,
	)


def create_notifications() -> None:
	for name, spec in NOTIFICATIONS.items():
		if frappe.db.exists("Notification", name) or not frappe.db.exists("DocType", spec["document_type"]):
			continue
		if not frappe.get_meta(spec["document_type"]).has_field(spec["value_changed"]):
			continue
		recipients = [{"receiver_by_role": role} for role in spec.get("roles", [])]
		if spec.get("owner"):
			recipients.append({"receiver_by_document_field": "owner"})
		frappe.get_doc(
			{
				"doctype": "Notification",
				"name": name,
				"subject": spec["subject"],
				"document_type": spec["document_type"],
				"event": spec["event"],
				"value_changed": spec["value_changed"],
				"condition": spec["condition"],
				"channel": "System Notification",
				"enabled": 1,
				"is_standard": 0,
				"recipients": recipients,
				"message": spec["subject"],
			}
		).insert(ignore_permissions=True)


def restart_amended_approval(doc, method=None) -> None:
	"""doc_event (before_insert) of Channel Price Exception: an amendment goes through the approval
	workflow again. A programmatic copy (`frappe.copy_doc`) keeps the cancelled original's state,
	which the workflow would reject as a jump from Draft."""
	if doc.amended_from and doc.meta.has_field("workflow_state"):
		doc.workflow_state = None


def remove_shipped_records() -> None:
	"""before_uninstall: the notifications (they name this app's doctypes) and the digest templates."""
	for name in NOTIFICATIONS:
		if frappe.db.exists("Notification", name):
			frappe.delete_doc("Notification", name, force=True, ignore_permissions=True)
	for name in EMAIL_TEMPLATES:
		if frappe.db.exists("Email Template", name):
			frappe.delete_doc("Email Template", name, force=True, ignore_permissions=True)
