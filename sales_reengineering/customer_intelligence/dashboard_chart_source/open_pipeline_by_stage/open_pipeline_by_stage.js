// Copyright (c) 2026, Sales Reengineering Developers
// For license information, please see license.txt

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Open Pipeline by Stage"] = {
	method: "sales_reengineering.customer_intelligence.dashboard_chart_source.open_pipeline_by_stage.open_pipeline_by_stage.get",
	filters: [],
};
