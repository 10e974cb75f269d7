"""The pipeline's number cards. "My" cards count the open opportunities (not yet won, lost or closed)
whose responsible salesperson is the session user's (`sr_sales_person`), or, for a user who is no
salesperson, those they created; the others all the user may see. One aggregate through
`frappe.get_list` each (the user's scope applies)."""

import frappe

from sales_reengineering.scope.people import get_user_sales_persons

CLOSED = ("Converted", "Lost", "Closed")
# an opportunity's amount in the company currency; ERPNext sets base_opportunity_amount only in the form's
# script, so an opportunity made through the API or an import has 0 there
PIPELINE_AMOUNT = "opportunity_amount * conversion_rate"


def _my_open_opportunities() -> dict:
	mine = get_user_sales_persons()
	filters = {"status": ("not in", CLOSED)}
	if mine:
		filters["sr_sales_person"] = ("in", mine)
	else:
		filters["owner"] = frappe.session.user
	return filters


@frappe.whitelist()
def my_open_opportunities(filters: str | dict | None = None) -> dict:
	rows = frappe.get_list(
		"Opportunity", filters=_my_open_opportunities(), fields=["count(*) as count"], limit_page_length=0
	)
	return {"value": rows[0].count if rows else 0, "fieldtype": "Int"}


@frappe.whitelist()
def my_pipeline_value(filters: str | dict | None = None) -> dict:
	"""Their open opportunities' amount in the company currency."""
	return _pipeline_value(_my_open_opportunities())


@frappe.whitelist()
def open_pipeline_value(filters: str | dict | None = None) -> dict:
	"""The amount of every open opportunity the user may see (a manager: the whole team's)."""
	return _pipeline_value({"status": ("not in", CLOSED)})


def _pipeline_value(filters: dict) -> dict:
	rows = frappe.get_list(
		"Opportunity", filters=filters, fields=[f"sum({PIPELINE_AMOUNT}) as amount"], limit_page_length=0
	)
	return {"value": (rows[0].amount if rows else 0) or 0, "fieldtype": "Currency"}
