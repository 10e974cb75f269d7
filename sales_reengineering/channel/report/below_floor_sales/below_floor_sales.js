// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.query_reports["Below-Floor Sales"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", reqd: 1, default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", reqd: 1, default: frappe.datetime.add_months(frappe.datetime.get_today(), -3) },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", reqd: 1, default: frappe.datetime.get_today() },
		{
			fieldname: "document_type",
			label: __("Document Type"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Sales Order", label: __("Sales Order") },
				{ value: "Sales Invoice", label: __("Sales Invoice") },
				{ value: "POS Invoice", label: __("POS Invoice") },
			],
		},
		{
			fieldname: "exception",
			label: __("Price Exception"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "With", label: __("With an Approved Exception") },
				{ value: "Without", label: __("Without an Approved Exception") },
			],
		},
		{ fieldname: "sales_person", label: __("Sales Person"), fieldtype: "Link", options: "Sales Person" },
		{ fieldname: "dealer", label: __("Dealer"), fieldtype: "Link", options: "Dealer" },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
		{ fieldname: "item_code", label: __("Item"), fieldtype: "Link", options: "Item" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "exception_status" && data && !data.exception) {
			value = `<span style="color: var(--red-600); font-weight: 600">${value}</span>`;
		}
		return value;
	},
};
