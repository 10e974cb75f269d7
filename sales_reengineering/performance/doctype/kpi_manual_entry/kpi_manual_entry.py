# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""A value a manager enters for a manual KPI indicator. Every change is kept in the document's
version history (track_changes), which is the audit trail."""

import frappe
from frappe import _
from frappe.model.document import Document

from sales_reengineering.exceptions import InvalidIndicatorError


class KPIManualEntry(Document):
	def validate(self):
		self.validate_indicator()

	def validate_indicator(self):
		source, party_type, enabled = frappe.db.get_value(
			"KPI Indicator", self.indicator, ["source", "party_type", "enabled"]
		) or (None, None, None)
		if source != "Manual":
			frappe.throw(
				_("{0} is not a manual indicator; its values are computed.").format(self.indicator),
				InvalidIndicatorError,
			)
		if not enabled:
			frappe.throw(_("Indicator {0} is disabled.").format(self.indicator), InvalidIndicatorError)
		if party_type != self.party_type:
			frappe.throw(
				_("Indicator {0} is measured for {1}, not {2}.").format(
					self.indicator, _(party_type), _(self.party_type)
				),
				InvalidIndicatorError,
			)
