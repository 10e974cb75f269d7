// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.query_reports["Market Development Funds"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", reqd: 1, default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "fiscal_year", label: __("Fiscal Year"), fieldtype: "Link", options: "Fiscal Year", reqd: 1, default: frappe.defaults.get_user_default("fiscal_year") },
		{ fieldname: "dealer", label: __("Dealer"), fieldtype: "Link", options: "Dealer" },
	],
};
