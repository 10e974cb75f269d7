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
		if (!frm.is_new() && frm.doc.status === "Open" && !frm.doc.conversion_name) {
			const convert = [
				["Quotation", __("Create Quotation"), "make_quotation"],
				["Sales Order", __("Create Sales Order"), "make_sales_order"],
			];
			for (const [doctype, label, method] of convert) {
				if (!frappe.model.can_create(doctype)) continue;
				frm.add_custom_button(label, () => convert_call(frm, doctype, method), __("Convert"));
			}
		}
		if (!frm.is_new()) {
			frm.add_custom_button(__("Transaction History"), () =>
				frappe.set_route("query-report", "Customer Transaction History", { customer: frm.doc.customer })
			);
		}
	},
});

// Ask for the items (a rate is optional: the customer's price list fills it) and make a draft Quotation
// or Sales Order for the call's customer; the call records it as its conversion.
function convert_call(frm, doctype, method) {
	const fields = [
		{
			fieldname: "items",
			label: __("Items"),
			fieldtype: "Table",
			reqd: 1,
			in_place_edit: true,
			data: [{ qty: 1 }],
			fields: [
				{ fieldname: "item_code", label: __("Item"), fieldtype: "Link", options: "Item", reqd: 1, in_list_view: 1 },
				{ fieldname: "qty", label: __("Quantity"), fieldtype: "Float", reqd: 1, default: 1, in_list_view: 1 },
				{ fieldname: "rate", label: __("Rate"), fieldtype: "Currency", in_list_view: 1 },
			],
		},
	];
	if (doctype === "Sales Order") {
		fields.push({
			fieldname: "delivery_date",
			label: __("Delivery Date"),
			fieldtype: "Date",
			reqd: 1,
			default: frappe.datetime.add_days(frappe.datetime.get_today(), 7),
		});
	}
	const dialog = new frappe.ui.Dialog({
		title: doctype === "Quotation" ? __("Create Quotation") : __("Create Sales Order"),
		fields,
		primary_action_label: __("Create"),
		primary_action(values) {
			const items = (values.items || [])
				.filter((row) => row.item_code)
				.map((row) => ({ item_code: row.item_code, qty: row.qty, rate: row.rate || null }));
			const args = { call: frm.doc.name, items: JSON.stringify(items) };
			if (values.delivery_date) args.delivery_date = values.delivery_date;
			frappe.call({
				method: `sales_reengineering.customer_intelligence.call_conversion.${method}`,
				args,
				freeze: true,
				callback: (r) => {
					dialog.hide();
					frm.reload_doc();
					if (r.message) frappe.set_route("Form", doctype, r.message);
				},
			});
		},
	});
	dialog.show();
}
