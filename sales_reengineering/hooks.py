app_name = "sales_reengineering"
app_title = "Sales Reengineering"
app_publisher = "Sales Reengineering Developers"
app_description = "Sales performance and dealer-channel management for ERPNext v15"
app_email = "dev@sales-reengineering.invalid"
app_license = "mit"

# "org/repo" form, as hrms does: frappe resolves it without asking GitHub, so installs work offline.
required_apps = ["frappe/erpnext"]

# Write the typed field block into every controller of this app.
export_python_type_annotations = True

# Apps screen
add_to_apps_screen = [
	{
		"name": "sales_reengineering",
		"logo": "/assets/sales_reengineering/images/logo.svg",
		"title": "Sales Reengineering",
		"route": "/app/sales-reengineering",
		"has_permission": "sales_reengineering.setup.permissions.has_app_permission",
	}
]

# Desk: workflow states translated for users who cannot read the Workflow State doctype
app_include_js = ["/assets/sales_reengineering/js/workflow_state.js"]

# Installation
before_install = "sales_reengineering.setup.roles.create_roles"
after_install = "sales_reengineering.install.after_install"
after_migrate = "sales_reengineering.install.after_migrate"
before_uninstall = "sales_reengineering.install.before_uninstall"

# Testing: one test company and the masters the integration tests share.
before_tests = "sales_reengineering.tests.setup.before_tests"

# ---------------------------------------------------------------------------------------------------------
# Each module adds its own entries below, in its own block. Keep one block per module.
# ---------------------------------------------------------------------------------------------------------

# Form scripts added to ERPNext doctypes
doctype_js = {
	# -- customer intelligence --
	# client/activity.js defines "Log Activity"; each form's own script adds the button on refresh
	"Customer": ["customer_intelligence/client/activity.js", "customer_intelligence/client/customer.js"],
	"Opportunity": [
		"customer_intelligence/client/activity.js",
		"customer_intelligence/client/opportunity.js",
	],
	"Dealer": "customer_intelligence/client/activity.js",
	# -- performance --
	# score this quarter and rank in the latest ranking, as indicators
	"Sales Person": "performance/client/sales_person.js",
}

# Document events on ERPNext doctypes: small functions (doc, method=None) in <module>/<doctype>.py files.
doc_events = {
	# -- channel --
	# -- customer intelligence: large direct sales come from an opportunity (unreported projects) --
	"Quotation": {
		"validate": [
			"sales_reengineering.channel.pricing.warn_below_floor",
			"sales_reengineering.customer_intelligence.unreported.warn_without_opportunity",
		],
		"before_submit": [
			"sales_reengineering.channel.pricing.block_below_floor",
			"sales_reengineering.customer_intelligence.unreported.require_opportunity",
		],
	},
	"Sales Order": {
		"validate": [
			"sales_reengineering.channel.pricing.warn_below_floor",
			"sales_reengineering.customer_intelligence.contract.validate_contract_party",
			"sales_reengineering.customer_intelligence.unreported.warn_without_opportunity",
		],
		"before_submit": [
			"sales_reengineering.channel.pricing.block_below_floor",
			"sales_reengineering.customer_intelligence.unreported.require_opportunity",
		],
	},
	# -- performance --
	# -- customer intelligence --
	"Opportunity": {
		"before_insert": "sales_reengineering.customer_intelligence.ownership.set_default_sales_person",
		"validate": "sales_reengineering.scope.guards.validate_sales_person_assignment",
		"on_update": "sales_reengineering.customer_intelligence.opportunity.log_stage_change",
		"on_trash": "sales_reengineering.customer_intelligence.opportunity.delete_history",
	},
	"Sales Person": {
		"on_update": "sales_reengineering.customer_intelligence.ownership.on_sales_person_update",
	},
	"Employee": {
		"on_update": "sales_reengineering.customer_intelligence.ownership.on_employee_update",
	},
	"Customer": {
		"before_insert": "sales_reengineering.customer_intelligence.ownership.set_default_sales_person",
		"validate": "sales_reengineering.scope.guards.validate_sales_person_assignment",
		"on_update": "sales_reengineering.customer_intelligence.completeness.on_customer_update",
	},
	"Contact": {
		"on_update": "sales_reengineering.customer_intelligence.completeness.on_contact_or_address_change",
		"after_delete": "sales_reengineering.customer_intelligence.completeness.on_contact_or_address_change",
	},
	"Address": {
		"on_update": "sales_reengineering.customer_intelligence.completeness.on_contact_or_address_change",
		"after_delete": "sales_reengineering.customer_intelligence.completeness.on_contact_or_address_change",
	},
	"Sales Invoice": {
		"validate": [
			"sales_reengineering.customer_intelligence.contract.validate_contract_party",
			# channel: an invoice not made from an order is priced here
			"sales_reengineering.channel.pricing.warn_below_floor",
		],
		"before_submit": "sales_reengineering.channel.pricing.block_below_floor",
		# customer intelligence: the customer's predicted next purchase (telesales)
		"on_submit": "sales_reengineering.customer_intelligence.next_purchase.on_invoice_change",
		"on_cancel": "sales_reengineering.customer_intelligence.next_purchase.on_invoice_change",
	},
	"POS Invoice": {
		"validate": "sales_reengineering.channel.pricing.warn_below_floor",
		"before_submit": "sales_reengineering.channel.pricing.block_below_floor",
	},
	"Contract": {
		"validate": "sales_reengineering.customer_intelligence.contract.validate_contract",
	},
	# -- performance: the rewards ledger collects approved feedback points and monthly reward tiers --
	"Info Feedback Report": {
		"on_update": "sales_reengineering.performance.rewards.on_feedback_change",
		"on_trash": "sales_reengineering.performance.rewards.on_feedback_change",
	},
	"Sales Ranking": {
		"on_update": "sales_reengineering.performance.rewards.on_ranking_change",
		"on_trash": "sales_reengineering.performance.rewards.on_ranking_change",
	},
	# -- customer intelligence: a logged visit fulfils its salesperson's visit plan --
	"Event": {
		"on_update": "sales_reengineering.customer_intelligence.visit_plan.on_event_change",
		"after_delete": "sales_reengineering.customer_intelligence.visit_plan.on_event_change",
	},
	# -- channel: a dealer's support request (an Issue with sr_dealer) gets its response target and its
	# account manager --
	"Issue": {
		"validate": "sales_reengineering.channel.support.validate",
		"before_save": "sales_reengineering.channel.support.before_save",
		"after_insert": "sales_reengineering.channel.support.after_insert",
	},
	# -- reminders --
	"Channel Price Exception": {
		"before_insert": "sales_reengineering.reminders.setup.restart_amended_approval",
	},
}

# -- scope: a quotation, order, delivery note or invoice is saved only for a customer the user may work
# with, refused with the rule's own message before ERPNext's generic "No permission for Customer" --
for _doctype in ("Quotation", "Sales Order", "Delivery Note", "Sales Invoice"):
	doc_events.setdefault(_doctype, {})["before_validate"] = (
		"sales_reengineering.scope.guards.validate_document_customer"
	)

# -- customer intelligence: a logged visit that a visit plan line names can still be deleted (the line
# is matched again after the delete, see visit_plan.on_event_change) --
ignore_links_on_delete = ["Visit Plan Item"]

# Connections on ERPNext's forms, extending their own dashboards
override_doctype_dashboards = {
	# -- customer intelligence --
	"Contract": "sales_reengineering.customer_intelligence.contract.get_contract_dashboard",
	# -- performance --
	"Sales Person": "sales_reengineering.performance.sales_person.get_sales_person_dashboard",
}

# Permissions: every hook asks the one scope (sales_reengineering/scope). SQL WHERE fragments (built with
# frappe.db.escape) and per-document checks; they only ever narrow what the role permissions allow.
_CUSTOMER_RULE = [
	# ERPNext's own doctypes that follow the customer rule
	"Customer",
	"Opportunity",
	"Quotation",
	"Sales Order",
	"Delivery Note",
	"Sales Invoice",
	"Contract",
	"Contact",
	"Address",
	# the app's
	"Channel Price Exception",
	"Telesales Call",
]
permission_query_conditions = {
	# every child table follows its parents' conditions
	"*": "sales_reengineering.scope.hooks.child_table_query",
	**{doctype: "sales_reengineering.scope.hooks.customer_rule_query" for doctype in _CUSTOMER_RULE},
	# -- channel --
	"Dealer": "sales_reengineering.scope.dealers.dealer_query",
	"Deal Registration": "sales_reengineering.scope.dealers.deal_registration_query",
	"Sell Through Report": "sales_reengineering.scope.dealers.sell_through_query",
	"Issue": "sales_reengineering.scope.dealers.support_request_query",
	"Market Development Fund": "sales_reengineering.scope.dealers.market_development_fund_query",
	"MDF Claim": "sales_reengineering.scope.dealers.mdf_claim_query",
	"Dealer Staff Certification": "sales_reengineering.scope.dealers.staff_certification_query",
	# -- performance --
	"Sales Task": "sales_reengineering.scope.performance.sales_task_query",
	"KPI Scorecard": "sales_reengineering.scope.performance.scorecard_query",
	"KPI Manual Entry": "sales_reengineering.scope.performance.manual_entry_query",
	# -- customer intelligence --
	"Opportunity Stage Log": "sales_reengineering.scope.customers.stage_log_query",
	"Sales Progress Snapshot": "sales_reengineering.scope.customers.snapshot_query",
	"Info Feedback Report": "sales_reengineering.scope.customers.feedback_query",
	"Sales Training Record": "sales_reengineering.scope.customers.training_query",
	"Sales Training Enrolment": "sales_reengineering.scope.customers.enrolment_query",
	"Career Development Plan": "sales_reengineering.scope.customers.career_plan_query",
	"Account Handover": "sales_reengineering.scope.customers.handover_query",
	"Visit Plan": "sales_reengineering.scope.customers.visit_plan_query",
	"Reward Ledger Entry": "sales_reengineering.scope.customers.reward_ledger_query",
	# -- reminders --
	"Sales Reminder Log": "sales_reengineering.reminders.doctype.sales_reminder_log.sales_reminder_log.get_permission_query_conditions",
}

has_permission = {
	**{doctype: "sales_reengineering.scope.hooks.customer_rule_has_permission" for doctype in _CUSTOMER_RULE},
	# -- channel --
	"Dealer": "sales_reengineering.scope.dealers.dealer_has_permission",
	"Deal Registration": "sales_reengineering.scope.dealers.deal_registration_has_permission",
	"Sell Through Report": "sales_reengineering.scope.dealers.deal_registration_has_permission",
	"Issue": "sales_reengineering.scope.dealers.support_request_has_permission",
	"Market Development Fund": "sales_reengineering.scope.dealers.dealer_record_has_permission",
	"MDF Claim": "sales_reengineering.scope.dealers.dealer_record_has_permission",
	"Dealer Staff Certification": "sales_reengineering.scope.dealers.dealer_record_has_permission",
	# -- performance --
	"Sales Task": "sales_reengineering.scope.performance.sales_task_has_permission",
	"KPI Scorecard": "sales_reengineering.scope.performance.scorecard_has_permission",
	"KPI Manual Entry": "sales_reengineering.scope.performance.manual_entry_has_permission",
	# -- customer intelligence --
	"Opportunity Stage Log": "sales_reengineering.scope.customers.stage_log_has_permission",
	"Sales Progress Snapshot": "sales_reengineering.scope.customers.snapshot_has_permission",
	"Info Feedback Report": "sales_reengineering.scope.customers.feedback_has_permission",
	"Sales Training Record": "sales_reengineering.scope.customers.training_has_permission",
	"Sales Training Enrolment": "sales_reengineering.scope.customers.enrolment_has_permission",
	"Career Development Plan": "sales_reengineering.scope.customers.career_plan_has_permission",
	"Account Handover": "sales_reengineering.scope.customers.handover_has_permission",
	"Visit Plan": "sales_reengineering.scope.customers.visit_plan_has_permission",
	"Reward Ledger Entry": "sales_reengineering.scope.customers.reward_ledger_has_permission",
	# -- reminders --
	"Sales Reminder Log": "sales_reengineering.reminders.doctype.sales_reminder_log.sales_reminder_log.has_permission",
}

has_website_permission = {
	# -- channel --
	"Dealer": "sales_reengineering.scope.dealers.has_website_permission",
	"Deal Registration": "sales_reengineering.scope.dealers.has_website_permission",
	"Sell Through Report": "sales_reengineering.scope.dealers.has_website_permission",
}

# Frappe's generic endpoints that would go around the rules
override_whitelisted_methods = {
	# frappe.client.get_count applies no permission at all in Frappe v15
	"frappe.client.get_count": "sales_reengineering.scope.endpoints.get_count",
	# a refusal by one of the app's reports is not an error to log with the report's data
	"frappe.desk.query_report.run": "sales_reengineering.scope.endpoints.run_report",
	# ERPNext's "Update Items" on a submitted order: the customer rule's refusal names whose customer it is
	"erpnext.controllers.accounts_controller.update_child_qty_rate": "sales_reengineering.scope.endpoints.update_child_qty_rate",
	# a form of someone else's customer: the refusal names whose customer it is
	"frappe.desk.form.load.getdoc": "sales_reengineering.scope.endpoints.getdoc",
	# frappe.desk.like.toggle_like checks no permission: a like writes to the record and comments on it
	"frappe.desk.like.toggle_like": "sales_reengineering.scope.endpoints.toggle_like",
}

# Dealer portal
portal_menu_items = [
	# -- channel --
	{"title": "Dealer Dashboard", "route": "/dealer", "role": "Dealer"},
	{"title": "Deal Registrations", "route": "/dealer/registrations", "role": "Dealer"},
	{"title": "Register a Deal", "route": "/dealer/register", "role": "Dealer"},
	{"title": "Sell-Through Reports", "route": "/dealer/sell-through", "role": "Dealer"},
	{"title": "Support Requests", "route": "/dealer/support", "role": "Dealer"},
	{"title": "Market Development Funds", "route": "/dealer/funds", "role": "Dealer"},
]
# -- channel --
# a dealer's menu: the pages above and ERPNext's orders, invoices, quotations and addresses; a dealer
# lands on /dealer (Customer users who are no dealers keep ERPNext's menu and home page)
update_website_context = [
	"sales_reengineering.channel.portal_menu.dealer_menu",
	# every portal page: templates compiled once per web worker, not per request (website.py)
	"sales_reengineering.website.reuse_compiled_templates",
]
get_website_user_home_page = "sales_reengineering.channel.portal_menu.get_home_page"
# /dealer/<no such page>: Not Found, not Frappe's print view of a Dealer of that name (an error page)
page_renderer = ["sales_reengineering.website.UnknownDealerPage"]

scheduler_events = {
	"daily_long": [
		# -- channel --
		"sales_reengineering.channel.doctype.deal_registration.deal_registration.expire_registrations",
		# -- performance --
		# the live scorecards in one job per team on the long queue, then the day's rankings once all
		# are saved (performance.jobs)
		"sales_reengineering.performance.jobs.daily",
		# -- customer intelligence --
		"sales_reengineering.customer_intelligence.ownership.refresh_handover_flags",
		"sales_reengineering.customer_intelligence.telesales.daily_call_list",
		# the visit plans of this week and the last against the visits logged; past weeks' gaps: Missed
		"sales_reengineering.customer_intelligence.visit_plan.rematch_recent",
		# -- reminders --
	],
	"hourly_long": [
		# -- reminders --
		# hourly, so that a digest held back by the quiet hours goes out on the first run after them
		"sales_reengineering.reminders.engine.run",
	],
	"weekly_long": [
		# -- customer intelligence --
		"sales_reengineering.customer_intelligence.progress.make_last_week_snapshots",
	],
	"cron": {
		# -- customer intelligence --
		# Monday 08:00 (site time, the end of the default quiet hours): the week that ended on Sunday
		# ("weekly_long" runs at Sunday 00:00, before that week is over)
		"0 8 * * 1": ["sales_reengineering.customer_intelligence.weekly_report.send_weekly_reports"],
	},
	"monthly_long": [
		# -- performance --
	],
}

# -- performance --
# ERPNext's Leaderboard page: KPI scorecards next to its own boards.
leaderboards = "sales_reengineering.performance.ranking.get_leaderboards"
