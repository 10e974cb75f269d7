# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""A sales task: the targets of one assignee (a salesperson, a sales team node or a dealer) for one
quarter or month, measured by a KPI template. Proposed by the salesperson and approved by a manager
through the shipped "Sales Task Approval" workflow (approval submits the task)."""

import calendar
from datetime import date
from typing import Annotated

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.permissions import get_user_permissions
from frappe.utils import cint, flt, getdate

from sales_reengineering.arguments import check_arguments, plain_text, whole_number
from sales_reengineering.exceptions import (
	InvalidSalesTaskError,
	NegativeTargetError,
	OverlappingSalesTaskError,
)
from sales_reengineering.scope import for_user
from sales_reengineering.scope.guards import enforce_workflow_edit

MIN_YEAR, MAX_YEAR = 2000, 2100


def period_bounds(period_type: str, year: int, number: int) -> tuple[date, date, str]:
	"""(first day, last day, label) of a quarter (1-4) or month (1-12) of `year`."""
	year, number = cint(year), cint(number)
	if not MIN_YEAR <= year <= MAX_YEAR:
		frappe.throw(
			_("The year must be between {0} and {1}, not {2}.").format(MIN_YEAR, MAX_YEAR, year),
			InvalidSalesTaskError,
		)
	if period_type == "Quarter":
		if not 1 <= number <= 4:
			frappe.throw(_("The quarter must be 1 to 4, not {0}.").format(number), InvalidSalesTaskError)
		first_month, last_month, label = number * 3 - 2, number * 3, f"{year}-Q{number}"
	elif period_type == "Month":
		if not 1 <= number <= 12:
			frappe.throw(_("The month must be 1 to 12, not {0}.").format(number), InvalidSalesTaskError)
		first_month, last_month, label = number, number, f"{year}-{number:02d}"
	else:
		frappe.throw(_("The period type must be Quarter or Month."), InvalidSalesTaskError)
	last_day = calendar.monthrange(year, last_month)[1]
	return date(year, first_month, 1), date(year, last_month, last_day), label


def default_company() -> str | None:
	"""The user's default company, else the site's (Global Defaults) unless the user's User Permissions
	on Company leave it out: then their default permitted company, else the first. (ERPNext gives an
	employee's user a User Permission on their company; a task of the site's company would be refused.)"""
	company = frappe.defaults.get_user_default("Company")
	if company:
		return company
	site = frappe.db.get_single_value("Global Defaults", "default_company")
	permitted = [
		row
		for row in get_user_permissions(frappe.session.user).get("Company", [])
		if not row.get("applicable_for") or row.get("applicable_for") == "Sales Task"
	]
	if not permitted or site in {row.get("doc") for row in permitted}:
		return site
	return next((row.get("doc") for row in permitted if row.get("is_default")), permitted[0].get("doc"))


class SalesTask(Document):
	def validate(self):
		enforce_workflow_edit(self)
		self.validate_assignee()
		self.validate_company()
		self.validate_period()
		self.validate_template()
		self.validate_targets()
		self.validate_overlap()

	def validate_assignee(self):
		if not frappe.db.exists("DocType", self.assignee_type):
			frappe.throw(
				_("Assignees of type {0} are not available on this site yet.").format(_(self.assignee_type)),
				InvalidSalesTaskError,
			)
		if not self.assignee or not frappe.db.exists(self.assignee_type, self.assignee):
			frappe.throw(
				_("{0} {1} does not exist.").format(_(self.assignee_type), self.assignee or ""),
				InvalidSalesTaskError,
			)
		meta = frappe.get_meta(self.assignee_type)
		self.is_group = (
			cint(frappe.db.get_value(self.assignee_type, self.assignee, "is_group"))
			if meta.has_field("is_group")
			else 0
		)

	def validate_company(self):
		"""The company whose documents the indicators count: the user's default company when none is
		chosen; a task without one is refused (its net sales would add up every company's currency)."""
		self.company = self.company or default_company()
		if not self.company or not frappe.db.exists("Company", self.company):
			frappe.throw(
				_("Choose the company whose sales this task measures.")
				if not self.company
				else _("Company {0} does not exist.").format(self.company),
				InvalidSalesTaskError,
			)

	def validate_period(self):
		number = self.quarter if self.period_type == "Quarter" else self.month
		self.from_date, self.to_date, self.period_label = period_bounds(self.period_type, self.year, number)
		if self.period_type == "Quarter":
			self.month = None
		else:
			self.quarter = None

	def validate_template(self):
		template = frappe.get_cached_doc("KPI Template", self.template)
		if not template.enabled:
			frappe.throw(_("KPI Template {0} is disabled.").format(self.template), InvalidSalesTaskError)
		if template.party_type() != self.assignee_type:
			frappe.throw(
				_("KPI Template {0} applies to {1}; it cannot measure a {2}.").format(
					self.template, _(template.applies_to), _(self.assignee_type)
				),
				InvalidSalesTaskError,
			)

	def validate_targets(self):
		template = frappe.get_cached_doc("KPI Template", self.template)
		if not self.targets:
			for row in template.indicators:
				self.append("targets", {"indicator": row.indicator, "target": row.default_target})
		weights = {row.indicator: row for row in template.indicators}
		seen = set()
		for row in self.targets:
			if row.indicator not in weights:
				frappe.throw(
					_("Row {0}: indicator {1} is not in KPI Template {2}.").format(
						row.idx, row.indicator, self.template
					),
					InvalidSalesTaskError,
				)
			if row.indicator in seen:
				frappe.throw(
					_("Row {0}: indicator {1} appears twice.").format(row.idx, row.indicator),
					InvalidSalesTaskError,
				)
			if flt(row.target) < 0:
				frappe.throw(
					_("Row {0}: the target of {1} must not be negative.").format(row.idx, row.indicator),
					NegativeTargetError,
				)
			seen.add(row.indicator)
			row.weight = weights[row.indicator].weight
			row.unit = weights[row.indicator].unit
			row.higher_is_better = weights[row.indicator].higher_is_better
		missing = [name for name in weights if name not in seen]
		if missing:
			frappe.throw(_("Targets are missing for: {0}.").format(", ".join(missing)), InvalidSalesTaskError)

	def validate_overlap(self):
		task = frappe.qb.DocType("Sales Task")
		clash = (
			frappe.qb.from_(task)
			.select(task.name, task.period_label)
			.where(task.assignee_type == self.assignee_type)
			.where(task.assignee == self.assignee)
			.where(task.template == self.template)
			.where(task.company == self.company)
			.where(task.docstatus < 2)
			.where(task.name != (self.name or ""))
			.where(task.from_date <= getdate(self.to_date))
			.where(task.to_date >= getdate(self.from_date))
			.limit(1)
		).run()
		if clash:
			frappe.throw(
				_(
					"{0} already has Sales Task {1} with KPI Template {2} for the overlapping period {3}."
				).format(self.assignee, clash[0][0], self.template, clash[0][1]),
				OverlappingSalesTaskError,
				title=_("Overlapping Sales Task"),
			)

	def on_submit(self):
		from sales_reengineering.performance.scorecard import compute_scorecards

		compute_scorecards([self.name])

	def on_cancel(self):
		"""The scorecard of a cancelled task goes; ranking snapshots keep the person's score and rank
		(they are snapshots until recomputed) but lose their link to the deleted scorecard."""
		cards = frappe.get_all("KPI Scorecard", filters={"sales_task": self.name}, pluck="name")
		if not cards:
			return
		entry = frappe.qb.DocType("Sales Ranking Entry")
		frappe.qb.update(entry).set(entry.scorecard, None).where(entry.scorecard.isin(cards)).run()
		frappe.db.delete("KPI Scorecard Row", {"parenttype": "KPI Scorecard", "parent": ("in", cards)})
		frappe.db.delete("KPI Scorecard", {"name": ("in", cards)})


@frappe.whitelist(methods=["POST"])
@check_arguments
def create_team_tasks(
	team: Annotated[str, plain_text("Team")],
	template: Annotated[str, plain_text("KPI Template")],
	period_type: Annotated[str, plain_text("Period Type")],
	year: Annotated[int, whole_number("Year")],
	period: Annotated[int, whole_number("Period")],
	company: Annotated[str, plain_text("Company")] | None = None,
) -> dict:
	"""Create draft tasks for a team node and every member of its subtree, for `company` (default: the
	user's default company); skip who already has one for that company."""
	frappe.has_permission("Sales Task", "create", throw=True)
	frappe.has_permission("Sales Person", "read", doc=team, throw=True)
	if not for_user().sees_sales_person(team):
		frappe.throw(_("You can only plan tasks for your own team."), frappe.PermissionError)
	if not cint(frappe.db.get_value("Sales Person", team, "is_group")):
		frappe.throw(_("{0} is not a team (group) Sales Person.").format(team), InvalidSalesTaskError)
	from_date, to_date, _label = period_bounds(period_type, year, period)
	company = company or default_company()
	lft, rgt = frappe.db.get_value("Sales Person", team, ["lft", "rgt"])
	members = frappe.get_all(
		"Sales Person",
		filters={"lft": (">=", lft), "rgt": ("<=", rgt), "enabled": 1},
		order_by="lft",
		pluck="name",
	)
	task = frappe.qb.DocType("Sales Task")
	existing = set(
		name
		for (name,) in frappe.qb.from_(task)
		.select(task.assignee)
		.where(task.assignee_type == "Sales Person")
		.where(task.assignee.isin(members))
		.where(task.template == template)
		.where(task.company == (company or ""))
		.where(task.docstatus < 2)
		.where(task.from_date <= to_date)
		.where(task.to_date >= from_date)
		.run()
	)
	created = []
	for member in members:
		if member in existing:
			continue
		doc = frappe.get_doc(
			{
				"doctype": "Sales Task",
				"assignee_type": "Sales Person",
				"assignee": member,
				"template": template,
				"company": company,
				"period_type": period_type,
				"year": cint(year),
				"quarter": str(period) if period_type == "Quarter" else None,
				"month": str(period) if period_type == "Month" else None,
			}
		)
		doc.insert()
		created.append(doc.name)
	return {"created": created, "skipped": sorted(existing)}
