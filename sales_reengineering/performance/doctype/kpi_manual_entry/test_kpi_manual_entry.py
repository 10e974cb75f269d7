# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import InvalidIndicatorError
from sales_reengineering.tests.factories_performance import REP_A, REP_B, make_indicator


def entry(indicator, party, entry_date, value, **kwargs):
	values = {
		"doctype": "KPI Manual Entry",
		"indicator": indicator,
		"party_type": "Sales Person",
		"party": party,
		"entry_date": entry_date,
		"value": value,
		"remarks": "test",
	}
	values.update(kwargs)
	return frappe.get_doc(values).insert(ignore_permissions=True)


class TestKPIManualEntry(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_manual_indicator_sums_entries_of_the_period(self):
		indicator = make_indicator("_Test SR Attitude", unit="Rating")
		entry(indicator.name, REP_A, "2026-07-01", 3)
		entry(indicator.name, REP_A, "2026-09-30", 4)
		entry(indicator.name, REP_A, "2026-10-01", 100)
		entry(indicator.name, REP_B, "2026-08-01", 2)
		self.assertEqual(
			indicator.compute([REP_A, REP_B], "2026-07-01", "2026-09-30"), {REP_A: 7.0, REP_B: 2.0}
		)

	def test_drilldown_lists_the_summed_entries(self):
		indicator = make_indicator("_Test SR Attitude", unit="Rating")
		first = entry(indicator.name, REP_A, "2026-07-01", 3).name
		second = entry(indicator.name, REP_A, "2026-09-30", 4).name
		entry(indicator.name, REP_A, "2026-10-01", 100)
		entry(indicator.name, REP_B, "2026-08-01", 2)
		source = indicator.get_source([REP_A], "2026-07-01", "2026-09-30")
		self.assertEqual(indicator.drilldown_doctype(), "KPI Manual Entry")
		self.assertEqual(source.document_names(10), sorted([first, second]))

	def test_changes_are_audited(self):
		indicator = make_indicator("_Test SR Attitude", unit="Rating")
		doc = entry(indicator.name, REP_A, "2026-07-01", 3)
		doc.value = 5
		# tests skip versions unless asked (frappe.flags.in_test); the desk always writes them
		doc.save(ignore_permissions=True, ignore_version=False)
		versions = frappe.get_all(
			"Version", filters={"ref_doctype": "KPI Manual Entry", "docname": doc.name}, pluck="data"
		)
		self.assertTrue(any('"value"' in data for data in versions))

	def test_rejections(self):
		with self.assertRaises(InvalidIndicatorError):
			entry("Net Sales", REP_A, "2026-07-01", 1)
		disabled = make_indicator("_Test SR Disabled Manual", enabled=0)
		with self.assertRaises(InvalidIndicatorError):
			entry(disabled.name, REP_A, "2026-07-01", 1)
		dealer = make_indicator("_Test SR Dealer Manual", party_type="Dealer")
		with self.assertRaises(InvalidIndicatorError):
			entry(dealer.name, REP_A, "2026-07-01", 1)
