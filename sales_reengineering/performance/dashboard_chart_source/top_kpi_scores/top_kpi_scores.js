// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Top KPI Scores"] = {
	method: "sales_reengineering.performance.dashboard_chart_source.top_kpi_scores.top_kpi_scores.get",
	filters: [],
};
