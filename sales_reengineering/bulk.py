"""Bulk writes: many new records of one doctype in a constant number of statements.

For records a background job makes in numbers (telesales calls, reminder logs) and whose controller has
nothing to check or set for them: the values still go through Frappe's own column conversion
(`get_valid_dict`), so they are stored as `insert()` would store them, with the same owner, timestamps and
names (a naming series takes its numbers from Frappe's `tabSeries` counter, reserved in one step)."""

import frappe
from frappe.model.naming import parse_naming_series
from frappe.utils import cint, now_datetime

CHUNK = 1000


def reserve_names(naming_series: str, count: int, digits: int = 5) -> list[str]:
	"""`count` consecutive names of `naming_series` ("TSC-.YYYY.-" and `digits` digits, as Frappe names
	one document at a time), from `tabSeries` in one locked read and one write."""
	if count <= 0:
		return []
	prefix = parse_naming_series(naming_series)
	series = frappe.qb.DocType("Series")
	current = (frappe.qb.from_(series).select(series.current).where(series.name == prefix).for_update()).run()
	if current and current[0][0] is not None:
		start = cint(current[0][0])
		frappe.qb.update(series).set(series.current, start + count).where(series.name == prefix).run()
	else:
		start = 0
		frappe.qb.into(series).columns(series.name, series.current).insert(prefix, count).run()
	return [f"{prefix}{number:0{digits}d}" for number in range(start + 1, start + count + 1)]


def insert_records(doctype: str, records: list[dict], names: list[str] | None = None) -> list[str]:
	"""Insert `records` (field values) of `doctype` in bulk; returns their names in order.

	names: given, or from the doctype's naming series (its default), or random hashes."""
	if not records:
		return []
	if names is None:
		field = frappe.get_meta(doctype).get_field("naming_series")
		if field and field.default:
			names = reserve_names(field.default, len(records))
			records = [{"naming_series": field.default, **record} for record in records]
		else:
			names = [frappe.generate_hash(length=10) for _record in records]
	now, user = now_datetime(), frappe.session.user
	rows = [
		frappe.get_doc(
			{
				"owner": user,
				"modified_by": user,
				"creation": now,
				"modified": now,
				"docstatus": 0,
				"idx": 0,
				**record,
				"doctype": doctype,
				"name": name,
			}
		).get_valid_dict(convert_dates_to_str=True)
		for name, record in zip(names, records, strict=True)
	]
	frappe.db.bulk_insert(doctype, list(rows[0]), [tuple(row.values()) for row in rows], chunk_size=CHUNK)
	return names
