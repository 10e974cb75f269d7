// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.query_reports["KPI Ranking"] = {
	filters: [
		{ fieldname: "period_type", label: __("Period Type"), fieldtype: "Select", options: "Month\nQuarter", default: "Month", reqd: 1 },
		{ fieldname: "year", label: __("Year"), fieldtype: "Int", default: new Date().getFullYear(), reqd: 1 },
		{ fieldname: "period", label: __("Month or Quarter"), fieldtype: "Int", default: new Date().getMonth() || 12, reqd: 1 },
		{ fieldname: "level", label: __("Ranking Of"), fieldtype: "Select", options: "Individuals\nTeams", default: "Individuals", reqd: 1 },
	],
};
