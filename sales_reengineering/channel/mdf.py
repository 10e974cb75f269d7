"""Market development funds on the dealer portal (/dealer/funds): the dealer's funds and claims, applying
for a fund against a plan, and claiming against an approved fund with the proof uploaded.

Every function starts from the session user's dealer (`get_portal_dealer`); the lists go through
`frappe.get_list`, so the dealer scope (scope.dealers) decides what a dealer sees. A dealer applies and
claims for its own dealer only; the doctypes refuse anything else whichever door it comes through.
"""

import os
from typing import Annotated

import frappe
from frappe import _
from frappe.utils import flt, today

from sales_reengineering.arguments import check_arguments, parse_date, parse_number, plain_text, rows_of
from sales_reengineering.channel.portal import clean_items, get_portal_dealer
from sales_reengineering.companies import dealer_company
from sales_reengineering.exceptions import MarketDevelopmentFundError, MDFClaimError

ACTIVITY_TEXTS = ("activity",)
ACTIVITY_NUMBERS = {"planned_cost": 0}
ACTIVITY_FIELDS = (*ACTIVITY_TEXTS, "planned_date", *ACTIVITY_NUMBERS)
# what a proof may be: documents and pictures (Frappe's size limit applies on top)
PROOF_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".webp")


def get_funds(limit: int = 100) -> list[dict]:
	"""The funds of the user's branch, newest first (permission-aware)."""
	return frappe.get_list(
		"Market Development Fund",
		fields=[
			"name",
			"dealer",
			"fiscal_year",
			"purpose",
			"status",
			"requested_amount",
			"approved_amount",
			"claimed_amount",
		],
		order_by="creation desc",
		limit_page_length=limit,
	)


def get_claims(limit: int = 100) -> list[dict]:
	"""The claims of the user's branch, newest first (permission-aware)."""
	return frappe.get_list(
		"MDF Claim",
		fields=["name", "fund", "dealer", "claim_date", "claimed_amount", "status"],
		order_by="creation desc",
		limit_page_length=limit,
	)


def current_fiscal_year(company: str | None) -> str | None:
	from erpnext.accounts.utils import get_fiscal_year

	try:
		return get_fiscal_year(today(), company=company, as_dict=True).name
	except Exception:  # no fiscal year covers today: the dealer picks one
		return None


@frappe.whitelist(methods=["POST"])
@check_arguments(closed=True)
def apply_for_fund(
	purpose: Annotated[str, plain_text("Purpose")],
	activities: Annotated[list, rows_of("Activities", ACTIVITY_FIELDS)],
	fiscal_year: Annotated[str, plain_text("Fiscal Year")] | None = None,
	description: Annotated[str, plain_text("Description", 2000)] | None = None,
) -> dict:
	"""Create and submit the dealer's application for market development funds (Pending Approval)."""
	dealer = get_portal_dealer()
	# the company the dealer buys from (its own, else the site's default), as its purchases count
	company = dealer_company(frappe.db.get_value("Dealer", dealer, "company"))
	fiscal_year = fiscal_year or current_fiscal_year(company)
	if not fiscal_year or not frappe.db.exists("Fiscal Year", fiscal_year):
		frappe.throw(_("Choose the fiscal year of the plan."), MarketDevelopmentFundError)
	rows = clean_items("Market Development Fund Activity", activities, ACTIVITY_TEXTS, ACTIVITY_NUMBERS)
	for row, sent in zip(rows, activities, strict=True):
		planned = sent.get("planned_date")
		row["planned_date"] = parse_date(planned, "Planned Date") if planned else None
	doc = frappe.get_doc(
		{
			"doctype": "Market Development Fund",
			"dealer": dealer,
			"company": company,
			"fiscal_year": fiscal_year,
			"purpose": purpose,
			"description": description,
			"activities": [row for row in rows if row.get("activity") or row.get("planned_cost")],
		}
	)
	doc.check_permission("create")
	doc.insert()
	doc.submit()
	return {"name": doc.name, "status": doc.status, "requested_amount": doc.requested_amount}


@frappe.whitelist(methods=["POST"])
@check_arguments(closed=True)
def claim_fund(
	fund: Annotated[str, plain_text("Market Development Fund")],
	claimed_amount: Annotated[str, plain_text("Claimed Amount")],
	description: Annotated[str, plain_text("What Was Done", 2000)] | None = None,
) -> dict:
	"""Create and submit a claim against an approved fund of the dealer, with the proof file posted in
	the same request (multipart field `proof`)."""
	upload = frappe.request.files.get("proof") if getattr(frappe.local, "request", None) else None
	if not upload or not upload.filename:
		frappe.throw(
			_("Attach the proof of the activity (invoices, photos or a report) to the claim."), MDFClaimError
		)
	return make_claim(fund, claimed_amount, description, upload.filename, upload.stream.read())


def make_claim(fund: str, claimed_amount, description: str | None, filename: str, content: bytes) -> dict:
	get_portal_dealer()
	amount = parse_number(claimed_amount, _("Claimed Amount"), minimum=0)
	filename = os.path.basename(filename or "")
	if not content or not filename.lower().endswith(PROOF_EXTENSIONS):
		frappe.throw(
			_("The proof must be a PDF or a picture ({0}).").format(", ".join(PROOF_EXTENSIONS)),
			MDFClaimError,
		)
	doc = frappe.get_doc(
		{
			"doctype": "MDF Claim",
			"fund": fund,
			"claimed_amount": flt(amount),
			"claim_date": today(),
			"description": description,
		}
	)
	# before the file is written: a claim on a fund the dealer may not see, or one that cannot pass
	if not frappe.db.exists("Market Development Fund", fund) or not frappe.has_permission(
		"Market Development Fund", "read", doc=fund
	):
		frappe.throw(_("Market development fund {0} does not exist.").format(fund), MDFClaimError)
	fund_row = doc.get_fund()
	doc.dealer = fund_row.dealer
	doc.check_permission("create")
	# takes the fund's claim lock: a second claim waits here, before its file is written
	doc.validate_within_fund(fund_row)
	# the proof is the claim's own private file; the user's right to create this claim was checked above
	proof = frappe.get_doc(
		{"doctype": "File", "file_name": filename, "content": content, "is_private": 1}
	).insert(ignore_permissions=True)
	doc.proof = proof.file_url
	doc.insert()
	doc.submit()
	proof.db_set(
		{"attached_to_doctype": "MDF Claim", "attached_to_name": doc.name, "attached_to_field": "proof"}
	)
	return {"name": doc.name, "status": doc.status}
