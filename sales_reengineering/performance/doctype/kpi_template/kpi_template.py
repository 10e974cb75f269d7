# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""A KPI template: weighted indicators (weights total exactly 100) with default targets and a scoring
method. The arithmetic is `sales_reengineering.core.scoring`; see its module docstring for the edge
cases (target 0, actual 0, lower-is-better with actual 0)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from sales_reengineering.core.scoring import ScoringError, validate_steps, validate_weights
from sales_reengineering.exceptions import InvalidKPITemplateError

METHODS = {"Capped": "capped", "Linear": "linear", "Stepped": "stepped"}


class KPITemplate(Document):
	def validate(self):
		self.validate_indicators()
		self.validate_weights()
		self.validate_targets()
		self.validate_steps()

	def validate_indicators(self):
		if not self.indicators:
			self._invalid(_("Add at least one indicator."))
		seen = set()
		names = [row.indicator for row in self.indicators]
		indicators = {
			row.name: row
			for row in frappe.get_all(
				"KPI Indicator", filters={"name": ("in", names)}, fields=["name", "enabled", "party_type"]
			)
		}
		party_type = self.party_type()
		for row in self.indicators:
			if row.indicator in seen:
				self._invalid(_("Row {0}: indicator {1} appears twice.").format(row.idx, row.indicator))
			indicator = indicators.get(row.indicator)
			if not indicator or not indicator.enabled:
				self._invalid(_("Row {0}: indicator {1} is disabled.").format(row.idx, row.indicator))
			if indicator.party_type != party_type:
				self._invalid(
					_("Row {0}: indicator {1} is measured for {2}, but this template applies to {3}.").format(
						row.idx, row.indicator, _(indicator.party_type), _(self.applies_to)
					)
				)
			seen.add(row.indicator)

	def validate_weights(self):
		try:
			self.total_weight = validate_weights([flt(row.weight) for row in self.indicators])
		except ScoringError:
			self._invalid(
				_("The weights must total exactly 100, not {0}.").format(
					sum(flt(row.weight) for row in self.indicators)
				)
			)
		for row in self.indicators:
			if flt(row.weight) <= 0:
				self._invalid(
					_("Row {0}: the weight of {1} must be greater than 0.").format(row.idx, row.indicator)
				)

	def validate_targets(self):
		for row in self.indicators:
			if flt(row.default_target) < 0:
				self._invalid(
					_("Row {0}: the default target of {1} must not be negative.").format(
						row.idx, row.indicator
					)
				)

	def validate_steps(self):
		if self.scoring_method != "Stepped":
			return
		try:
			validate_steps(self.score_steps())
		except ScoringError:
			self._invalid(
				_(
					"Stepped scoring needs at least one step, with different thresholds and no negative values."
				)
			)

	def score_steps(self) -> list[tuple[float, float]]:
		"""Steps as core.scoring wants them: (min attainment ratio, score ratio)."""
		return [(flt(step.min_attainment) / 100, flt(step.score) / 100) for step in self.steps]

	def party_type(self) -> str:
		"""What the template's assignees are: Dealers, or Sales Persons (people and teams)."""
		return "Dealer" if self.applies_to == "Dealer" else "Sales Person"

	def core_method(self) -> str:
		return METHODS[self.scoring_method]

	def _invalid(self, message):
		frappe.throw(message, InvalidKPITemplateError, title=_("Invalid KPI Template"))
