"""What `install-app` leaves on the site: roles, their rights on ERPNext doctypes, custom fields, workspace.

The real uninstall is exercised by scripts/test.sh (uninstall, `setup.verify.verify_uninstalled`, install
again) because dropping custom-field columns commits and cannot run inside a test transaction.
"""

import frappe
from frappe.model import no_value_fields
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.setup.custom_fields import CUSTOM_FIELDS
from sales_reengineering.setup.permissions import has_app_permission
from sales_reengineering.setup.roles import ERPNEXT_PERMISSIONS, ROLES, _custom_perms_are_standard
from sales_reengineering.tests.utils import make_user


class TestInstall(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_roles_exist_and_only_dealer_lacks_desk_access(self):
		for role, desk_access in ROLES.items():
			self.assertEqual(frappe.db.get_value("Role", role, "desk_access"), desk_access, role)
		self.assertEqual(frappe.db.get_value("Role", "Dealer", "desk_access"), 0)

	def test_custom_fields_are_columns(self):
		for doctype, fields in CUSTOM_FIELDS.items():
			meta = frappe.get_meta(doctype)
			for df in fields:
				self.assertTrue(meta.has_field(df["fieldname"]), f"{doctype}.{df['fieldname']}")
				if df["fieldtype"] not in no_value_fields:  # a Section Break is no column
					self.assertTrue(frappe.db.has_column(doctype, df["fieldname"]), f"{doctype}.{df['fieldname']}")

	def test_roles_get_their_rights_on_erpnext_doctypes(self):
		user = make_user("sr-install-channel@example.com", ["Channel Manager"])
		frappe.set_user(user)
		self.assertTrue(frappe.has_permission("Sales Partner", "create"))
		self.assertTrue(frappe.has_permission("Customer", "write"))
		self.assertFalse(frappe.has_permission("Sales Invoice", "create"))

		user = make_user("sr-install-telesales@example.com", ["Telesales Agent"])
		frappe.set_user(user)
		self.assertTrue(frappe.has_permission("Opportunity", "create"))
		self.assertTrue(frappe.has_permission("Customer", "read"))
		self.assertFalse(frappe.has_permission("Customer", "write"))
		self.assertFalse(frappe.has_permission("Sales Partner", "read"))

	def test_erpnext_rights_keep_the_standard_ones(self):
		# adding our rows must not drop the rights ERPNext ships for its own roles
		for doctype in ERPNEXT_PERMISSIONS:
			standard = {
				(p.role, p.permlevel)
				for p in frappe.get_all("DocPerm", filters={"parent": doctype}, fields=["role", "permlevel"])
			}
			custom = {
				(p.role, p.permlevel)
				for p in frappe.get_all(
					"Custom DocPerm", filters={"parent": doctype}, fields=["role", "permlevel"]
				)
			}
			self.assertLessEqual(standard, custom, doctype)
			self.assertFalse(_custom_perms_are_standard(doctype), doctype)

	def test_dealer_sees_no_desk_app(self):
		frappe.set_user(make_user("sr-install-dealer@example.com", ["Dealer"], "Website User"))
		self.assertFalse(has_app_permission())
		frappe.set_user(make_user("sr-install-assistant@example.com", ["Sales Assistant"]))
		self.assertTrue(has_app_permission())

	def test_workspace_has_a_section_per_module(self):
		workspace = frappe.get_doc("Workspace", "Sales Reengineering")
		cards = {link.label for link in workspace.links if link.type == "Card Break"}
		modules = set(frappe.get_module_list("sales_reengineering")) - {"Sales Reengineering"}
		self.assertLessEqual(modules, cards)
		self.assertEqual(workspace.module, "Sales Reengineering")

	def test_sync_setup_is_idempotent(self):
		from sales_reengineering.install import sync_setup

		before = frappe.db.count("Custom DocPerm"), frappe.db.count("Custom Field"), frappe.db.count("Role")
		sync_setup()
		after = frappe.db.count("Custom DocPerm"), frappe.db.count("Custom Field"), frappe.db.count("Role")
		self.assertEqual(before, after)

	def test_granting_rights_makes_a_role_that_is_not_there_yet(self):
		# On an upgrade a patch may grant rights before the patch that adds a new role has run
		# (v0_1.sales_user_reads_sales_stage before v0_1.order_desk_role): the grant must not fail.
		from unittest.mock import patch

		from sales_reengineering.setup import roles

		role = "SR Role Added Later"
		self.addCleanup(frappe.clear_cache, doctype="Customer")
		self.addCleanup(frappe.db.delete, "Role", {"name": role})
		self.addCleanup(frappe.db.delete, "Custom DocPerm", {"role": role})
		self.assertFalse(frappe.db.exists("Role", role))
		with patch.dict(roles.ROLES, {role: 1}), patch.dict(
			roles.ERPNEXT_PERMISSIONS, {"Customer": {**roles.ERPNEXT_PERMISSIONS["Customer"], role: ("read",)}}
		):
			roles.grant_erpnext_permissions()
		self.assertTrue(frappe.db.exists("Role", role))
		self.assertTrue(frappe.db.exists("Custom DocPerm", {"parent": "Customer", "role": role, "read": 1}))

	def test_translations_cover_the_settings_labels(self):
		from frappe.translate import get_translations_from_apps

		zh = get_translations_from_apps("zh", apps=["sales_reengineering"])
		meta = frappe.get_meta("Sales Reengineering Settings")
		for df in meta.fields:
			if df.label:
				self.assertIn(df.label, zh, df.label)
		for role in ROLES:
			self.assertIn(role, zh, role)
