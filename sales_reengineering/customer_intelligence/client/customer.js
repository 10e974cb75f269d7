// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

// Customer form: data completeness at a glance, the transaction history one click away and a
// "Log Activity" button (client/activity.js).
frappe.ui.form.on("Customer", {
	refresh(frm) {
		if (frm.is_new()) return;
		sales_reengineering.activity.add_button(frm);
		frm.add_custom_button(
			__("Transaction History"),
			() => frappe.set_route("query-report", "Customer Transaction History", { customer: frm.doc.name }),
			__("View")
		);
		const predicted = frm.doc.sr_predicted_next_purchase;
		if (predicted) {
			const overdue = frappe.datetime.get_diff(frappe.datetime.get_today(), predicted) > 0;
			frm.dashboard.add_indicator(
				__("Next purchase expected: {0}", [frappe.datetime.str_to_user(predicted)]),
				overdue ? "orange" : "blue"
			);
		}
		const score = frm.doc.sr_completeness_score;
		if (score === undefined || score === null) return;
		const missing = (frm.doc.sr_completeness_missing || "").split("\n").filter(Boolean);
		const color = score >= 80 ? "green" : score >= 50 ? "orange" : "red";
		let message = __("Data completeness: {0}%", [flt(score, 0)]);
		if (missing.length) {
			message += " · " + __("Missing: {0}", [missing.map((item) => frappe.utils.escape_html(__(item))).join(", ")]);
		}
		frm.dashboard.set_headline_alert(message, color);
		if (frm.doc.sr_needs_handover) {
			frm.dashboard.add_comment(__("The responsible salesperson is inactive: hand this account over."), "red", true);
		}
	},
});
