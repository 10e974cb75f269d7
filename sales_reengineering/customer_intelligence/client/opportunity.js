// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

// Opportunity form: log a visit, call or meeting (client/activity.js).
frappe.ui.form.on("Opportunity", {
	refresh(frm) {
		sales_reengineering.activity.add_button(frm);
	},
});
