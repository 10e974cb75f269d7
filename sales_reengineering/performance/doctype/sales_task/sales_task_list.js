// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.listview_settings["Sales Task"] = {
	onload(listview) {
		if (frappe.model.can_create("Sales Task")) {
			listview.page.add_inner_button(__("Create for a Team"), () => create_team_tasks(listview));
		}
		// the server checks the same roles (performance/quota.py)
		if (frappe.user.has_role(["Sales Manager", "System Manager"])) {
			listview.page.add_inner_button(__("Suggest Quotas"), () => suggest_quotas(listview));
		}
	},
};

function create_team_tasks(listview) {
	const dialog = new frappe.ui.Dialog({
		title: __("Create Sales Tasks for a Team"),
		fields: [
			{ fieldname: "team", label: __("Team"), fieldtype: "Link", options: "Sales Person", reqd: 1,
				get_query: () => ({ filters: { is_group: 1 } }) },
			{ fieldname: "template", label: __("KPI Template"), fieldtype: "Link", options: "KPI Template", reqd: 1 },
			{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", reqd: 1,
				default: frappe.defaults.get_user_default("Company") },
			{ fieldname: "period_type", label: __("Period Type"), fieldtype: "Select", options: "Quarter\nMonth", default: "Quarter", reqd: 1 },
			{ fieldname: "year", label: __("Year"), fieldtype: "Int", default: new Date().getFullYear(), reqd: 1 },
			{ fieldname: "period", label: __("Quarter or Month"), fieldtype: "Int", reqd: 1 },
		],
		primary_action_label: __("Create"),
		primary_action(values) {
			frappe
				.call({ method: "sales_reengineering.performance.doctype.sales_task.sales_task.create_team_tasks", args: values, freeze: true })
				.then((r) => {
					dialog.hide();
					frappe.msgprint(__("{0} tasks created, {1} skipped (already planned).", [r.message.created.length, r.message.skipped.length]));
					listview.refresh();
				});
		},
	});
	dialog.show();
}

const QUOTA_API = "sales_reengineering.performance.quota";

function next_quarter() {
	const today = new Date();
	const quarter = Math.floor(today.getMonth() / 3) + 1;
	return quarter === 4 ? [today.getFullYear() + 1, 1] : [today.getFullYear(), quarter + 1];
}

function suggest_quotas(listview) {
	const [year, quarter] = next_quarter();
	const people = [];
	const territories = [];

	const dialog = new frappe.ui.Dialog({
		title: __("Suggest Quotas"),
		size: "extra-large",
		fields: [
			{ fieldname: "team", label: __("Team or Sales Person"), fieldtype: "Link", options: "Sales Person",
				description: __("Every enabled salesperson under it gets a suggestion.") },
			{ fieldname: "territory", label: __("Territory"), fieldtype: "Link", options: "Territory",
				description: __("Every territory under it gets a suggestion, for information.") },
			{ fieldtype: "Column Break" },
			{ fieldname: "year", label: __("Year"), fieldtype: "Int", default: year, reqd: 1 },
			{ fieldname: "quarter", label: __("Quarter"), fieldtype: "Select", options: "1\n2\n3\n4", default: String(quarter), reqd: 1 },
			{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", reqd: 1,
				default: frappe.defaults.get_user_default("Company") },
			{ fieldtype: "Column Break" },
			{ fieldname: "template", label: __("KPI Template"), fieldtype: "Link", options: "KPI Template",
				get_query: () => ({ filters: { applies_to: "Salesperson", enabled: 1 } }),
				onchange: () => load_indicators(dialog) },
			{ fieldname: "indicator", label: __("Indicator"), fieldtype: "Select", options: "Net Sales", default: "Net Sales",
				description: __("The accepted amount becomes the target of this indicator.") },
			{ fieldname: "get_suggestions", label: __("Get Suggestions"), fieldtype: "Button", click: () => load_suggestions() },
			{ fieldtype: "Section Break", label: __("Salespeople") },
			{
				fieldname: "suggestions",
				fieldtype: "Table",
				cannot_add_rows: true,
				in_place_edit: true,
				data: people,
				get_data: () => people,
				description: __("Edit the accepted amount as needed; rows without an accepted amount above 0 are left out. Accepting writes the amount into each salesperson's draft Sales Task for the quarter (created when missing); approved tasks are not changed."),
				fields: [
					{ fieldname: "sales_person", label: __("Sales Person"), fieldtype: "Link", options: "Sales Person", read_only: 1, in_list_view: 1, columns: 2 },
					{ fieldname: "suggested_amount", label: __("Suggested Amount"), fieldtype: "Float", precision: 2, read_only: 1, in_list_view: 1, columns: 2 },
					{ fieldname: "accepted_amount", label: __("Accepted Amount"), fieldtype: "Float", precision: 2, in_list_view: 1, columns: 2 },
					{ fieldname: "basis", label: __("Basis"), fieldtype: "Small Text", read_only: 1, in_list_view: 1, columns: 4 },
				],
			},
			{ fieldtype: "Section Break", label: __("Territories"), collapsible: 0 },
			{
				fieldname: "territory_suggestions",
				fieldtype: "Table",
				read_only: 1,
				cannot_add_rows: true,
				cannot_delete_rows: true,
				data: territories,
				get_data: () => territories,
				description: __("For information only: a Sales Task is assigned to a Sales Person or a Dealer, never to a territory, so these figures are not written. Compare them with the quotas of the territory's salespeople."),
				fields: [
					{ fieldname: "territory", label: __("Territory"), fieldtype: "Link", options: "Territory", read_only: 1, in_list_view: 1, columns: 3 },
					{ fieldname: "suggested_amount", label: __("Suggested Amount"), fieldtype: "Float", precision: 2, read_only: 1, in_list_view: 1, columns: 2 },
					{ fieldname: "basis", label: __("Basis"), fieldtype: "Small Text", read_only: 1, in_list_view: 1, columns: 5 },
				],
			},
			{ fieldtype: "Section Break", label: __("Basis of Each Figure"), collapsible: 1 },
			{ fieldname: "basis_html", fieldtype: "HTML" },
		],
		primary_action_label: __("Accept Quotas"),
		primary_action: () => accept(),
	});

	function load_suggestions() {
		const values = dialog.get_values();
		if (!values) return;
		if (!values.team && !values.territory) {
			frappe.msgprint(__("Choose a team (Sales Person) or a territory."));
			return;
		}
		frappe
			.call({
				method: `${QUOTA_API}.get_quota_suggestions`,
				args: { year: values.year, quarter: values.quarter, team: values.team, territory: values.territory, company: values.company },
				freeze: true,
				freeze_message: __("Computing suggestions..."),
			})
			.then((r) => {
				const rows = r.message || [];
				people.length = 0;
				territories.length = 0;
				rows.forEach((row) => {
					const item = { suggested_amount: row.amount, basis: row.basis_text };
					if (row.party_type === "Territory") {
						territories.push({ ...item, territory: row.party });
					} else {
						// a suggestion of 0 has no history behind it: the manager sets the figure by hand
						people.push({ ...item, sales_person: row.party, accepted_amount: row.amount > 0 ? row.amount : null });
					}
				});
				dialog.fields_dict.suggestions.grid.refresh();
				dialog.fields_dict.territory_suggestions.grid.refresh();
				dialog.fields_dict.basis_html.$wrapper.html(basis_html(rows));
				if (!rows.length) frappe.show_alert({ message: __("Nothing to suggest for this choice."), indicator: "orange" });
			});
	}

	function accept() {
		const values = dialog.get_values();
		if (!values) return;
		if (!values.template) {
			frappe.msgprint(__("Choose the KPI Template of the Sales Tasks."));
			return;
		}
		const amounts = {};
		people.forEach((row) => {
			if (flt(row.accepted_amount) > 0) amounts[row.sales_person] = flt(row.accepted_amount);
		});
		if (!Object.keys(amounts).length) {
			frappe.msgprint(__("There is no accepted amount above 0 to write."));
			return;
		}
		frappe
			.call({
				method: `${QUOTA_API}.accept_quota_suggestions`,
				type: "POST",
				args: {
					template: values.template,
					year: values.year,
					quarter: values.quarter,
					company: values.company,
					indicator: values.indicator,
					amounts: JSON.stringify(amounts),
				},
				freeze: true,
			})
			.then((r) => {
				const result = r.message;
				dialog.hide();
				const links = (names) => names.map((name) => frappe.utils.get_form_link("Sales Task", name, true)).join(", ");
				const lines = [
					__("{0} Sales Tasks created, {1} updated, {2} skipped (already approved).", [
						result.created.length, result.updated.length, result.skipped.length,
					]),
				];
				if (result.created.length) lines.push(__("Created: {0}", [links(result.created)]));
				if (result.updated.length) lines.push(__("Updated: {0}", [links(result.updated)]));
				if (result.skipped.length) lines.push(__("Skipped: {0}", [links(result.skipped)]));
				frappe.msgprint({ title: __("Quotas Accepted"), message: lines.join("<br>"), indicator: "green" });
				listview.refresh();
			});
	}

	dialog.show();
}

function load_indicators(dialog) {
	const template = dialog.get_value("template");
	if (!template) return;
	frappe.db.get_doc("KPI Template", template).then((doc) => {
		const indicators = (doc.indicators || []).map((row) => row.indicator);
		if (!indicators.length) return;
		const current = dialog.get_value("indicator");
		dialog.set_df_property("indicator", "options", indicators.join("\n"));
		const choice = indicators.includes(current) ? current : indicators.includes("Net Sales") ? "Net Sales" : indicators[0];
		dialog.set_value("indicator", choice);
	});
}

function basis_html(rows) {
	if (!rows.length) return "";
	const escape = frappe.utils.escape_html;
	return rows
		.map((row) => `
			<details class="mb-2">
				<summary><b>${escape(__(row.party_type))}: ${escape(row.party)}</b> &rarr; ${format_number(row.amount, null, 2)}</summary>
				<div class="small text-muted mt-1 ml-3" style="white-space: pre-line;">${escape(row.basis_text || "")}</div>
			</details>`)
		.join("");
}
