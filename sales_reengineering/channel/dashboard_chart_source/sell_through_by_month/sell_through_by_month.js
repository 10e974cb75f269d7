// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Sell-Through by Month"] = {
	method: "sales_reengineering.channel.dashboard_chart_source.sell_through_by_month.sell_through_by_month.get",
	filters: [],
};
