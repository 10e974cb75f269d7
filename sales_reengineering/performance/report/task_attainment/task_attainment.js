// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.query_reports["Task Attainment"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "period_type", label: __("Period Type"), fieldtype: "Select", options: "Quarter\nMonth", default: "Quarter", reqd: 1 },
		{ fieldname: "year", label: __("Year"), fieldtype: "Int", default: new Date().getFullYear(), reqd: 1 },
		{ fieldname: "period", label: __("Quarter or Month"), fieldtype: "Int", default: Math.floor(new Date().getMonth() / 3) + 1, reqd: 1 },
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Sales Person", label: __("Sales Person") },
				{ value: "Territory", label: __("Territory") },
			],
			default: "Sales Person",
			reqd: 1,
		},
		{ fieldname: "sales_person", label: __("Sales Person"), fieldtype: "Link", options: "Sales Person" },
		{ fieldname: "territory", label: __("Territory"), fieldtype: "Link", options: "Territory", depends_on: "eval:doc.group_by == 'Territory'" },
		{ fieldname: "template", label: __("KPI Template"), fieldtype: "Link", options: "KPI Template" },
		{
			fieldname: "live",
			label: __("Live"),
			fieldtype: "Check",
			description: __("Evaluate every task now instead of reading the saved KPI Scorecards (slow for a whole company)."),
		},
	],
	tree: true,
	// every row carries its parent node (a Sales Person or a Territory, after "Group By")
	parent_field: "parent_node",
	initial_depth: 3,
};
