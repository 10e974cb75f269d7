"""Ship the built-in KPI indicators added for dealers (Dealer Purchases, Deal Registrations Approved,
Sell-Through Reported), telesales (Telesales Calls Made, Telesales Conversions) and the Info Feedback
Weekly Frequency. Creates only the missing records: an administrator's edits of the existing ones are
kept."""

from sales_reengineering.performance.setup import create_builtin_indicators


def execute():
	create_builtin_indicators()
