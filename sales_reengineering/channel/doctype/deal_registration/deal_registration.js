// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Deal Registration", {
	setup(frm) {
		frm.set_query("dealer", () => ({ filters: { status: "Active" } }));
	},
	refresh(frm) {
		if (
			frm.doc.docstatus === 1 &&
			frm.doc.status === "Approved" &&
			(frappe.user.has_role("Channel Manager") || frappe.user.has_role("System Manager"))
		) {
			frm.add_custom_button(__("Extend Protection"), () => {
				frappe.prompt(
					{ fieldname: "until", fieldtype: "Date", label: __("Protected Until"), reqd: 1 },
					({ until }) =>
						frappe
							.xcall(
								"sales_reengineering.channel.doctype.deal_registration.deal_registration.extend_protection",
								{ registration: frm.doc.name, until }
							)
							.then(() => frm.reload_doc()),
					__("Extend Protection")
				);
			});
		}
		if (frm.doc.has_conflict) {
			const types = new Set((frm.doc.conflicts || []).map((row) => row.conflict_type));
			const messages = [];
			if (types.has("Dealer Protection") || types.has("Direct Opportunity")) {
				messages.push(
					__("This end customer is already protected for another dealer or owned by a direct opportunity. See Conflicts.")
				);
			}
			if (types.has("Pending Registration")) {
				// both sides of a clash show it before either is approved
				messages.push(
					__("Another dealer's registration of the same end customer is also waiting for approval; approve at most one of them. See Conflicts.")
				);
			}
			frm.dashboard.set_headline_alert(messages.join("<br>"), "orange");
		}
	},
	customer(frm) {
		frm.toggle_reqd(["company_name", "city"], !frm.doc.customer);
	},
});

frappe.ui.form.on("Deal Registration Item", {
	qty: (frm, cdt, cdn) => update_amount(frm, cdt, cdn),
	rate: (frm, cdt, cdn) => update_amount(frm, cdt, cdn),
});

function update_amount(frm, cdt, cdn) {
	const row = locals[cdt][cdn];
	frappe.model.set_value(cdt, cdn, "amount", flt(row.qty) * flt(row.rate));
	frm.set_value(
		"total_amount",
		(frm.doc.items || []).reduce((total, item) => total + flt(item.amount), 0)
	);
}
