// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.query_reports["Stuck Opportunities"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", default: frappe.defaults.get_user_default("Company") },
		{
			fieldname: "sales_person",
			label: __("Sales Person"),
			fieldtype: "Link",
			options: "Sales Person",
		},
		{
			fieldname: "territory",
			label: __("Territory"),
			fieldtype: "Link",
			options: "Territory",
		},
		{
			fieldname: "stuck_days",
			label: __("Stuck for at Least (Days)"),
			fieldtype: "Int",
			description: __("Leave empty to use Stuck Opportunity Days from Sales Reengineering Settings."),
		},
		{
			fieldname: "detail",
			label: __("Every Opportunity"),
			fieldtype: "Check",
			description: __("List every stuck opportunity instead of one row per salesperson (a whole company has thousands)."),
		},
	],
};
