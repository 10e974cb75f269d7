// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Opportunity Stage Log", {
	refresh(frm) {
		frm.disable_save();
	},
});
