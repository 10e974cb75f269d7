// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Dealer Tier Review", {
	refresh(frm) {
		if (frm.doc.docstatus === 0) {
			frm.add_custom_button(__("Get Proposals"), () =>
				frm.call("get_proposals").then(() => frm.refresh_field("items"))
			);
		}
	},
});
