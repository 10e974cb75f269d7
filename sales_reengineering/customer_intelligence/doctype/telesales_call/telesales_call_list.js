// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.listview_settings["Telesales Call"] = {
	onload(listview) {
		if (!frappe.model.can_create("Telesales Call")) return;
		listview.page.add_inner_button(__("Make Call List"), async () => {
			// offer the way the settings share the daily calls (Telesales Assignment Method) first
			const setting = await frappe.db.get_single_value(
				"Sales Reengineering Settings",
				"telesales_assignment_method"
			);
			frappe.prompt(
				{
					fieldname: "method",
					label: __("Assign"),
					fieldtype: "Select",
					options: [
						{ value: "load", label: __("By Load") },
						{ value: "round_robin", label: __("Round Robin") },
					],
					default: setting === "Round Robin" ? "round_robin" : "load",
				},
				(values) =>
					frappe.call({
						method: "sales_reengineering.customer_intelligence.telesales.generate_calls",
						args: values,
						callback: (r) => {
							frappe.show_alert(__("{0} calls added.", [r.message || 0]));
							listview.refresh();
						},
					}),
				__("Make Call List")
			);
		});
	},
};
