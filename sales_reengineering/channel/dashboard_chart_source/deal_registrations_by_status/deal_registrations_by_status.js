// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Deal Registrations by Status"] = {
	method: "sales_reengineering.channel.dashboard_chart_source.deal_registrations_by_status.deal_registrations_by_status.get",
	filters: [],
};
