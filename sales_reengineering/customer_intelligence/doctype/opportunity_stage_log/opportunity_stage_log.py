# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

from frappe.model.document import Document


class OpportunityStageLog(Document):
	"""One stage change (or win / loss / close / reopening) of an Opportunity.

	Written only by `sales_reengineering.customer_intelligence.opportunity.log_stage_change`; users
	cannot create or edit these rows (the doctype is `in_create` and has no write right)."""
