// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.listview_settings["Customer Completeness Rule"] = {
	onload(listview) {
		if (frappe.model.can_write("Customer Completeness Rule")) {
			listview.page.add_inner_button(__("Recompute All Customers"), () => {
				frappe.call({
					method: "sales_reengineering.customer_intelligence.completeness.recompute_completeness",
				});
			});
		}
	},
};
