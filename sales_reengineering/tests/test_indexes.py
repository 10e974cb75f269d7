# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""The query indexes (setup/indexes.py): present after install or migrate, added once, and only those on
ERPNext's tables dropped at uninstall (the app's own tables go with their indexes)."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.setup import indexes


class TestIndexes(FrappeTestCase):
	def test_every_index_is_on_the_site(self):
		for doctype, name, columns in indexes.INDEXES:
			rows = frappe.db.sql(f"SHOW INDEX FROM `tab{doctype}` WHERE Key_name = %s", name, as_dict=True)
			self.assertEqual(
				[row.Column_name for row in sorted(rows, key=lambda row: row.Seq_in_index)],
				list(columns),
				f"{doctype}.{name}",
			)

	def test_adding_them_again_changes_nothing(self):
		with patch.object(frappe.db, "add_index") as add:
			self.assertEqual(indexes.add_indexes(), [])
		add.assert_not_called()

	def test_uninstall_drops_only_those_on_erpnext_tables(self):
		with patch.object(frappe.db, "sql_ddl") as ddl:
			dropped = indexes.remove_indexes()
		own = indexes._app_doctypes()
		expected = [f"{d}.{n}" for d, n, _c in indexes.INDEXES if d not in own]
		expected += [f"{d}.{n}" for d, n in indexes.RETIRED if frappe.db.has_index(f"tab{d}", n)]
		self.assertEqual(dropped, expected)
		self.assertIn("Sales Invoice.sr_customer_posting", dropped)
		self.assertNotIn("KPI Scorecard.sr_period", dropped)
		self.assertEqual(len(ddl.call_args_list), len(expected))
		self.assertTrue(all(call.args[0].startswith("ALTER TABLE `tab") for call in ddl.call_args_list))

	def test_an_index_whose_column_is_gone_is_skipped(self):
		with (
			patch.object(indexes, "INDEXES", (("Customer", "sr_test_missing", ("sr_no_such_column",)),)),
			patch.object(frappe.db, "add_index") as add,
		):
			self.assertEqual(indexes.add_indexes(), [])
		add.assert_not_called()

	def test_a_retired_index_is_dropped_by_the_next_migrate(self):
		# sr_posting_net, replaced by sr_period_invoices (which also holds company, is_return, customer)
		doctype, name = indexes.RETIRED[0]
		if not frappe.db.has_index(f"tab{doctype}", name):
			frappe.db.add_index(doctype, ["docstatus", "posting_date", "base_net_total"], name)
		self.assertTrue(frappe.db.has_index(f"tab{doctype}", name))
		self.assertEqual(indexes.add_indexes(), [])
		self.assertFalse(frappe.db.has_index(f"tab{doctype}", name))
		self.assertTrue(frappe.db.has_index("tabSales Invoice", "sr_period_invoices"))
