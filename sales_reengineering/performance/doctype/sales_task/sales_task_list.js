// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.listview_settings["Sales Task"] = {
	onload(listview) {
		if (!frappe.model.can_create("Sales Task")) return;
		listview.page.add_inner_button(__("Create for a Team"), () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Create Sales Tasks for a Team"),
				fields: [
					{ fieldname: "team", label: __("Team"), fieldtype: "Link", options: "Sales Person", reqd: 1,
						get_query: () => ({ filters: { is_group: 1 } }) },
					{ fieldname: "template", label: __("KPI Template"), fieldtype: "Link", options: "KPI Template", reqd: 1 },
					{ fieldname: "period_type", label: __("Period Type"), fieldtype: "Select", options: "Quarter\nMonth", default: "Quarter", reqd: 1 },
					{ fieldname: "year", label: __("Year"), fieldtype: "Int", default: new Date().getFullYear(), reqd: 1 },
					{ fieldname: "period", label: __("Quarter or Month"), fieldtype: "Int", reqd: 1 },
				],
				primary_action_label: __("Create"),
				primary_action(values) {
					frappe
						.call({ method: "sales_reengineering.performance.doctype.sales_task.sales_task.create_team_tasks", args: values, freeze: true })
						.then((r) => {
							dialog.hide();
							frappe.msgprint(__("{0} tasks created, {1} skipped (already planned).", [r.message.created.length, r.message.skipped.length]));
							listview.refresh();
						});
				},
			});
			dialog.show();
		});
	},
};
