"""Counting the SQL statements a piece of code sends, for the benchmark and the CI guard."""

from __future__ import annotations

from contextlib import contextmanager

import frappe


class QueryLog:
	def __init__(self):
		self.queries: list[str] = []

	@property
	def count(self) -> int:
		return len(self.queries)


@contextmanager
def count_queries():
	"""Every statement sent through `frappe.db.sql` inside the block (as Frappe's assertQueryCount)."""
	log = QueryLog()
	original = frappe.db.__class__.sql

	def counted(self, *args, **kwargs):
		result = original(self, *args, **kwargs)
		log.queries.append(str(args[0]) if args else "")
		return result

	frappe.db.__class__.sql = counted
	try:
		yield log
	finally:
		frappe.db.__class__.sql = original
