# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""A salesperson's plan of customer and dealer visits for one week (Monday to Sunday), submitted ahead
of the week and matched against the visits they log (`customer_intelligence.visit_plan`). One plan per
salesperson and week; a change after submitting goes through Cancel and Amend."""

from datetime import timedelta

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from sales_reengineering.core.visit_plan import PLANNED, week_start_of
from sales_reengineering.exceptions import DuplicateVisitPlanError, InvalidVisitPlanError
from sales_reengineering.scope.people import can_see_sales_person, get_subtree, get_user_sales_persons

PARTY_TYPES = ("Customer", "Dealer")


class VisitPlan(Document):
	def before_insert(self):
		if not self.sales_person:
			mine = get_user_sales_persons()
			if len(mine) == 1:
				self.sales_person = mine[0]

	def validate(self):
		self.validate_sales_person()
		self.set_week()
		self.validate_unique_week()
		self.validate_lines()
		self.validate_customers()
		self.validate_dealers()
		self.title = f"{self.sales_person} {self.week_start}"
		self.planned_visits = len(self.items)
		if self.docstatus == 0:
			for line in self.items:
				line.visit_status, line.matched_event, line.visited_on = PLANNED, None, None
			self.visited_as_planned, self.completion = 0, 0

	def on_submit(self):
		from sales_reengineering.customer_intelligence.visit_plan import rematch

		rematch([self.name])

	def validate_sales_person(self):
		if not self.sales_person:
			frappe.throw(_("Choose the Sales Person whose visits you plan."), InvalidVisitPlanError)
		if self.has_value_changed("sales_person") and not can_see_sales_person(self.sales_person):
			frappe.throw(
				_("You cannot plan visits for {0}: choose your own Sales Person or one of your team.").format(
					self.sales_person
				),
				InvalidVisitPlanError,
			)

	def set_week(self):
		if not self.week_start:
			frappe.throw(_("Choose the week of the plan."), InvalidVisitPlanError)
		monday = week_start_of(getdate(self.week_start))
		self.week_start, self.week_end = monday, monday + timedelta(days=6)

	def validate_unique_week(self):
		other = frappe.db.get_value(
			"Visit Plan",
			{
				"sales_person": self.sales_person,
				"week_start": self.week_start,
				"docstatus": ("<", 2),
				"name": ("!=", self.name or ""),
			},
			"name",
		)
		if other:
			frappe.throw(
				_("{0} already has a visit plan for the week of {1}: {2}. Change that plan instead.").format(
					self.sales_person, frappe.format(self.week_start, "Date"), other
				),
				DuplicateVisitPlanError,
				title=_("Duplicate Visit Plan"),
			)

	def validate_lines(self):
		if not self.items:
			frappe.throw(_("Plan at least one customer or dealer visit."), InvalidVisitPlanError)
		seen = {}
		for line in self.items:
			if line.party_type not in PARTY_TYPES or not line.party:
				frappe.throw(
					_("Row {0}: choose the customer or dealer to visit.").format(line.idx), InvalidVisitPlanError
				)
			day = getdate(line.planned_date) if line.planned_date else None
			if not day or not (self.week_start <= day <= self.week_end):
				frappe.throw(
					_("Row {0}: plan the visit between {1} and {2}, the week of the plan.").format(
						line.idx,
						frappe.format(self.week_start, "Date"),
						frappe.format(self.week_end, "Date"),
					),
					InvalidVisitPlanError,
				)
			key = (line.party_type, line.party, day)
			if key in seen:
				frappe.throw(
					_("Row {0}: {1} is already planned on {2} in row {3}.").format(
						line.idx, line.party, frappe.format(day, "Date"), seen[key]
					),
					InvalidVisitPlanError,
				)
			seen[key] = line.idx

	def validate_customers(self):
		"""A salesperson visits the customers of their own team (the customer rule): one query."""
		customers = {line.party for line in self.items if line.party_type == "Customer"}
		if not customers:
			return
		owners = dict(
			frappe.get_all(
				"Customer",
				filters={"name": ("in", list(customers))},
				fields=["name", "sr_sales_person"],
				as_list=True,
			)
		)
		team = set(get_subtree([self.sales_person]))
		for line in self.items:
			if line.party_type != "Customer":
				continue
			if line.party not in owners:
				frappe.throw(
					_("Row {0}: customer {1} does not exist.").format(line.idx, line.party), InvalidVisitPlanError
				)
			owner = owners[line.party]
			if owner not in team:
				frappe.throw(
					_("Row {0}: {1} is a customer of {2}, not of {3} or their team.").format(
						line.idx, line.party, owner or _("no salesperson"), self.sales_person
					),
					InvalidVisitPlanError,
				)

	def validate_dealers(self):
		"""A dealer the user may not read cannot be planned."""
		for dealer in sorted({line.party for line in self.items if line.party_type == "Dealer"}):
			if not frappe.db.exists("Dealer", dealer) or not frappe.has_permission("Dealer", "read", doc=dealer):
				frappe.throw(
					_("You cannot plan a visit to dealer {0}: it is not one you may see.").format(dealer),
					InvalidVisitPlanError,
				)
