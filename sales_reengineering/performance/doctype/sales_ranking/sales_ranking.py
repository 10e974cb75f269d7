# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""A ranking snapshot of one period and level; written only by `performance/ranking.py`."""

from frappe.model.document import Document


class SalesRanking(Document):
	pass
