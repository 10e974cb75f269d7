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

# Document events on ERPNext doctypes: small functions (doc, method=None) in <module>/<doctype>.py files.
doc_events = {
	# -- channel --
	"Quotation": {
		"validate": "sales_reengineering.channel.pricing.warn_below_floor",
		"before_submit": "sales_reengineering.channel.pricing.block_below_floor",
	},
	"Sales Order": {
		"validate": "sales_reengineering.channel.pricing.warn_below_floor",
		"before_submit": "sales_reengineering.channel.pricing.block_below_floor",
	},
}

# Permissions: SQL WHERE fragments (built with frappe.db.escape) and per-document checks.
permission_query_conditions = {
	# -- channel --
	"Dealer": "sales_reengineering.channel.access.dealer_query",
	"Deal Registration": "sales_reengineering.channel.access.deal_registration_query",
	"Sell Through Report": "sales_reengineering.channel.access.sell_through_query",
}

has_permission = {
	# -- channel --
	"Dealer": "sales_reengineering.channel.access.dealer_has_permission",
	"Deal Registration": "sales_reengineering.channel.access.deal_registration_has_permission",
	"Sell Through Report": "sales_reengineering.channel.access.deal_registration_has_permission",
}

has_website_permission = {
	# -- channel --
	"Dealer": "sales_reengineering.channel.access.has_website_permission",
	"Deal Registration": "sales_reengineering.channel.access.has_website_permission",
	"Sell Through Report": "sales_reengineering.channel.access.has_website_permission",
}

# Dealer portal
portal_menu_items = [
	# -- channel --
	{"title": "Dealer Dashboard", "route": "/dealer", "role": "Dealer"},
	{"title": "Deal Registrations", "route": "/dealer/registrations", "role": "Dealer"},
	{"title": "Register a Deal", "route": "/dealer/register", "role": "Dealer"},
	{"title": "Sell-Through Reports", "route": "/dealer/sell-through", "role": "Dealer"},
]

scheduler_events = {
	"daily_long": [
		# -- channel --
		"sales_reengineering.channel.doctype.deal_registration.deal_registration.expire_registrations",
	],
}
