// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Channel Price Policy", {
	item_code(frm) {
		if (frm.doc.item_code) frm.set_value("item_group", "");
	},
	item_group(frm) {
		if (frm.doc.item_group) frm.set_value("item_code", "");
	},
});
