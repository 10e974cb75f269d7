// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Career Development Plan", {
	setup(frm) {
		frm.set_query("sales_person", () => ({ filters: { enabled: 1 } }));
	},
});
