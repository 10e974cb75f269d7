// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Telesales Call", {
	refresh(frm) {
		if (!frm.is_new() && frm.doc.status === "Open" && !frm.doc.conversion_name) {
			frm.add_custom_button(__("Create Opportunity"), () => {
				frappe.call({
					method: "sales_reengineering.customer_intelligence.telesales.make_opportunity",
					args: { call: frm.doc.name },
					freeze: true,
					callback: (r) => {
						frm.reload_doc();
						if (r.message) frappe.set_route("Form", "Opportunity", r.message);
					},
				});
			});
		}
		if (!frm.is_new()) {
			frm.add_custom_button(__("Transaction History"), () =>
				frappe.set_route("query-report", "Customer Transaction History", { customer: frm.doc.customer })
			);
		}
	},
});
