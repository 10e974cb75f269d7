// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Market Development Fund", {
	setup(frm) {
		frm.set_query("dealer", () => ({ filters: { status: "Active" } }));
	},
	refresh(frm) {
		if (frm.doc.status === "Approved" && flt(frm.doc.approved_amount) > flt(frm.doc.claimed_amount)) {
			frm.add_custom_button(__("Claim"), () => {
				frappe.new_doc("MDF Claim", { fund: frm.doc.name });
			});
		}
	},
});

frappe.ui.form.on("Market Development Fund Activity", {
	// the request follows the plan, as the server computes it
	planned_cost(frm) {
		frm.set_value(
			"requested_amount",
			(frm.doc.activities || []).reduce((total, row) => total + flt(row.planned_cost), 0)
		);
	},
	activities_remove(frm) {
		frm.trigger("planned_cost");
	},
});
