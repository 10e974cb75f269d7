"""Counting the SQL statements a piece of code sends, for the tests that a hot path's query count does
not grow with the number of people or documents it handles."""

from contextlib import contextmanager

import frappe


@contextmanager
def counted_queries():
	"""Yields a list that collects every statement `frappe.db.sql` runs inside the block."""
	queries = []
	original = frappe.db.__class__.sql

	def sql(db, query, *args, **kwargs):
		queries.append(str(query))
		return original(db, query, *args, **kwargs)

	frappe.db.__class__.sql = sql
	try:
		yield queries
	finally:
		frappe.db.__class__.sql = original


def query_count(function, *args, **kwargs) -> int:
	"""How many statements `function(*args, **kwargs)` runs."""
	with counted_queries() as queries:
		function(*args, **kwargs)
	return len(queries)
