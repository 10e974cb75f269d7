// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

// "Log Activity" on Customer, Opportunity and Dealer: a visit, call or meeting becomes an Event linked
// to the document (see customer_intelligence/activity.py). Loaded before each form's own script.
frappe.provide("sales_reengineering.activity");

sales_reengineering.activity.add_button = function (frm) {
	if (frm.is_new() || !frappe.model.can_create("Event")) return;
	frm.add_custom_button(__("Log Activity"), () => sales_reengineering.activity.open_dialog(frm));
};

sales_reengineering.activity.open_dialog = function (frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Log Activity"),
		fields: [
			{
				fieldname: "activity_type",
				label: __("Activity Type"),
				fieldtype: "Select",
				options: [
					{ value: "Visit", label: __("Visit") },
					{ value: "Call", label: __("Call") },
					{ value: "Meeting", label: __("Meeting") },
					{ value: "Other", label: __("Other") },
				],
				default: "Visit",
				reqd: 1,
			},
			{ fieldname: "subject", label: __("Subject"), fieldtype: "Data", reqd: 1 },
			{ fieldname: "column_break", fieldtype: "Column Break" },
			{
				fieldname: "starts_on",
				label: __("When"),
				fieldtype: "Datetime",
				default: frappe.datetime.now_datetime(),
				reqd: 1,
			},
			{ fieldname: "notes_section", fieldtype: "Section Break" },
			{ fieldname: "notes", label: __("Notes"), fieldtype: "Small Text" },
		],
		primary_action_label: __("Log"),
		primary_action(values) {
			frappe
				.call({
					method: "sales_reengineering.customer_intelligence.activity.log_activity",
					args: { reference_doctype: frm.doctype, reference_name: frm.docname, ...values },
					freeze: true,
				})
				.then(() => {
					dialog.hide();
					frappe.show_alert({ message: __("Activity logged."), indicator: "green" });
					frm.reload_doc();
				});
		},
	});
	dialog.show();
};
