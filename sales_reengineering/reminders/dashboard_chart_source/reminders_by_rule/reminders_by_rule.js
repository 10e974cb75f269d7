// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Reminders by Rule"] = {
	method: "sales_reengineering.reminders.dashboard_chart_source.reminders_by_rule.reminders_by_rule.get",
	filters: [],
};
