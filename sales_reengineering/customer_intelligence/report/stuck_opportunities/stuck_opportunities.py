# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Open opportunities whose stage has not changed for `stuck_days` days (default: Sales Reengineering
Settings' Stuck Opportunity Days). The last move is the latest stage change in the Opportunity Stage Log,
or the opportunity's creation when it has none. One query; each user sees only the opportunities of the
salespeople they may see, and whose Company, Territory and customer their User Permissions allow."""

from collections import Counter

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Max, NullIf
from frappe.utils import add_days, cint, date_diff, flt, getdate, now_datetime

from sales_reengineering.arguments import report_filters
from sales_reengineering.companies import of_company, report_company
from sales_reengineering.customer_intelligence.opportunity import LOG, OPEN_STATUSES
from sales_reengineering.exceptions import CustomerIntelligenceError
from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
	get_settings,
)
from sales_reengineering.scope import user_permissions
from sales_reengineering.scope.people import get_subtree, restrict_to_sales_persons


# a site with a read replica (read_from_replica) answers the report from it; the report only reads
@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, texts=("company", "sales_person", "territory"))
	stuck_days = validate_filters(filters)
	data = get_data(filters, stuck_days)
	return get_columns(), data, None, get_chart(data), get_summary(data, stuck_days)


def validate_filters(filters) -> int:
	user_permissions.check_filters(filters, {"territory": "Territory"}, reference_doctype="Opportunity")
	report_company(filters, "Opportunity")
	if filters.stuck_days in (None, ""):
		return get_settings().stuck_opportunity_days
	if cint(filters.stuck_days) < 1 or str(cint(filters.stuck_days)) != str(filters.stuck_days).strip():
		frappe.throw(
			_("Stuck for at Least (Days) must be a whole number of 1 or more, not {0}.").format(
				filters.stuck_days
			),
			CustomerIntelligenceError,
		)
	return cint(filters.stuck_days)


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "opportunity",
			"label": _("Opportunity"),
			"fieldtype": "Link",
			"options": "Opportunity",
			"width": 170,
		},
		{"fieldname": "party_name", "label": _("Party"), "fieldtype": "Data", "width": 180},
		{
			"fieldname": "sales_person",
			"label": _("Sales Person"),
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 160,
		},
		{
			"fieldname": "territory",
			"label": _("Territory"),
			"fieldtype": "Link",
			"options": "Territory",
			"width": 120,
		},
		# Data, not Links to Sales Stage and Currency: a Sales User may not read Sales Stage (nor a Channel
		# Manager Currency), and Frappe's report runner refuses a report that links a doctype the user
		# may not read
		{"fieldname": "sales_stage", "label": _("Sales Stage"), "fieldtype": "Data", "width": 150},
		{"fieldname": "stage_order", "label": _("Stage Order"), "fieldtype": "Int", "width": 90},
		{"fieldname": "last_move", "label": _("Last Stage Change"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "days_stuck", "label": _("Days Stuck"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "opportunity_amount",
			"label": _("Amount"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 120,
		},
		{"fieldname": "currency", "label": _("Currency"), "fieldtype": "Data", "hidden": 1},
	]


def get_data(filters, stuck_days: int) -> list[dict]:
	opp = frappe.qb.DocType("Opportunity")
	log = frappe.qb.DocType(LOG)
	stage = frappe.qb.DocType("Sales Stage")
	last = (
		frappe.qb.from_(log)
		.select(log.opportunity, Max(log.changed_on).as_("last_move"))
		.where(log.stage_changed == 1)
		.groupby(log.opportunity)
	).as_("last")
	last_move = Coalesce(last.last_move, opp.creation)
	cutoff = add_days(now_datetime(), -stuck_days)

	query = (
		frappe.qb.from_(opp)
		.left_join(last)
		.on(last.opportunity == opp.name)
		.left_join(stage)
		.on(stage.name == opp.sales_stage)
		.select(
			opp.name.as_("opportunity"),
			Coalesce(opp.customer_name, opp.party_name).as_("party_name"),
			opp.sr_sales_person.as_("sales_person"),
			opp.territory,
			opp.sales_stage,
			stage.sr_stage_order.as_("stage_order"),
			last_move.as_("last_move"),
			opp.opportunity_amount,
			opp.currency,
			opp.company,
			# in company currency (ERPNext fills base_opportunity_amount only in the desk's form)
			(opp.opportunity_amount * Coalesce(NullIf(opp.conversion_rate, 0), 1)).as_("base_amount"),
		)
		.where(opp.status.isin(OPEN_STATUSES) & (opp.docstatus < 2) & (last_move < cutoff))
		.orderby(last_move)
	)
	if restriction := restrict_to_sales_persons(opp.sr_sales_person):
		query = query.where(restriction)
	query = of_company(query, opp, filters.company)
	query = user_permissions.apply_to(query, "Opportunity", opp)
	if filters.sales_person:
		query = query.where(opp.sr_sales_person.isin(get_subtree([filters.sales_person]) or [""]))
	if filters.territory:
		territories = [*frappe.db.get_descendants("Territory", filters.territory), filters.territory]
		query = query.where(opp.territory.isin(territories))

	today = getdate()
	rows = query.run(as_dict=True)
	for row in rows:
		row.days_stuck = date_diff(today, getdate(row.last_move))
	return rows


def get_chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	counts = Counter(row.sales_stage or _("No Stage") for row in data)
	return {
		"data": {
			"labels": list(counts),
			"datasets": [{"name": _("Stuck Opportunities"), "values": list(counts.values())}],
		},
		"type": "bar",
		"fieldtype": "Int",
	}


def get_summary(data: list[dict], stuck_days: int) -> list[dict]:
	average = sum(row.days_stuck for row in data) / len(data) if data else 0
	summary = [
		{
			"value": len(data),
			"label": _("Stuck Opportunities"),
			"datatype": "Int",
			"indicator": "Red" if data else "Green",
		},
		{"value": flt(average, 1), "label": _("Average Days Stuck"), "datatype": "Float"},
		{"value": stuck_days, "label": _("Threshold (Days)"), "datatype": "Int"},
	]
	# the amounts add up in one company's currency only: with opportunities of several companies (no
	# company chosen) there is no total
	companies = {row.company for row in data}
	if len(companies) <= 1:
		company = next(iter(companies), None)
		summary.insert(
			1,
			{
				"value": sum(flt(row.base_amount) for row in data),
				"label": _("Amount at Stake"),
				"datatype": "Currency",
				"currency": frappe.get_cached_value("Company", company, "default_currency")
				if company
				else None,
			},
		)
	return summary
