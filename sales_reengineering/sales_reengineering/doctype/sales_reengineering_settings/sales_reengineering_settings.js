// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Sales Reengineering Settings", {
	refresh(frm) {
		frm.set_intro(
			__("Thresholds used by reminders, KPI scoring, rankings and deal protection."),
			"blue"
		);
		if (frappe.user.has_role("System Manager")) {
			frm.add_custom_button(__("Run Reminders Now"), () =>
				frappe
					.xcall("sales_reengineering.reminders.engine.run_now")
					.then((r) =>
						frappe.msgprint(
							__("{0} new reminders, {1} digests queued.", [r.created, r.digests])
						)
					)
			);
		}
	},
});
