// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Account Handover", {
	setup(frm) {
		frm.set_query("to_sales_person", () => ({ filters: { enabled: 1 } }));
		frm.set_query("customer", "customers", () => ({
			filters: { sr_sales_person: frm.doc.from_sales_person || "" },
		}));
	},
	refresh(frm) {
		if (frm.doc.status === "Failed") {
			frm.dashboard.set_headline_alert(__("The handover failed and nothing was moved."), "red");
		}
	},
});
