// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Sales Progress Snapshot", {
	refresh(frm) {
		frm.disable_save();
		if (!frm.is_new() && frappe.model.can_delete("Sales Progress Snapshot")) {
			frm.add_custom_button(__("Recompute Week"), () => {
				frappe.call({
					method: "sales_reengineering.customer_intelligence.progress.recompute_snapshots",
					args: { week_start: frm.doc.week_start },
					freeze: true,
					callback: () => frm.reload_doc(),
				});
			});
		}
	},
});
