// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("KPI Scorecard", {
	refresh(frm) {
		frm.disable_save();
		frm.add_custom_button(__("Refresh"), () => {
			frappe
				.call({
					method: "sales_reengineering.performance.scorecard.refresh_scorecard",
					args: { sales_task: frm.doc.sales_task },
					freeze: true,
				})
				.then(() => frm.reload_doc());
		});
		(frm.doc.rows || []).forEach((row) => {
			frm.add_custom_button(__(row.indicator), () => frm.events.drill_down(frm, row.indicator), __("Source Documents"));
		});
	},
	drill_down(frm, indicator) {
		frappe
			.call({
				method: "sales_reengineering.performance.scorecard.get_drilldown",
				args: { scorecard: frm.doc.name, indicator: indicator },
			})
			.then((r) => {
				const result = r.message;
				if (!result.doctype) {
					frappe.msgprint(__("This indicator has no source documents to list."));
				} else if (!result.names.length) {
					frappe.msgprint(__("No source documents in this period."));
				} else {
					if (result.truncated) {
						frappe.show_alert({
							message: __("Only the first {0} source documents are listed.", [result.names.length]),
							indicator: "orange",
						});
					}
					frappe.route_options = { name: ["in", result.names] };
					frappe.set_route("List", result.doctype);
				}
			});
	},
});
