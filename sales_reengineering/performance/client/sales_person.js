// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

// ERPNext's Sales Person form (hooks.py doctype_js): the person's score this quarter and their place in
// the latest ranking, next to the connections to their tasks, scorecards and rankings.
frappe.ui.form.on("Sales Person", {
	refresh(frm) {
		if (frm.is_new()) return;
		const sales_person = frm.doc.name;
		frappe
			.xcall("sales_reengineering.performance.sales_person.get_standing", { sales_person })
			.then((standing) => {
				if (frm.doc.name !== sales_person) return;
				if (standing.score !== undefined && standing.score !== null) {
					frm.dashboard.add_indicator(
						__("Score {0}: {1}", [
							standing.period,
							frappe.format(standing.score, { fieldtype: "Percent" }, { inline: true }),
						]),
						standing.beat_target ? "green" : "orange"
					);
				}
				if (standing.rank) {
					frm.dashboard.add_indicator(
						__("Rank {0} of {1} ({2})", [standing.rank, standing.ranked, standing.ranking_period]),
						standing.rank <= 3 ? "green" : "blue"
					);
				}
			});
	},
});
