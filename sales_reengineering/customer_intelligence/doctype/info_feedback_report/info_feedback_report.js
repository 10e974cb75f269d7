// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Info Feedback Report", {
	setup(frm) {
		frm.set_query("sales_person", () => ({ filters: { enabled: 1 } }));
	},
	refresh(frm) {
		const reviewer = frappe.user.has_role("Sales Manager") || frappe.user.has_role("System Manager");
		["quality_rating", "reward_points", "review_comment"].forEach((field) =>
			frm.set_df_property(field, "read_only", reviewer ? 0 : 1)
		);
	},
});
