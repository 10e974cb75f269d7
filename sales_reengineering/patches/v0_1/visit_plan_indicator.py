"""Ship the built-in KPI indicator Visit Plan Completion (sales-activity management). Creates only the
missing records: an administrator's edits of the existing ones are kept."""

from sales_reengineering.performance.setup import create_builtin_indicators


def execute():
	create_builtin_indicators()
