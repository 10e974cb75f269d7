"""Ship the built-in KPI indicators added since the first release (the sales assistants' Maintained
Customer Completeness and Customers Maintained). Creates only the missing records: an administrator's
edits of the existing ones are kept."""

from sales_reengineering.performance.setup import create_builtin_indicators


def execute():
	create_builtin_indicators()
