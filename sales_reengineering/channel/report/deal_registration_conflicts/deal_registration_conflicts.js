// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.query_reports["Deal Registration Conflicts"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.add_months(frappe.datetime.get_today(), -3) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today() },
		{ fieldname: "dealer", label: __("Dealer"), fieldtype: "Link", options: "Dealer" },
		{ fieldname: "status", label: __("Status"), fieldtype: "Select", options: "\nPending Approval\nApproved\nRejected\nExpired" },
		{ fieldname: "conflict_type", label: __("Conflicts With"), fieldtype: "Select", options: "\nDealer Protection\nPending Registration\nDirect Opportunity" },
	],
};
