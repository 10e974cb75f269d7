// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.listview_settings["Sales Ranking"] = {
	onload(listview) {
		if (!frappe.model.can_write("Sales Ranking")) return;
		listview.page.add_inner_button(__("Compute Ranking"), () => {
			frappe.prompt(
				[
					{ fieldname: "period_type", label: __("Period Type"), fieldtype: "Select", options: "Month\nQuarter", default: "Month", reqd: 1 },
					{ fieldname: "year", label: __("Year"), fieldtype: "Int", default: new Date().getFullYear(), reqd: 1 },
					{ fieldname: "period", label: __("Month or Quarter"), fieldtype: "Int", reqd: 1 },
					{ fieldname: "level", label: __("Ranking Of"), fieldtype: "Select", options: "Individuals\nTeams", default: "Individuals", reqd: 1 },
				],
				(values) =>
					frappe
						.call({ method: "sales_reengineering.performance.ranking.recompute_ranking", args: values, freeze: true })
						.then((r) => !r.message.queued && frappe.set_route("Form", "Sales Ranking", r.message.name)),
				__("Compute Ranking")
			);
		});
	},
};
