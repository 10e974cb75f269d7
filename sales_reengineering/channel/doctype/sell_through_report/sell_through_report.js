// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Sell Through Report", {
	setup(frm) {
		frm.set_query("dealer", () => ({ filters: { status: "Active" } }));
	},
});
