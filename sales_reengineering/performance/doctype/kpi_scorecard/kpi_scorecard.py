# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""The computed score of one Sales Task. Written only by `performance/scorecard.py`."""

from frappe.model.document import Document


class KPIScorecard(Document):
	pass
