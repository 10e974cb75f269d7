# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Open opportunities whose stage has not changed for `stuck_days` days (default: Sales Reengineering
Settings' Stuck Opportunity Days). The last move is the latest stage change in the Opportunity Stage Log,
or the opportunity's creation when it has none. One query; each user sees only the opportunities of the
salespeople they may see, and whose Company, Territory and customer their User Permissions allow.

For a user who sees every salesperson and has not chosen one, the report summarises by salesperson
(stuck opportunities, amount at stake, oldest last move, days stuck), counted by the database: a whole
company has tens of thousands of stuck opportunities (37,000 on the benchmark's `half` data, 3 s to
list), which nobody reads row by row. Choosing a Sales Person (a team includes its members), or ticking
"Every Opportunity", lists them one by one; a user who sees only their own team gets the list."""

from collections import Counter

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Count, CustomFunction, Max, Min, NullIf, Sum
from frappe.utils import add_days, cint, date_diff, flt, getdate, now_datetime

from sales_reengineering.arguments import report_filters
from sales_reengineering.companies import of_company, report_company
from sales_reengineering.customer_intelligence.opportunity import LOG, OPEN_STATUSES
from sales_reengineering.exceptions import CustomerIntelligenceError
from sales_reengineering.sales_reengineering.doctype.sales_reengineering_settings.sales_reengineering_settings import (
	get_settings,
)
from sales_reengineering.scope import user_permissions
from sales_reengineering.scope.people import get_subtree, get_visible_sales_persons, restrict_to_sales_persons

DateDiff = CustomFunction("DATEDIFF", ["end", "start"])


# a site with a read replica (read_from_replica) answers the report from it; the report only reads
@frappe.read_only()
def execute(filters: dict | None = None):
	filters = report_filters(filters, texts=("company", "sales_person", "territory"), whole_numbers=("detail",))
	stuck_days = validate_filters(filters)
	if is_summary(filters):
		data, stages = get_summary_data(filters, stuck_days)
		message = _(
			"One row per salesperson. Choose a Sales Person, or tick Every Opportunity, to list the "
			"opportunities."
		)
		return (
			get_summary_columns(),
			data,
			message,
			stage_chart(stages),
			summary_cards(
				sum(row.opportunities for row in data),
				sum(row.days_total for row in data),
				{row.company: None for row in data},
				sum(flt(row.base_amount) for row in data),
				stuck_days,
			),
		)
	data = get_data(filters, stuck_days)
	return get_columns(), data, None, get_chart(data), get_summary(data, stuck_days)


def is_summary(filters) -> bool:
	"""Summarise by salesperson: the user sees every salesperson and has not chosen one, nor asked for
	every opportunity."""
	return not filters.sales_person and not cint(filters.detail) and get_visible_sales_persons() is None


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


def stuck_query(filters, stuck_days: int):
	"""(the query of the user's stuck opportunities, without columns; Opportunity; their last move)."""
	opp = frappe.qb.DocType("Opportunity")
	log = frappe.qb.DocType(LOG)
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
		.where(opp.status.isin(OPEN_STATUSES) & (opp.docstatus < 2) & (last_move < cutoff))
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
	return query, opp, last_move


def base_amount(opp):
	# in company currency (ERPNext fills base_opportunity_amount only in the desk's form)
	return opp.opportunity_amount * Coalesce(NullIf(opp.conversion_rate, 0), 1)


def get_data(filters, stuck_days: int) -> list[dict]:
	query, opp, last_move = stuck_query(filters, stuck_days)
	stage = frappe.qb.DocType("Sales Stage")
	query = (
		query.left_join(stage)
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
			base_amount(opp).as_("base_amount"),
		)
		.orderby(last_move)
	)
	today = getdate()
	rows = query.run(as_dict=True)
	for row in rows:
		row.days_stuck = date_diff(today, getdate(row.last_move))
	return rows


def get_summary_data(filters, stuck_days: int) -> tuple[list[dict], Counter]:
	"""(one row per salesperson and company, in salesperson order; stuck opportunities per stage). One
	grouped query: by salesperson, company and stage, so that the chart still counts stages."""
	query, opp, last_move = stuck_query(filters, stuck_days)
	today = getdate()
	grouped = (
		query.select(
			opp.sr_sales_person.as_("sales_person"),
			opp.company,
			opp.sales_stage,
			Count("*").as_("opportunities"),
			Sum(base_amount(opp)).as_("base_amount"),
			Min(last_move).as_("oldest_move"),
			Sum(DateDiff(today, last_move)).as_("days_total"),
		)
		.groupby(opp.sr_sales_person, opp.company, opp.sales_stage)
		.run(as_dict=True)
	)
	rows, stages = {}, Counter()
	for group in grouped:
		stages[group.sales_stage or _("No Stage")] += group.opportunities
		row = rows.setdefault(
			(group.sales_person or "", group.company),
			frappe._dict(
				sales_person=group.sales_person,
				company=group.company,
				currency=frappe.get_cached_value("Company", group.company, "default_currency"),
				opportunities=0,
				base_amount=0.0,
				oldest_move=group.oldest_move,
				days_total=0,
			),
		)
		row.opportunities += group.opportunities
		row.base_amount += flt(group.base_amount)
		row.days_total += cint(group.days_total)
		row.oldest_move = min(row.oldest_move, group.oldest_move)
	data = [rows[key] for key in sorted(rows)]
	for row in data:
		row.max_days_stuck = date_diff(today, getdate(row.oldest_move))
		row.average_days_stuck = flt(row.days_total / row.opportunities, 1)
	return data, stages


def get_summary_columns() -> list[dict]:
	return [
		{
			"fieldname": "sales_person",
			"label": _("Sales Person"),
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 200,
		},
		{"fieldname": "opportunities", "label": _("Stuck Opportunities"), "fieldtype": "Int", "width": 150},
		{
			"fieldname": "base_amount",
			"label": _("Amount at Stake"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 150,
		},
		{"fieldname": "oldest_move", "label": _("Oldest Stage Change"), "fieldtype": "Datetime", "width": 170},
		{"fieldname": "max_days_stuck", "label": _("Most Days Stuck"), "fieldtype": "Int", "width": 130},
		{"fieldname": "average_days_stuck", "label": _("Average Days Stuck"), "fieldtype": "Float", "width": 150},
		{"fieldname": "company", "label": _("Company"), "fieldtype": "Data", "width": 140},
		{"fieldname": "currency", "label": _("Currency"), "fieldtype": "Data", "hidden": 1},
	]


def get_chart(data: list[dict]) -> dict | None:
	return stage_chart(Counter(row.sales_stage or _("No Stage") for row in data))


def stage_chart(counts: Counter) -> dict | None:
	if not counts:
		return None
	return {
		"data": {
			"labels": list(counts),
			"datasets": [{"name": _("Stuck Opportunities"), "values": list(counts.values())}],
		},
		"type": "bar",
		"fieldtype": "Int",
	}


def get_summary(data: list[dict], stuck_days: int) -> list[dict]:
	return summary_cards(
		len(data),
		sum(row.days_stuck for row in data),
		{row.company: None for row in data},
		sum(flt(row.base_amount) for row in data),
		stuck_days,
	)


def summary_cards(count: int, days_total: int, companies, amount: float, stuck_days: int) -> list[dict]:
	average = days_total / count if count else 0
	summary = [
		{
			"value": count,
			"label": _("Stuck Opportunities"),
			"datatype": "Int",
			"indicator": "Red" if count else "Green",
		},
		{"value": flt(average, 1), "label": _("Average Days Stuck"), "datatype": "Float"},
		{"value": stuck_days, "label": _("Threshold (Days)"), "datatype": "Int"},
	]
	# the amounts add up in one company's currency only: with opportunities of several companies (no
	# company chosen) there is no total
	if len(companies) <= 1:
		company = next(iter(companies), None)
		summary.insert(
			1,
			{
				"value": amount,
				"label": _("Amount at Stake"),
				"datatype": "Currency",
				"currency": frappe.get_cached_value("Company", company, "default_currency")
				if company
				else None,
			},
		)
	return summary
