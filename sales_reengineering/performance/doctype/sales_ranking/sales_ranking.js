// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("Sales Ranking", {
	refresh(frm) {
		frm.disable_save();
		if (frm.is_new() || !frappe.model.can_write("Sales Ranking")) return;
		frm.add_custom_button(__("Recompute"), () => {
			const [year, period] = frm.doc.period_label.replace("Q", "").split("-");
			frappe
				.call({
					method: "sales_reengineering.performance.ranking.recompute_ranking",
					args: { period_type: frm.doc.period_type, year: cint(year), period: cint(period), level: frm.doc.level },
					freeze: true,
				})
				.then((r) => !r.message.queued && frm.reload_doc());
		});
	},
});
