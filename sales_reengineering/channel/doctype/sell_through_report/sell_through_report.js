// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Sell Through Report", {
	setup(frm) {
		frm.set_query("dealer", () => ({ filters: { status: "Active" } }));
	},
});

frappe.ui.form.on("Sell Through Report Item", {
	// the amount follows the resale rate, as the server completes it
	resale_rate(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		if (flt(row.resale_rate) >= 0 && flt(row.qty) > 0) {
			frappe.model.set_value(cdt, cdn, "amount", flt(row.qty) * flt(row.resale_rate));
		}
	},
	qty(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		if (flt(row.resale_rate) > 0) {
			frappe.model.set_value(cdt, cdn, "amount", flt(row.qty) * flt(row.resale_rate));
		}
	},
});
