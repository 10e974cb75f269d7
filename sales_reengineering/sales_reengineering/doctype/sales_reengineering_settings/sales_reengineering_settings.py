# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from sales_reengineering.exceptions import InvalidReminderRuleError, InvalidSettingError

# fieldname -> smallest allowed value; every one of these is a number of days
MINIMUM_DAYS = {
	"stuck_opportunity_days": 1,
	"dormant_customer_days": 1,
	"deal_protection_days": 1,
}
MIN_SCORE_CAP = 100
MAX_SCORE_CAP = 1000
# the ranking runs on a day every month has
RANKING_DAYS = range(1, 29)


class SalesReengineeringSettings(Document):
	def validate(self):
		self.validate_days()
		self.validate_score_cap()
		self.validate_ranking_day()
		self.validate_reminder_rules()

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


def get_settings() -> frappe._dict:
	"""The settings as a plain dict, with the shipped defaults for anything never saved.

	Cached per request by `frappe.get_cached_doc`."""
	doc = frappe.get_cached_doc("Sales Reengineering Settings")
	values = frappe._dict()
	for df in doc.meta.fields:
		if df.fieldtype in ("Int", "Percent", "Float", "Check", "Data", "Select", "Link"):
			value = doc.get(df.fieldname)
			values[df.fieldname] = df.default if value in (None, "") and df.default else value
	for fieldname in (*MINIMUM_DAYS, "ranking_day_of_month"):
		values[fieldname] = int(values[fieldname] or 0)
	values.kpi_score_cap = float(values.kpi_score_cap or MIN_SCORE_CAP)
	return values
