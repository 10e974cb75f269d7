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
doc_events = {}

# Permissions: SQL WHERE fragments (built with frappe.db.escape) and per-document checks.
permission_query_conditions = {}

has_permission = {}

has_website_permission = {}

# Dealer portal
portal_menu_items = []

scheduler_events = {}
