// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Sales Training Enrolment", {
	setup(frm) {
		frm.set_query("session", () => ({ filters: { docstatus: 0 } }));
		frm.set_query("sales_person", () => ({ filters: { enabled: 1, is_group: 0 } }));
	},
});
