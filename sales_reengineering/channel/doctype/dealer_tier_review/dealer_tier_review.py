# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Sum
from frappe.utils import date_diff, flt, getdate

from sales_reengineering.channel.doctype.dealer_staff_certification.dealer_staff_certification import (
	count_certified_staff,
)
from sales_reengineering.companies import site_company
from sales_reengineering.core.channel_hierarchy import KEEP, next_tier, propose_tier_change
from sales_reengineering.exceptions import DealerTierError

DAYS_PER_QUARTER = 365.25 / 4


class DealerTierReview(Document):
	def validate(self):
		self.validate_dates()
		self.validate_thresholds()
		self.validate_rows()

	def before_submit(self):
		self.validate_certifications()

	def on_submit(self):
		self.apply_changes()

	def on_cancel(self):
		self.revert_changes()

	def validate_dates(self):
		if getdate(self.to_date) < getdate(self.from_date):
			frappe.throw(_("To Date cannot be before From Date."), DealerTierError)

	def validate_thresholds(self):
		if flt(self.promote_at) <= flt(self.demote_below):
			frappe.throw(
				_("The promotion threshold ({0}%) must be above the demotion threshold ({1}%).").format(
					flt(self.promote_at), flt(self.demote_below)
				),
				DealerTierError,
			)

	def validate_rows(self):
		dealers = [row.dealer for row in self.items]
		if len(dealers) != len(set(dealers)):
			frappe.throw(_("Each dealer can appear only once in a review."), DealerTierError)

	@frappe.whitelist()
	def get_proposals(self):
		"""Fill the rows with every active dealer's attainment, KPI score and proposed tier."""
		self.check_permission("write")
		self.validate_dates()
		self.validate_thresholds()
		self.set("items", [])
		for row in build_proposals(
			self.from_date, self.to_date, flt(self.promote_at), flt(self.demote_below)
		):
			self.append("items", row)
		return self.items

	def validate_certifications(self):
		"""No dealer moves up into a tier whose minimum of certified staff it lacks at the end of the
		period (counted again now, for every row in one query): a proposed tier typed in by hand too."""
		ladder = get_ladder()
		rank = {tier.name: tier.tier_rank or 0 for tier in ladder}
		needed = {tier.name: tier.min_certified_staff or 0 for tier in ladder}
		certified = count_certified_staff([row.dealer for row in self.items], self.to_date)
		missing = []
		for row in self.items:
			row.certified_staff = certified.get(row.dealer, 0)
			moves_up = row.proposed_tier and (
				not row.current_tier or rank.get(row.proposed_tier, 0) > rank.get(row.current_tier, 0)
			)
			if row.apply and moves_up and row.certified_staff < needed.get(row.proposed_tier, 0):
				missing.append(
					_("{0} has {1} certified staff, tier {2} needs {3}").format(
						row.dealer, row.certified_staff, row.proposed_tier, needed[row.proposed_tier]
					)
				)
		if missing:
			frappe.throw(
				_("These dealers cannot be promoted without their certified staff: {0}.").format(
					"; ".join(missing)
				),
				DealerTierError,
			)

	def apply_changes(self):
		for row in self.items:
			if row.apply and row.proposed_tier != row.current_tier:
				self.set_tier(row.dealer, row.proposed_tier)

	def revert_changes(self):
		for row in self.items:
			if row.apply and frappe.db.get_value("Dealer", row.dealer, "dealer_tier") == row.proposed_tier:
				self.set_tier(row.dealer, row.current_tier)

	def set_tier(self, dealer: str, tier: str | None):
		doc = frappe.get_doc("Dealer", dealer)
		doc.dealer_tier = tier
		doc.add_comment("Info", _("Tier set to {0} by tier review {1}.").format(tier or _("none"), self.name))
		doc.save()


def build_proposals(from_date, to_date, promote_at: float, demote_below: float) -> list[dict]:
	dealers = frappe.get_all(
		"Dealer",
		filters={"status": "Active"},
		fields=["name", "customer", "company", "dealer_tier"],
		order_by="lft",
	)
	if not dealers:
		return []
	ladder = get_ladder()
	minimum = {tier.name: flt(tier.min_quarterly_purchase) for tier in ladder}
	needed = {tier.name: tier.min_certified_staff or 0 for tier in ladder}
	rank = {tier.name: tier.tier_rank or 0 for tier in ladder}
	quarters = (date_diff(to_date, from_date) + 1) / DAYS_PER_QUARTER
	sell_in = get_sell_in([d.customer for d in dealers if d.customer], from_date, to_date)
	site = site_company()
	scores = get_kpi_scores([d.name for d in dealers], from_date, to_date)
	certified = count_certified_staff([d.name for d in dealers], to_date)
	rows = []
	for dealer in dealers:
		target = minimum.get(dealer.dealer_tier, 0) * quarters
		bought = flt(sell_in.get((dealer.customer, dealer.company or site)))
		attainment = 100 * bought / target if target else None
		score = scores.get((dealer.name, dealer.company or site))
		change = propose_tier_change(attainment, score, promote_at, demote_below)
		if not dealer.dealer_tier and bought and change == KEEP:
			change = "Promote"  # a dealer that buys without a tier enters the ladder at the bottom
		proposed = next_tier(dealer.dealer_tier, change, [tier.name for tier in ladder])
		staff = certified.get(dealer.name, 0)
		moves_up = proposed and (
			not dealer.dealer_tier or rank.get(proposed, 0) > rank.get(dealer.dealer_tier, 0)
		)
		if moves_up and staff < needed.get(proposed, 0):
			# sells enough, but lacks the trained staff the higher tier needs: stays where it is
			proposed = dealer.dealer_tier
		rows.append(
			{
				"dealer": dealer.name,
				"current_tier": dealer.dealer_tier,
				"sell_in": bought,
				"target": target,
				"attainment": attainment,
				"kpi_score": score,
				"certified_staff": staff,
				"change": change if proposed != dealer.dealer_tier else KEEP,
				"proposed_tier": proposed,
				"apply": int(proposed != dealer.dealer_tier),
			}
		)
	return rows


def get_ladder() -> list:
	"""The tiers, lowest first, with what each requires."""
	return frappe.get_all(
		"Dealer Tier",
		fields=["name", "tier_rank", "min_quarterly_purchase", "min_certified_staff"],
		order_by="tier_rank asc",
	)


def get_sell_in(customers: list[str], from_date, to_date) -> dict[tuple[str, str], float]:
	"""{(customer, company): net invoiced amount}: a dealer's sell-in is what it bought from the company it
	buys from (its own, else the site's default), in that company's currency; never two companies added."""
	if not customers:
		return {}
	invoice = frappe.qb.DocType("Sales Invoice")
	rows = (
		frappe.qb.from_(invoice)
		.select(invoice.customer, invoice.company, Sum(invoice.base_net_total))
		.where(
			(invoice.docstatus == 1)
			& invoice.customer.isin(customers)
			& (invoice.posting_date >= getdate(from_date))
			& (invoice.posting_date <= getdate(to_date))
		)
		.groupby(invoice.customer, invoice.company)
		.run()
	)
	return {(customer, company): amount for customer, company, amount in rows}


def get_kpi_scores(dealers: list[str], from_date, to_date) -> dict[tuple[str, str], float]:
	"""Each dealer's latest KPI scorecard total within the period per company, {(dealer, company): score}
	(the performance module's doctype; a scorecard counts its task's company)."""
	if not frappe.db.exists("DocType", "KPI Scorecard"):
		return {}
	rows = frappe.get_all(
		"KPI Scorecard",
		filters={
			"assignee_type": "Dealer",
			"assignee": ("in", dealers),
			"to_date": ("between", [getdate(from_date), getdate(to_date)]),
		},
		fields=["assignee", "company", "total_score", "to_date"],
		order_by="to_date asc",
	)
	return {(row.assignee, row.company): flt(row.total_score) for row in rows}
