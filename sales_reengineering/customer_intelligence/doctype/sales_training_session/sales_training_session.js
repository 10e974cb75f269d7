// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Sales Training Session", {
	setup(frm) {
		frm.set_query("programme", () => ({ filters: { active: 1 } }));
	},
	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new() && frappe.model.can_create("Sales Training Enrolment")) {
			frm.add_custom_button(__("Enrol Salespeople"), () => {
				const dialog = new frappe.ui.Dialog({
					title: __("Enrol Salespeople"),
					fields: [
						{
							fieldname: "sales_persons",
							fieldtype: "MultiSelectList",
							label: __("Sales Person"),
							reqd: 1,
							get_data: (txt) =>
								frappe.db.get_link_options("Sales Person", txt, { enabled: 1, is_group: 0 }),
						},
					],
					primary_action_label: __("Enrol"),
					primary_action(values) {
						frappe
							.call({
								method: "sales_reengineering.customer_intelligence.training.enrol",
								args: { session: frm.doc.name, sales_persons: values.sales_persons },
								freeze: true,
							})
							.then(() => {
								dialog.hide();
								frm.reload_doc();
							});
					},
				});
				dialog.show();
			});
		}
	},
});
