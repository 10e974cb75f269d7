// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.ui.form.on("KPI Indicator", {
	refresh(frm) {
		frm.set_query("ref_doctype", () => ({ filters: { istable: 0, issingle: 0 } }));
		frm.toggle_enable(["unit", "higher_is_better", "rollup_method"], frm.doc.source !== "Built-in" || frm.is_new());
		if (frm.doc.source === "Custom" && frm.doc.ref_doctype) {
			frm.trigger("show_field_names");
		}
		// a built-in's description is stored in English: show it in the user's language instead
		const description = frm.doc.source === "Built-in" && frm.doc.description;
		const translated = description && __(description) !== description;
		frm.toggle_display("description", !translated);
		if (translated) {
			frm.set_intro(__(description), "blue");
		}
	},
	ref_doctype(frm) {
		frm.trigger("show_field_names");
	},
	show_field_names(frm) {
		if (!frm.doc.ref_doctype) return;
		frappe.model.with_doctype(frm.doc.ref_doctype, () => {
			const fields = frappe.get_meta(frm.doc.ref_doctype).fields;
			const pick = (types, options) =>
				fields
					.filter((df) => types.includes(df.fieldtype) && (!options || df.options === options))
					.map((df) => `${df.fieldname} (${__(df.label)})`)
					.join(", ");
			frm.set_df_property("date_field", "description", pick(["Date", "Datetime"]) + ", creation");
			frm.set_df_property("person_field", "description", pick(["Link"], frm.doc.party_type));
			frm.set_df_property(
				"value_field",
				"description",
				pick(["Int", "Float", "Currency", "Percent", "Rating", "Check"])
			);
		});
	},
});
