// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("KPI Template", {
	refresh(frm) {
		frm.set_query("indicator", "indicators", () => ({
			filters: { enabled: 1, party_type: frm.doc.applies_to === "Dealer" ? "Dealer" : "Sales Person" },
		}));
	},
	validate(frm) {
		frm.doc.total_weight = (frm.doc.indicators || []).reduce((sum, row) => sum + flt(row.weight), 0);
	},
});

frappe.ui.form.on("KPI Template Indicator", {
	weight(frm) {
		const total = (frm.doc.indicators || []).reduce((sum, row) => sum + flt(row.weight), 0);
		frm.set_value("total_weight", total);
	},
});
