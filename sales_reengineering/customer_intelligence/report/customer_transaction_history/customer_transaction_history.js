// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.query_reports["Customer Transaction History"] = {
	filters: [
		{
			fieldname: "customer",
			label: __("Customer"),
			fieldtype: "Link",
			options: "Customer",
			reqd: 1,
		},
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
		},
		{
			fieldname: "document_types",
			label: __("Document Types"),
			fieldtype: "MultiSelectList",
			get_data: () =>
				["Quotation", "Sales Order", "Sales Invoice", "Payment Entry", "Contract"].map((value) => ({
					value,
					description: __(value),
				})),
		},
	],
};
