// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.query_reports["Task Attainment"] = {
	filters: [
		{ fieldname: "period_type", label: __("Period Type"), fieldtype: "Select", options: "Quarter\nMonth", default: "Quarter", reqd: 1 },
		{ fieldname: "year", label: __("Year"), fieldtype: "Int", default: new Date().getFullYear(), reqd: 1 },
		{ fieldname: "period", label: __("Quarter or Month"), fieldtype: "Int", default: Math.floor(new Date().getMonth() / 3) + 1, reqd: 1 },
		{ fieldname: "sales_person", label: __("Sales Person"), fieldtype: "Link", options: "Sales Person" },
		{ fieldname: "template", label: __("KPI Template"), fieldtype: "Link", options: "KPI Template" },
	],
	tree: true,
	name_field: "sales_person",
	parent_field: "parent_sales_person",
	initial_depth: 3,
};
