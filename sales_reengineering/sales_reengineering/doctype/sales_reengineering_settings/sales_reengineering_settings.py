# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from sales_reengineering.exceptions import (
	InvalidReminderRuleError,
	InvalidRewardTierError,
	InvalidSettingError,
)

# fieldname -> smallest allowed value; every one of these is a number of days
MINIMUM_DAYS = {
	"stuck_opportunity_days": 1,
	"dormant_customer_days": 1,
	"deal_protection_days": 1,
	"telesales_call_cooldown_days": 1,
}
# telesales: a prediction needs at least two purchase days (one interval); the overdue multiple is at
# least 1 (a customer is never overdue before its predicted next purchase)
MIN_PURCHASES = 2
MIN_OVERDUE_MULTIPLE = 1
MIN_SCORE_CAP = 100
MAX_SCORE_CAP = 1000
# the ranking runs on a day every month has
RANKING_DAYS = range(1, 29)
# the Terminal Price Spread report's price-war thresholds (percent) and their shipped defaults
PRICE_WAR_THRESHOLDS = {"price_war_spread_percent": 15.0, "price_war_undercut_percent": 10.0}
# the basis of a reward tier that takes the top N percent of a ranking (the other is "Score At Least")
TOP_PERCENT = "Top Percent of Ranking"


class SalesReengineeringSettings(Document):
	def validate(self):
		self.validate_days()
		self.validate_score_cap()
		self.validate_ranking_day()
		self.validate_reward_tiers()
		self.validate_reminder_rules()
		self.validate_opportunity_rule()
		self.validate_telesales()
		self.validate_price_war_thresholds()
		# sites that had the settings before this field existed store no value for it
		self.telesales_assignment_method = self.telesales_assignment_method or "By Load"
		self.drop_fractions_of_seconds()

	def drop_fractions_of_seconds(self):
		"""Quiet hours are whole times: a value with microseconds (Frappe's nowtime() on a new document)
		makes the form show a time it did not store and open as "Not Saved"."""
		for fieldname in ("quiet_hours_start", "quiet_hours_end"):
			value = self.get(fieldname)
			if value and "." in str(value):
				self.set(fieldname, str(value).split(".", 1)[0])

	def validate_days(self):
		for fieldname, minimum in MINIMUM_DAYS.items():
			value = self.get(fieldname)
			if value is None or int(value) < minimum:
				frappe.throw(
					_("{0} must be at least {1} day, not {2}.").format(
						_(self.meta.get_label(fieldname)), minimum, value
					),
					InvalidSettingError,
					title=_("Invalid Setting"),
				)

	def validate_score_cap(self):
		cap = self.kpi_score_cap
		if cap is None or not (MIN_SCORE_CAP <= float(cap) <= MAX_SCORE_CAP):
			frappe.throw(
				_("The KPI score cap must be between {0}% and {1}%, not {2}%.").format(
					MIN_SCORE_CAP, MAX_SCORE_CAP, cap
				),
				InvalidSettingError,
				title=_("Invalid Setting"),
			)

	def validate_ranking_day(self):
		if self.ranking_day_of_month not in RANKING_DAYS:
			frappe.throw(
				_("The ranking day of month must be between {0} and {1}, not {2}.").format(
					RANKING_DAYS.start, RANKING_DAYS.stop - 1, self.ranking_day_of_month
				),
				InvalidSettingError,
				title=_("Invalid Setting"),
			)

	def validate_reward_tiers(self):
		seen = set()
		for row in self.get("reward_tiers") or []:
			row.tier_name = (row.tier_name or "").strip()
			key = row.tier_name.casefold()
			if key in seen:
				frappe.throw(
					_("Row {0}: the reward tier {1} is listed twice.").format(row.idx, row.tier_name),
					InvalidRewardTierError,
					title=_("Invalid Reward Tier"),
				)
			seen.add(key)
			threshold = flt(row.threshold)
			if row.basis == TOP_PERCENT and not 0 < threshold <= 100:
				frappe.throw(
					_(
						"Row {0}: the top-percent tier {1} needs a threshold above 0 and at most 100, not {2}."
					).format(row.idx, row.tier_name, row.threshold),
					InvalidRewardTierError,
					title=_("Invalid Reward Tier"),
				)
			if threshold < 0:
				frappe.throw(
					_("Row {0}: the threshold of reward tier {1} must not be negative.").format(
						row.idx, row.tier_name
					),
					InvalidRewardTierError,
					title=_("Invalid Reward Tier"),
				)

	def validate_reminder_rules(self):
		seen = set()
		for row in self.get("reminder_rules") or []:
			if row.rule in seen:
				frappe.throw(
					_("Row {0}: the reminder rule {1} is listed twice.").format(row.idx, _(row.rule)),
					InvalidReminderRuleError,
					title=_("Invalid Reminder Rule"),
				)
			seen.add(row.rule)
			if (row.days or 0) < 0 or (row.repeat_days or 0) < 0:
				frappe.throw(
					_("Row {0}: the days of reminder rule {1} cannot be negative.").format(
						row.idx, _(row.rule)
					),
					InvalidReminderRuleError,
					title=_("Invalid Reminder Rule"),
				)
			if row.enabled and not (row.notify_owner or row.notify_manager or row.notify_role):
				frappe.throw(
					_("Row {0}: reminder rule {1} is enabled but notifies nobody.").format(
						row.idx, _(row.rule)
					),
					InvalidReminderRuleError,
					title=_("Invalid Reminder Rule"),
				)


	def validate_opportunity_rule(self):
		if flt(self.opportunity_required_above) < 0:
			frappe.throw(
				_("The amount above which an opportunity is required cannot be negative, not {0}.").format(
					self.opportunity_required_above
				),
				InvalidSettingError,
				title=_("Invalid Setting"),
			)
		self.opportunity_required_for = self.opportunity_required_for or "Quotation and Sales Order"


	def validate_telesales(self):
		if self.telesales_min_purchases is None or int(self.telesales_min_purchases) < MIN_PURCHASES:
			frappe.throw(
				_("A prediction needs at least {0} purchases, not {1}.").format(
					MIN_PURCHASES, self.telesales_min_purchases
				),
				InvalidSettingError,
				title=_("Invalid Setting"),
			)
		if self.telesales_overdue_multiple is None or flt(self.telesales_overdue_multiple) < MIN_OVERDUE_MULTIPLE:
			frappe.throw(
				_("The overdue multiple of the purchase interval must be at least {0}, not {1}.").format(
					MIN_OVERDUE_MULTIPLE, self.telesales_overdue_multiple
				),
				InvalidSettingError,
				title=_("Invalid Setting"),
			)

	def validate_price_war_thresholds(self):
		for fieldname, default in PRICE_WAR_THRESHOLDS.items():
			# a site migrated to these fields holds nothing yet: the shipped default
			if self.get(fieldname) in (None, "", 0):
				self.set(fieldname, default)
			value = self.get(fieldname)
			if not 0 < flt(value) <= 100:
				frappe.throw(
					_("{0} must be above 0% and at most 100%, not {1}%.").format(
						_(self.meta.get_label(fieldname)), value
					),
					InvalidSettingError,
					title=_("Invalid Setting"),
				)


def get_settings() -> frappe._dict:
	"""The settings as a plain dict, with the shipped defaults for anything never saved.

	Cached per request by `frappe.get_cached_doc`."""
	doc = frappe.get_cached_doc("Sales Reengineering Settings")
	values = frappe._dict()
	for df in doc.meta.fields:
		if df.fieldtype in ("Int", "Percent", "Float", "Currency", "Check", "Data", "Select", "Link"):
			value = doc.get(df.fieldname)
			values[df.fieldname] = df.default if value in (None, "") and df.default else value
	for fieldname in (*MINIMUM_DAYS, "ranking_day_of_month"):
		values[fieldname] = int(values[fieldname] or 0)
	values.kpi_score_cap = float(values.kpi_score_cap or MIN_SCORE_CAP)
	# a site migrated to these fields stores 0 until the settings are saved: the shipped default applies
	for fieldname, default in PRICE_WAR_THRESHOLDS.items():
		values[fieldname] = flt(values.get(fieldname)) or default
	values.telesales_min_purchases = int(values.telesales_min_purchases or 3)
	values.telesales_overdue_multiple = float(values.telesales_overdue_multiple or 1.5)
	return values


def get_reward_tiers() -> list[frappe._dict]:
	"""The enabled reward tiers (tier_name, basis, threshold), in the order they are tried: ascending
	priority, then the order of the rows."""
	return frappe.get_all(
		"KPI Reward Tier",
		filters={
			"parenttype": "Sales Reengineering Settings",
			"parent": "Sales Reengineering Settings",
			"parentfield": "reward_tiers",
			"enabled": 1,
		},
		fields=["tier_name", "basis", "threshold"],
		order_by="priority asc, idx asc",
	)
