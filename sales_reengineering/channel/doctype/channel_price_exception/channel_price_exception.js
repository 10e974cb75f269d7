// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Channel Price Exception", {
	setup(frm) {
		frm.set_query("reference_name", () => ({ filters: { docstatus: 0 } }));
	},
});
