// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Sales Task", {
	refresh(frm) {
		frm.set_query("template", () => ({
			filters: { enabled: 1, applies_to: frm.doc.assignee_type === "Dealer" ? "Dealer" : ["!=", "Dealer"] },
		}));
		if (frm.doc.docstatus === 1) {
			frm.add_custom_button(__("Refresh Scorecard"), () => {
				frappe
					.call({
						method: "sales_reengineering.performance.scorecard.refresh_scorecard",
						args: { sales_task: frm.doc.name },
						freeze: true,
					})
					.then((r) => r.message && frappe.set_route("Form", "KPI Scorecard", r.message));
			});
		}
	},
	template(frm) {
		frm.clear_table("targets");
		if (!frm.doc.template) return frm.refresh_field("targets");
		frappe.model.with_doc("KPI Template", frm.doc.template, () => {
			const template = frappe.get_doc("KPI Template", frm.doc.template);
			(template.indicators || []).forEach((row) => {
				frm.add_child("targets", {
					indicator: row.indicator,
					weight: row.weight,
					target: row.default_target,
					unit: row.unit,
					higher_is_better: row.higher_is_better,
				});
			});
			frm.refresh_field("targets");
		});
	},
});
