# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""A reward tier of the monthly and quarterly rankings, a row of Sales Reengineering Settings: the top N
percent of the ranking, or everyone at or above a score. The settings validate the rows."""

from frappe.model.document import Document


class KPIRewardTier(Document):
	pass
