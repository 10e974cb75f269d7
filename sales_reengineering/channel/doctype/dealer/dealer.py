# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils.nestedset import NestedSet

from sales_reengineering.scope.dealers import get_branch, sync_customer_portal_users
from sales_reengineering.core.channel_hierarchy import PARENT_LEVEL, is_group_level, parent_level_error
from sales_reengineering.exceptions import (
	DealerHierarchyError,
	DealerInUseError,
	DealerPortalUserError,
	DealerStatusError,
)

# website roles of a dealer's portal users: this app's portal, and ERPNext's customer portal pages
PORTAL_ROLES = ("Dealer", "Customer")
# status -> the fields a dealer in that status must have
REQUIRED_FOR_STATUS = {
	"Active": ("customer", "territory"),
	"Suspended": ("customer", "territory"),
}
# doctype -> its field linking to Dealer: documents that make a dealer impossible to delete
TRANSACTION_LINKS = {
	"Deal Registration": "dealer",
	"Sell Through Report": "dealer",
}


class Dealer(NestedSet):
	nsm_parent_field = "parent_dealer"

	def validate(self):
		self.validate_level()
		self.validate_parent()
		self.validate_level_change()
		self.validate_status_requirements()
		self.validate_agreement()
		self.validate_portal_users()

	def on_update(self):
		super().on_update()
		self.grant_portal_roles()
		self.sync_customer_portal_users()

	def on_trash(self):
		self.validate_no_children()
		self.validate_no_transactions()
		super().on_trash()

	def validate_level(self):
		if self.dealer_level not in PARENT_LEVEL:
			frappe.throw(_("Unknown dealer level {0}.").format(self.dealer_level), DealerHierarchyError)
		self.is_group = int(is_group_level(self.dealer_level))

	def validate_parent(self):
		if self.parent_dealer and self.parent_dealer == self.name:
			frappe.throw(_("A dealer cannot be its own parent."), DealerHierarchyError)
		parent = (
			frappe.db.get_value("Dealer", self.parent_dealer, ["dealer_level", "lft", "rgt"], as_dict=True)
			if self.parent_dealer
			else None
		)
		if self.parent_dealer and not parent:
			frappe.throw(
				_("Parent dealer {0} does not exist.").format(self.parent_dealer), DealerHierarchyError
			)
		if parent and not self.is_new() and self.lft and self.lft < parent.lft < self.rgt:
			frappe.throw(
				_("Dealer {0} cannot be moved under {1}, which belongs to its own branch.").format(
					self.name, self.parent_dealer
				),
				DealerHierarchyError,
			)
		error = parent_level_error(self.dealer_level, parent.dealer_level if parent else None)
		if error == "no_parent_allowed":
			frappe.throw(
				_("A {0} answers only to the company and cannot have a parent dealer.").format(
					_(self.dealer_level)
				),
				DealerHierarchyError,
			)
		if error in ("parent_required", "wrong_parent_level"):
			frappe.throw(
				_("A {0} must sit under a {1}, not under {2}.").format(
					_(self.dealer_level),
					_(PARENT_LEVEL[self.dealer_level]),
					_(parent.dealer_level) if parent else _("nothing"),
				),
				DealerHierarchyError,
			)

	def validate_level_change(self):
		if self.is_new() or not self.has_value_changed("dealer_level"):
			return
		if frappe.db.exists("Dealer", {"parent_dealer": self.name}):
			frappe.throw(
				_("Dealer {0} has dealers under it, so its level cannot change. Move them first.").format(
					self.name
				),
				DealerHierarchyError,
			)

	def validate_status_requirements(self):
		missing = [
			_(self.meta.get_label(fieldname))
			for fieldname in REQUIRED_FOR_STATUS.get(self.status, ())
			if not self.get(fieldname)
		]
		if missing:
			frappe.throw(
				_("A dealer with status {0} needs: {1}.").format(_(self.status), ", ".join(missing)),
				DealerStatusError,
			)

	def validate_agreement(self):
		if not self.agreement:
			return
		party_type, party_name = frappe.db.get_value(
			"Contract", self.agreement, ["party_type", "party_name"]
		) or (None, None)
		if party_type != "Customer" or not self.customer or party_name != self.customer:
			frappe.throw(
				_("Agreement {0} must be a contract with this dealer's customer {1}.").format(
					self.agreement, self.customer or _("(not set)")
				),
				DealerStatusError,
			)

	def validate_portal_users(self):
		users = [row.user for row in self.portal_users]
		duplicates = {user for user in users if users.count(user) > 1}
		if duplicates:
			frappe.throw(
				_("User {0} is listed twice.").format(", ".join(sorted(duplicates))), DealerPortalUserError
			)
		if not users:
			return
		not_website = frappe.get_all(
			"User", filters={"name": ("in", users), "user_type": ("!=", "Website User")}, pluck="name"
		)
		if not_website:
			frappe.throw(
				_("Portal users must be website users; {0} is a desk user.").format(
					", ".join(sorted(not_website))
				),
				DealerPortalUserError,
			)
		elsewhere = frappe.get_all(
			"Dealer Portal User",
			filters={"user": ("in", users), "parenttype": "Dealer", "parent": ("!=", self.name)},
			fields=["user", "parent"],
		)
		if elsewhere:
			frappe.throw(
				_("User {0} is already a portal user of dealer {1}.").format(
					elsewhere[0].user, elsewhere[0].parent
				),
				DealerPortalUserError,
			)

	def grant_portal_roles(self):
		"""Dealer (this app's portal) and Customer (ERPNext's quotation, order and invoice pages)."""
		users = [row.user for row in self.portal_users]
		if not users:
			return
		have = frappe.get_all(
			"Has Role",
			filters={"parent": ("in", users), "parenttype": "User", "role": ("in", PORTAL_ROLES)},
			fields=["parent", "role"],
		)
		have = {(row.parent, row.role) for row in have}
		for user in set(users):
			missing = [role for role in PORTAL_ROLES if (user, role) not in have]
			if missing:
				user_doc = frappe.get_doc("User", user)
				user_doc.flags.ignore_permissions = True
				user_doc.add_roles(*missing)

	def sync_customer_portal_users(self):
		before = self.get_doc_before_save()
		removed = (
			{row.user for row in before.portal_users} - {row.user for row in self.portal_users}
			if before
			else set()
		)
		old_customer = before.customer if before and before.customer != self.customer else None
		sync_customer_portal_users(
			get_branch(self.name), removed_users=list(removed), old_customers=[old_customer]
		)

	def validate_no_children(self):
		if frappe.db.exists("Dealer", {"parent_dealer": self.name}):
			frappe.throw(
				_("Dealer {0} has dealers under it. Move or delete them first.").format(self.name),
				DealerInUseError,
			)

	def validate_no_transactions(self):
		for doctype, fieldname in TRANSACTION_LINKS.items():
			if frappe.db.exists("DocType", doctype) and frappe.db.exists(doctype, {fieldname: self.name}):
				frappe.throw(
					_(
						"Dealer {0} has {1} records and cannot be deleted. Set its status to Terminated."
					).format(self.name, _(doctype)),
					DealerInUseError,
				)
		if self.customer and frappe.db.exists("Sales Invoice", {"customer": self.customer, "docstatus": 1}):
			frappe.throw(
				_(
					"Dealer {0} has sales invoices and cannot be deleted. Set its status to Terminated."
				).format(self.name),
				DealerInUseError,
			)


def on_doctype_update():
	frappe.db.add_index("Dealer", ["lft", "rgt"])
