// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

const PARENT_LEVEL = {
	"Provincial Dealer": "General Agent",
	"Sub-Dealer": "Provincial Dealer",
};

frappe.ui.form.on("Dealer", {
	setup(frm) {
		frm.set_query("parent_dealer", () => ({
			filters: {
				dealer_level: PARENT_LEVEL[frm.doc.dealer_level] || "",
				name: ["!=", frm.doc.name || ""],
			},
		}));
		frm.set_query("agreement", () => ({
			filters: { party_type: "Customer", party_name: frm.doc.customer || "" },
		}));
	},
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Deal Registrations"), () =>
				frappe.set_route("List", "Deal Registration", { dealer: frm.doc.name })
			);
			// customer_intelligence/client/activity.js, added to this form by hooks.py doctype_js
			sales_reengineering.activity.add_button(frm);
		}
	},
	dealer_level(frm) {
		frm.toggle_reqd("parent_dealer", !!PARENT_LEVEL[frm.doc.dealer_level]);
		if (!PARENT_LEVEL[frm.doc.dealer_level]) {
			frm.set_value("parent_dealer", "");
		}
	},
});
