// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("KPI Manual Entry", {
	refresh(frm) {
		frm.set_query("indicator", () => ({ filters: { source: "Manual", enabled: 1 } }));
	},
});
