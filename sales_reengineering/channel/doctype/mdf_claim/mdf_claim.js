// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("MDF Claim", {
	setup(frm) {
		// claims are made against approved funds only (the server refuses the others)
		frm.set_query("fund", () => ({ filters: { status: "Approved", docstatus: 1 } }));
	},
});
