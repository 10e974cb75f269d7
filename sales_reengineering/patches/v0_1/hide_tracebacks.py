"""Sites installed before the app turned off Frappe's "Show Full Error" still send the full traceback of
every refusal to the caller (a dealer or a salesperson reads the code, the query and its values). Turn
it off once on those sites too, as a new install does; an administrator may turn it back on to debug."""

from sales_reengineering.install import hide_tracebacks


def execute():
	hide_tracebacks()
