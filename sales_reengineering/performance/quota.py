"""Quota suggestions for a coming quarter, per salesperson and per territory.

Inputs, each loaded set-based (one query for the whole population):

* history: net sales per quarter of the 8 quarters before the target quarter (returns net off,
  cancelled invoices ignored; a salesperson's share follows the Sales Team allocated percentage, a
  territory's is the invoice's territory);
* purchasing power: the territory's Purchasing Power Index (Territory.sr_purchasing_power_index, where
  100 is the national average, kept by managers and from info-feedback reports); used as a ratio
  (index / 100), 1.0 when unset. A salesperson takes the average ratio of the territories they manage
  (Territory Manager);
* competition: the number of competitor-move Info Feedback Reports of the last 4 quarters in those
  territories (0 until that doctype exists).

The arithmetic and the explanation of each figure (`basis`) come from `sales_reengineering.core.quota`;
`basis_text` is that explanation translated, one step a line. Only Sales Managers (and System
Managers) ask for suggestions and accept them: `accept_quota_suggestions` writes the figures, as
suggested or edited, as the target of the salespeople's draft Sales Tasks. Territory figures are for
information only: a Sales Task is assigned to a Sales Person or a Dealer, never to a territory.
"""

import json
import math
import re
from collections import defaultdict
from datetime import date
from typing import Annotated

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum
from frappe.utils import cint, flt
from pypika.enums import DatePart
from pypika.functions import Extract

from sales_reengineering.arguments import check_arguments, json_of, plain_text, whole_number
from sales_reengineering.core.quota import competition_intensity, shift_quarter, suggest_quota
from sales_reengineering.exceptions import InvalidSalesTaskError, NegativeTargetError
from sales_reengineering.performance.doctype.sales_task.sales_task import default_company
from sales_reengineering.performance.indicators import _date_field
from sales_reengineering.scope.performance import sees_everything

HISTORY_QUARTERS = 8


def _quarter_start(quarter: tuple[int, int]) -> date:
	return date(quarter[0], quarter[1] * 3 - 2, 1)


def _history(
	by: str, names: list[str], target: tuple[int, int], company: str | None = None
) -> dict[str, dict[tuple[int, int], float]]:
	"""{name: {(year, quarter): net sales}} of the quarters before `target`, of `company`'s invoices when
	given (a quota is in that company's currency)."""
	if not names:
		return {}
	si = frappe.qb.DocType("Sales Invoice")
	start = _quarter_start(shift_quarter(target, -HISTORY_QUARTERS))
	end = _quarter_start(target)
	year, quarter = Extract(DatePart.year, si.posting_date), Extract(DatePart.quarter, si.posting_date)
	query = (
		frappe.qb.from_(si)
		.where(si.docstatus == 1)
		.where(si.posting_date >= start)
		.where(si.posting_date < end)
	)
	if company:
		query = query.where(si.company == company)
	if by == "Sales Person":
		st = frappe.qb.DocType("Sales Team")
		key = st.sales_person
		query = (
			query.join(st)
			.on((st.parent == si.name) & (st.parenttype == "Sales Invoice"))
			.select(key, year, quarter, Sum(si.base_net_total * st.allocated_percentage / 100))
		)
	else:
		key = si.territory
		query = query.select(key, year, quarter, Sum(si.base_net_total))
	history = defaultdict(dict)
	for name, y, q, amount in query.where(key.isin(names)).groupby(key, year, quarter).run():
		# a quarter whose returns outweigh its sales counts as 0 (quota history is never negative)
		history[name][(cint(y), cint(q))] = max(flt(amount), 0.0)
	return history


POWER_FIELD = "sr_purchasing_power_index"
POWER_AVERAGE = 100.0


def _power_by_territory(territories: list[str]) -> dict[str, float]:
	"""{territory: index / 100} for the territories whose index is set (> 0)."""
	if not frappe.get_meta("Territory").has_field(POWER_FIELD):
		return {}
	return {
		row.name: flt(row.get(POWER_FIELD)) / POWER_AVERAGE
		for row in frappe.get_all(
			"Territory", filters={"name": ("in", territories or [""])}, fields=["name", POWER_FIELD]
		)
		if flt(row.get(POWER_FIELD)) > 0
	}


def _competitor_reports(territories: list[str], target: tuple[int, int]) -> dict[str, int]:
	"""Approved competitor-move Info Feedback Reports of the last 4 quarters per territory ({} until it
	exists)."""
	doctype = "Info Feedback Report"
	if not frappe.db.exists("DocType", doctype):
		return {}
	meta = frappe.get_meta(doctype)
	territory_field = next(
		(df.fieldname for df in meta.fields if df.fieldtype == "Link" and df.options == "Territory"), None
	)
	type_field = next(
		(
			df.fieldname
			for df in meta.fields
			if df.fieldtype == "Select" and "ompetitor" in (df.options or "")
		),
		None,
	)
	if not territory_field:
		return {}
	report = frappe.qb.DocType(doctype)
	date_field = _date_field(doctype)
	query = (
		frappe.qb.from_(report)
		.select(report[territory_field], Count(report.name))
		.where(report[territory_field].isin(territories or [""]))
		.where(report[date_field] >= _quarter_start(shift_quarter(target, -4)))
		.where(report[date_field] < _quarter_start(target))
		.groupby(report[territory_field])
	)
	# only reports a manager approved (review workflow), never drafts or rejected ones
	query = query.where(
		report.workflow_state == "Approved" if meta.has_field("workflow_state") else report.docstatus < 2
	)
	if type_field:
		competitor = next(o for o in meta.get_field(type_field).options.split("\n") if "ompetitor" in o)
		query = query.where(report[type_field] == competitor)
	return {name: cint(count) for name, count in query.run()}


# the basis steps of `core.quota`, each English label pattern with its translatable form
BASIS_LABELS = [
	(r"Base: same quarter last year \((.+)\)", lambda m: _("Base: same quarter last year ({0})").format(*m)),
	(
		r"Base: average of the (\d+) recorded quarter\(s\) of the last 4",
		lambda m: _("Base: average of the {0} recorded quarter(s) of the last 4").format(*m),
	),
	(
		r"Base: no history, fallback \(territory average\)",
		lambda m: _("Base: no history, fallback (territory average)"),
	),
	(r"Base: no history and no fallback", lambda m: _("Base: no history and no fallback")),
	(
		r"Trend: needs 8 recorded quarters and a non-zero earlier 4, growth taken as 0",
		lambda m: _("Trend: needs 8 recorded quarters and a non-zero earlier 4, growth taken as 0"),
	),
	(
		r"Trend: growth of the last 4 quarters vs the previous 4",
		lambda m: _("Trend: growth of the last 4 quarters vs the previous 4"),
	),
	(r"Trend factor = 1 \+ (\S+) \* growth", lambda m: _("Trend factor = 1 + {0} * growth").format(*m)),
	(
		r"Purchasing-power factor = 1 \+ (\S+) \* \((\S+) - 1\)",
		lambda m: _("Purchasing-power factor = 1 + {0} * ({1} - 1)").format(*m),
	),
	(
		r"Competition factor = 1 - (\S+) \* (\S+)",
		lambda m: _("Competition factor = 1 - {0} * {1}").format(*m),
	),
	(r"Combined factor", lambda m: _("Combined factor")),
	(r"Clamped to maximum growth \+(\S+)", lambda m: _("Clamped to maximum growth +{0}").format(*m)),
	(r"Clamped to maximum decline -(\S+)", lambda m: _("Clamped to maximum decline -{0}").format(*m)),
	(r"Suggested quota \(rounded to (\S+)\)", lambda m: _("Suggested quota (rounded to {0})").format(*m)),
]


def _translate_step(label: str) -> str:
	for pattern, translate in BASIS_LABELS:
		match = re.fullmatch(pattern, label)
		if match:
			return translate(match.groups())
	return label


def _format_value(value: float) -> str:
	return f"{value:,.4f}".rstrip("0").rstrip(".")


def _suggestion(party_type, party, history, target, power, reports) -> dict:
	result = suggest_quota(
		history, target, purchasing_power=power, competition=competition_intensity(reports)
	)
	lines = [f"{_translate_step(step.label)}: {_format_value(step.value)}" for step in result.basis]
	# after the base: the count behind the competition factor
	lines.insert(1, _("Competitor-move reports in the last 4 quarters: {0}").format(reports))
	return {
		"party_type": party_type,
		"party": party,
		"amount": result.amount,
		"base": result.base,
		"base_source": result.base_source,
		"purchasing_power": power,
		"competitor_reports": reports,
		"basis": [{"label": step.label, "value": step.value} for step in result.basis],
		"basis_text": "\n".join(lines),
	}


def suggest_for_sales_persons(
	people: list[str], year: int, quarter: int, company: str | None = None
) -> list[dict]:
	target = (cint(year), cint(quarter))
	managed = defaultdict(list)
	for row in frappe.get_all(
		"Territory",
		filters={"territory_manager": ("in", people or [""])},
		fields=["name", "territory_manager"],
	):
		managed[row.territory_manager].append(row.name)
	territories = sorted({t for names in managed.values() for t in names})
	powers = _power_by_territory(territories)
	reports = _competitor_reports(territories, target)
	history = _history("Sales Person", people, target, company)
	rows = []
	for person in people:
		own = managed.get(person, [])
		power = sum(powers.get(t, 1.0) for t in own) / len(own) if own else 1.0
		rows.append(
			_suggestion(
				"Sales Person",
				person,
				history.get(person, {}),
				target,
				power,
				sum(reports.get(t, 0) for t in own),
			)
		)
	return rows


def suggest_for_territories(
	territories: list[str], year: int, quarter: int, company: str | None = None
) -> list[dict]:
	target = (cint(year), cint(quarter))
	powers = _power_by_territory(territories)
	reports = _competitor_reports(territories, target)
	history = _history("Territory", territories, target, company)
	return [
		_suggestion(
			"Territory", name, history.get(name, {}), target, powers.get(name, 1.0), reports.get(name, 0)
		)
		for name in territories
	]


def _subtree(doctype: str, root: str) -> list[str]:
	"""The leaves under `root` (itself when it is a leaf), in tree order; enabled ones when it has
	`enabled` (Sales Person)."""
	lft, rgt = frappe.db.get_value(doctype, root, ["lft", "rgt"]) or (None, None)
	if lft is None:
		frappe.throw(_("{0} {1} does not exist.").format(_(doctype), root), frappe.DoesNotExistError)
	filters = {"lft": (">=", lft), "rgt": ("<=", rgt), "is_group": 0}
	if frappe.get_meta(doctype).has_field("enabled"):
		filters["enabled"] = 1
	return frappe.get_all(doctype, filters=filters, order_by="lft", pluck="name")


def check_quota_permission() -> None:
	"""Suggesting and accepting quotas is a manager's task: Sales Manager or System Manager."""
	frappe.has_permission("Sales Task", "create", throw=True)
	if not sees_everything(frappe.session.user):
		frappe.throw(
			_("Only a Sales Manager or a System Manager can suggest and accept quotas."),
			frappe.PermissionError,
		)


@frappe.whitelist()
@check_arguments
def get_quota_suggestions(
	year: Annotated[int, whole_number("Year")],
	quarter: Annotated[int, whole_number("Quarter")],
	team: Annotated[str, plain_text("Team")] | None = None,
	territory: Annotated[str, plain_text("Territory")] | None = None,
	company: Annotated[str, plain_text("Company")] | None = None,
) -> list[dict]:
	"""Suggestions for the enabled salespeople under `team` and/or the leaf territories under
	`territory` (either may be a leaf itself), from `company`'s sales when given."""
	check_quota_permission()
	if not 1 <= cint(quarter) <= 4:
		frappe.throw(_("The quarter must be 1 to 4, not {0}.").format(quarter), InvalidSalesTaskError)
	if not team and not territory:
		frappe.throw(_("Choose a team (Sales Person) or a territory."), InvalidSalesTaskError)
	rows = []
	if team:
		rows += suggest_for_sales_persons(_subtree("Sales Person", team), year, quarter, company)
	if territory:
		rows += suggest_for_territories(_subtree("Territory", territory), year, quarter, company)
	return rows


def _clean_amounts(amounts: str | dict) -> dict[str, float]:
	"""{sales person: amount} from the caller, every key a Sales Person and every amount a number of at
	least 0 (checked first, so that a bad row writes nothing)."""
	if isinstance(amounts, str):
		try:
			amounts = json.loads(amounts)
		except ValueError:
			amounts = None
	if not isinstance(amounts, dict):
		frappe.throw(_("Send the quotas as a mapping of Sales Person to amount."), InvalidSalesTaskError)
	clean = {}
	for person, amount in amounts.items():
		if isinstance(amount, bool) or not isinstance(amount, int | float | str):
			frappe.throw(_("The quota of {0} is not a number.").format(person), InvalidSalesTaskError)
		try:
			value = float(amount)
		except ValueError:
			value = math.nan
		if not math.isfinite(value):
			frappe.throw(_("The quota of {0} is not a number.").format(person), InvalidSalesTaskError)
		if value < 0:
			frappe.throw(_("The quota of {0} must not be negative.").format(person), NegativeTargetError)
		clean[person] = flt(value)
	known = set(frappe.get_all("Sales Person", filters={"name": ("in", list(clean) or [""])}, pluck="name"))
	unknown = [person for person in clean if person not in known]
	if unknown:
		frappe.throw(
			_("Quotas are set for salespeople only; not a Sales Person: {0}.").format(", ".join(unknown)),
			InvalidSalesTaskError,
		)
	return clean


@frappe.whitelist(methods=["POST"])
@check_arguments
def accept_quota_suggestions(
	template: Annotated[str, plain_text("KPI Template")],
	year: Annotated[int, whole_number("Year")],
	quarter: Annotated[int, whole_number("Quarter")],
	amounts: Annotated[dict, json_of("Quotas", dict)],
	indicator: Annotated[str, plain_text("KPI Indicator")] = "Net Sales",
	company: Annotated[str, plain_text("Company")] | None = None,
) -> dict:
	"""Write {sales person: amount} (as suggested or edited) as the `indicator` target of each person's
	draft Sales Task for the quarter, creating the draft when there is none. Approved tasks are left
	alone. All or nothing: a failing task undoes the ones written before it. The tasks are `company`'s
	(default: the user's default company)."""
	check_quota_permission()
	amounts = _clean_amounts(amounts)
	company = company or default_company()
	existing = {
		row.assignee: row
		for row in frappe.get_all(
			"Sales Task",
			filters={
				"assignee_type": "Sales Person",
				"assignee": ("in", list(amounts) or [""]),
				"template": template,
				"company": company,
				"period_type": "Quarter",
				"period_label": f"{cint(year)}-Q{cint(quarter)}",
				"docstatus": ("<", 2),
			},
			fields=["name", "assignee", "docstatus"],
		)
	}
	created, updated, skipped = [], [], []
	frappe.db.savepoint("sr_accept_quotas")
	try:
		for person, amount in amounts.items():
			current = existing.get(person)
			if current and current.docstatus == 1:
				skipped.append(current.name)
				continue
			if current:
				task = frappe.get_doc("Sales Task", current.name)
			else:
				task = frappe.get_doc(
					{
						"doctype": "Sales Task",
						"assignee_type": "Sales Person",
						"assignee": person,
						"template": template,
						"company": company,
						"period_type": "Quarter",
						"year": cint(year),
						"quarter": str(cint(quarter)),
					}
				)
				task.validate_targets()
			rows = [row for row in task.targets if row.indicator == indicator]
			if not rows:
				frappe.throw(
					_("KPI Template {0} has no indicator {1}.").format(template, indicator),
					InvalidSalesTaskError,
				)
			rows[0].target = amount
			task.save()
			(updated if current else created).append(task.name)
	except Exception:
		frappe.db.rollback(save_point="sr_accept_quotas")
		raise
	return {"created": created, "updated": updated, "skipped": skipped}
