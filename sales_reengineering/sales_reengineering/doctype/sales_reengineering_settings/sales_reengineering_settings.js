// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Sales Reengineering Settings", {
	refresh(frm) {
		frm.set_intro(
			__("Thresholds used by reminders, KPI scoring, rankings and deal protection."),
			"blue"
		);
	},
});
