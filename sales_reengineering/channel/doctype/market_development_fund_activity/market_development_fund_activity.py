# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

from frappe.model.document import Document


class MarketDevelopmentFundActivity(Document):
	pass
