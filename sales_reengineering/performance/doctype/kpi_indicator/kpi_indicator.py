# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""A KPI indicator: what is measured, in which unit, which direction is better and how it is computed.

Three sources:

* **Built-in**: one of the computations in `performance/indicators.py` (shipped records, see
  `performance/setup.py`).
* **Custom**: an administrator's no-code definition, a doctype, a date field, a person link field, an
  aggregate (Count, Sum, Average of a numeric field) and filters. Every name is checked against the
  doctype's meta and the query is built with frappe.qb; no SQL text is ever taken from the user.
* **Manual**: the sum of the KPI Manual Entries (audited) of the person dated in the period.
"""

from datetime import timedelta

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Avg, Count, Sum
from frappe.utils import cint, getdate

from sales_reengineering.exceptions import InvalidIndicatorError
from sales_reengineering.performance.indicators import BUILT_INS, Source, get_builtin

NUMERIC_TYPES = ("Int", "Float", "Currency", "Percent", "Rating", "Check")
DATE_TYPES = ("Date", "Datetime")
OPERATORS = ("=", "!=", ">", "<", ">=", "<=", "in", "not in", "like", "is set", "is not set")
# standard columns a filter may use besides the doctype's own fields
STANDARD_FILTER_FIELDS = ("docstatus", "owner", "name", "creation", "modified")
# fields a custom indicator may never read, whatever the doctype
FORBIDDEN_FIELDTYPES = ("Password",)


class KPIIndicator(Document):
	def validate(self):
		self.validate_builtin()
		self.validate_custom()
		self.validate_description()

	def validate_builtin(self):
		if self.source != "Built-in":
			self.builtin_key = None
			return
		builtin = get_builtin(self.builtin_key)
		# a built-in measures one kind of party: its computation reads Sales Person or Dealer names
		self.party_type = builtin.party_type
		if not self.rollup_method:
			self.rollup_method = builtin.rollup

	def validate_custom(self):
		if self.source != "Custom":
			return
		if not self.ref_doctype or not frappe.db.exists("DocType", self.ref_doctype):
			self._invalid(_("Choose an existing source doctype."))
		meta = frappe.get_meta(self.ref_doctype)
		if meta.istable or meta.issingle or meta.is_virtual:
			self._invalid(
				_(
					"{0} cannot be measured: pick a normal doctype, not a child table, single or virtual one."
				).format(self.ref_doctype)
			)
		self._check_field(meta, self.date_field, DATE_TYPES, _("Date Field"), allow=("creation", "modified"))
		person = self._check_field(meta, self.person_field, ("Link",), _("Person Link Field"))
		if person.options != self.party_type:
			self._invalid(
				_("The person link field {0} must link to {1}, not {2}.").format(
					self.person_field, _(self.party_type), person.options
				)
			)
		if self.aggregate not in ("Count", "Sum", "Average"):
			self._invalid(_("The aggregate must be Count, Sum or Average."))
		if self.aggregate == "Count":
			self.value_field = None
		else:
			self._check_field(meta, self.value_field, NUMERIC_TYPES, _("Value Field"))
		for row in self.filters:
			self.validate_filter(meta, row)

	def validate_filter(self, meta, row):
		if row.operator not in OPERATORS:
			self._invalid(_("Row {0}: unknown filter operator {1}.").format(row.idx, row.operator))
		if row.fieldname not in STANDARD_FILTER_FIELDS:
			df = meta.get_field(row.fieldname)
			if not df or df.fieldtype in frappe.model.no_value_fields or df.fieldtype in FORBIDDEN_FIELDTYPES:
				self._invalid(
					_("Row {0}: {1} has no field {2} that can be filtered on.").format(
						row.idx, self.ref_doctype, row.fieldname
					)
				)
			if df.fieldtype in NUMERIC_TYPES and row.operator not in (
				"in",
				"not in",
				"is set",
				"is not set",
				"like",
			):
				try:
					float(row.value)
				except (TypeError, ValueError):
					self._invalid(
						_("Row {0}: {1} needs a number, not {2}.").format(row.idx, row.fieldname, row.value)
					)
		if row.operator not in ("is set", "is not set") and (row.value is None or row.value == ""):
			self._invalid(_("Row {0}: the filter on {1} needs a value.").format(row.idx, row.fieldname))

	def validate_description(self):
		if self.source == "Built-in" and not self.description:
			self.description = BUILT_INS[self.builtin_key].description
		if self.source == "Manual" and not self.description:
			self.description = _("Sum of the KPI Manual Entries of the person dated in the period.")

	def _check_field(self, meta, fieldname, fieldtypes, label, allow=()):
		if fieldname in allow:
			return frappe._dict(fieldname=fieldname, fieldtype="Datetime")
		df = meta.get_field(fieldname) if fieldname else None
		if not df or df.fieldtype not in fieldtypes:
			self._invalid(
				_("{0}: {1} has no field {2} of type {3}.").format(
					label, self.ref_doctype, fieldname or "-", ", ".join(_(t) for t in fieldtypes)
				)
			)
		return df

	def _invalid(self, message):
		frappe.throw(message, InvalidIndicatorError, title=_("Invalid KPI Indicator"))

	# ---------------------------------------------------------------------------------------------
	# computation
	# ---------------------------------------------------------------------------------------------

	def compute(self, parties: list[str], from_date, to_date, company: str | None = None) -> dict[str, float]:
		"""{party: value} for all `parties` in one aggregate query; parties without data are absent."""
		source = self.get_source(parties, from_date, to_date, company)
		return source.aggregate() if source else {}

	def get_source(self, parties: list[str], from_date, to_date, company: str | None = None) -> Source | None:
		"""The documents behind the values of `parties` in the period, as one query (see
		`indicators.Source`), or None when there is nothing to measure. With `company`, documents that
		carry a company count only when they are of it (a custom indicator's doctype with a `company`
		link to Company; manual entries carry none)."""
		parties = [party for party in parties if party]
		if not parties:
			return None
		if self.source == "Built-in":
			return get_builtin(self.builtin_key).get_source(parties, from_date, to_date, company)
		if self.source == "Manual":
			return self._manual_source(parties, from_date, to_date)
		query, table, person = self.custom_query(parties, from_date, to_date, company)
		if self.aggregate == "Count":
			value = Count(table.name)
		elif self.aggregate == "Sum":
			value = Sum(table[self.value_field])
		else:
			value = Avg(table[self.value_field])
		return Source(query, person, table.name, value)

	def drilldown_doctype(self) -> str | None:
		"""The doctype whose documents `get_source` lists."""
		if self.source == "Built-in":
			return get_builtin(self.builtin_key).drilldown_doctype
		if self.source == "Manual":
			return "KPI Manual Entry"
		return self.ref_doctype

	def _manual_source(self, parties, from_date, to_date) -> Source:
		entry = frappe.qb.DocType("KPI Manual Entry")
		query = (
			frappe.qb.from_(entry)
			.where(entry.indicator == self.name)
			.where(entry.party_type == self.party_type)
			.where(entry.party.isin(parties))
			.where(entry.entry_date[getdate(from_date) : getdate(to_date)])
		)
		return Source(query, entry.party, entry.name, Sum(entry.value))

	def custom_query(self, parties, from_date, to_date, company: str | None = None):
		"""The validated custom indicator as a query builder query (FROM and WHERE only)."""
		self.validate_custom()
		table = frappe.qb.DocType(self.ref_doctype)
		person = table[self.person_field]
		date_column = table[self.date_field]
		query = (
			frappe.qb.from_(table)
			.where(person.isin(parties))
			.where(date_column >= getdate(from_date))
			.where(date_column < getdate(to_date) + timedelta(days=1))
		)
		if frappe.get_meta(self.ref_doctype).is_submittable and not any(
			row.fieldname == "docstatus" for row in self.filters
		):
			query = query.where(table.docstatus == 1)
		for row in self.filters:
			query = query.where(_criterion(table[row.fieldname], row.operator, row.value))
		company_field = frappe.get_meta(self.ref_doctype).get_field("company")
		if (
			company
			and company_field
			and company_field.fieldtype == "Link"
			and company_field.options == "Company"
		):
			query = query.where(table.company == company)
		return query, table, person


def _criterion(column, operator, value):
	if operator == "is set":
		return column.isnotnull() & (column != "")
	if operator == "is not set":
		return column.isnull() | (column == "")
	if operator in ("in", "not in"):
		values = [part.strip() for part in (value or "").split(",") if part.strip()]
		return column.isin(values) if operator == "in" else column.notin(values)
	if operator == "like":
		return column.like(value)
	return {
		"=": column == value,
		"!=": column != value,
		">": column > value,
		"<": column < value,
		">=": column >= value,
		"<=": column <= value,
	}[operator]


def get_indicator(name: str) -> KPIIndicator:
	return frappe.get_cached_doc("KPI Indicator", name)


def is_enabled(name: str) -> bool:
	return bool(cint(frappe.db.get_value("KPI Indicator", name, "enabled")))
