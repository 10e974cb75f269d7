// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

const PARENT_LEVEL = {
	"Provincial Dealer": "General Agent",
	"Sub-Dealer": "Provincial Dealer",
};

frappe.ui.form.on("Dealer", {
	setup(frm) {
		frm.set_query("parent_dealer", () => ({
			filters: {
				dealer_level: PARENT_LEVEL[frm.doc.dealer_level] || "",
				name: ["!=", frm.doc.name || ""],
			},
		}));
		frm.set_query("agreement", () => ({
			filters: { party_type: "Customer", party_name: frm.doc.customer || "" },
		}));
	},
	refresh(frm) {
		if (!frm.is_new()) {
			frm.add_custom_button(__("Deal Registrations"), () =>
				frappe.set_route("List", "Deal Registration", { dealer: frm.doc.name })
			);
			// customer_intelligence/client/activity.js, added to this form by hooks.py doctype_js
			sales_reengineering.activity.add_button(frm);
			show_purchases(frm);
		}
	},
	dealer_level(frm) {
		frm.toggle_reqd("parent_dealer", !!PARENT_LEVEL[frm.doc.dealer_level]);
		if (!PARENT_LEVEL[frm.doc.dealer_level]) {
			frm.set_value("parent_dealer", "");
		}
	},
});

// What the dealer bought: its customer's net invoiced amount, with links to the orders and invoices
// (an invoice names the customer, so these are not connections of the Dealer).
function show_purchases(frm) {
	const dealer = frm.doc.name;
	frappe
		.xcall("sales_reengineering.channel.purchases.get_dealer_purchases", { dealer })
		.then((p) => {
			if (!p.customer || frm.doc.name !== dealer) return;
			const figures = [
				[__("This Quarter"), p.this_quarter],
				[__("Last Quarter"), p.last_quarter],
				[__("Last 12 Months"), p.last_12_months],
			].filter(([, value]) => value !== undefined);
			const links = [
				["sales-order", p.orders, __("Sales Orders")],
				["sales-invoice", p.invoices, __("Sales Invoices")],
			].filter(([, count]) => count !== undefined);
			const customer = encodeURIComponent(p.customer);
			// the figures count the company the dealer buys from; the lists show the same documents
			const company = p.company ? `&company=${encodeURIComponent(p.company)}` : "";
			const html = `
				<div class="row">
					${figures
						.map(
							([label, value]) => `<div class="col-sm-3 col-6 mb-2">
								<div class="text-muted small">${frappe.utils.escape_html(label)}</div>
								<div class="h5 dealer-purchases-figure">${format_currency(value || 0, p.currency)}</div>
							</div>`
						)
						.join("")}
					<div class="col-sm-3 col-6 mb-2">
						${links
							.map(
								([route, count, label]) => `<div><a href="/app/${route}?customer=${customer}${company}&docstatus=1">
									${frappe.utils.escape_html(label)}</a> <span class="text-muted">(${cint(count)})</span></div>`
							)
							.join("")}
					</div>
				</div>`;
			frm.dashboard.add_section(html, __("Purchases"));
		});
}
