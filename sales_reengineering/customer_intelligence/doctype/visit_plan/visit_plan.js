// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Visit Plan", {
	refresh(frm) {
		if (frm.doc.docstatus === 1) {
			frm.add_custom_button(__("Plan vs Actual"), () => {
				frappe.set_route("query-report", "Plan vs Actual", {
					from_date: frm.doc.week_start,
					to_date: frm.doc.week_end,
					sales_person: frm.doc.sales_person,
				});
			});
		}
	},
});
