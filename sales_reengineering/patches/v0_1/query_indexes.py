"""The indexes the app's queries need (sales_reengineering.setup.indexes), on a site installed before
them. Idempotent: an index that exists is left alone."""

from sales_reengineering.setup.indexes import add_indexes


def execute():
	add_indexes()
