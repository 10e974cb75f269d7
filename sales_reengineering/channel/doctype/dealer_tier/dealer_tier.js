// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Dealer Tier", {
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Dealers"), () =>
				frappe.set_route("List", "Dealer", { dealer_tier: frm.doc.name })
			);
		}
	},
});
