// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.query_reports["Rewards Ledger"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.year_start(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "sales_person",
			label: __("Sales Person"),
			fieldtype: "Link",
			options: "Sales Person",
		},
		{
			fieldname: "show_history",
			label: __("Show History"),
			fieldtype: "Check",
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		return data && data.is_team ? value.bold() : value;
	},
	onload(report) {
		// drill down: a person's history
		report.page.add_inner_button(__("History of the Selected Person"), () => {
			const person = report.get_filter_value("sales_person");
			if (!person) {
				frappe.msgprint(__("Choose a Sales Person first."));
				return;
			}
			report.set_filter_value("show_history", 1);
		});
	},
};
