// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Reward Ledger Entry", {
	refresh(frm) {
		const pending = !frm.is_new() && frm.doc.status === "Pending";
		if (pending && (frappe.user.has_role("Sales Manager") || frappe.user.has_role("System Manager"))) {
			for (const [label, method] of [
				[__("Approve"), "approve"],
				[__("Reject"), "reject"],
			]) {
				frm.add_custom_button(label, () =>
					frappe
						.call({
							method: `sales_reengineering.performance.doctype.reward_ledger_entry.reward_ledger_entry.${method}`,
							args: { name: frm.doc.name },
						})
						.then(() => frm.reload_doc())
				);
			}
		}
		if (frm.doc.status && frm.doc.status !== "Pending") {
			frm.disable_form();
		}
	},
});
