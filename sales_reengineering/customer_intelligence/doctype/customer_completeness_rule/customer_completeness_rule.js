// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Customer Completeness Rule", {
	refresh(frm) {
		if (frappe.model.can_write("Customer Completeness Rule")) {
			frm.add_custom_button(__("Recompute All Customers"), () => {
				frappe.call({
					method: "sales_reengineering.customer_intelligence.completeness.recompute_completeness",
				});
			});
		}
	},
});
