# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""A ranking snapshot of one period and level; written only by `performance/ranking.py`."""

import frappe
from frappe.model.document import Document

ENTRIES = "entries"


class SalesRanking(Document):
	def update_child_table(self, fieldname: str, df=None):
		"""The entries are replaced as a whole on every save: one DELETE and one multi-row INSERT instead
		of Frappe's INSERT or UPDATE per row (a ranking has a row per salesperson or team)."""
		if fieldname != ENTRIES:
			return super().update_child_table(fieldname, df)
		df = df or self.meta.get_field(fieldname)
		entry = frappe.qb.DocType(df.options)
		(
			frappe.qb.from_(entry)
			.where(
				(entry.parent == self.name)
				& (entry.parenttype == self.doctype)
				& (entry.parentfield == fieldname)
			)
			.delete()
		).run()
		rows = [row.get_valid_dict(convert_dates_to_str=True) for row in self.get(fieldname)]
		if rows:
			frappe.db.bulk_insert(df.options, list(rows[0]), [tuple(row.values()) for row in rows], chunk_size=1000)
		for row in self.get(fieldname):
			row.set("__islocal", False)
