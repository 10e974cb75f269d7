// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["KPI Score by Period"] = {
	method: "sales_reengineering.performance.dashboard_chart_source.kpi_score_by_period.kpi_score_by_period.get",
	filters: [],
};
