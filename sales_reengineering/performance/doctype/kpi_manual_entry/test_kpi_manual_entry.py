# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import InvalidIndicatorError
from sales_reengineering.tests.factories_customer_intelligence import make_sales_user, make_team
from sales_reengineering.tests.factories_performance import REP_A, REP_B, make_indicator
from sales_reengineering.tests.utils import make_user


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


class TestKPIManualEntryPermissions(FrappeTestCase):
	"""A salesperson sees their own entries, a manager their team's, a Sales Manager everyone's."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.team = make_team()
		cls.other = make_team(with_users=False)
		indicator = make_indicator("_Test SR Permission Visits", unit="Count").name
		cls.entries = {
			person: entry(indicator, person, "2026-07-01", 1).name
			for person in (cls.team.rep_a, cls.team.rep_b, cls.other.rep_a)
		}
		cls.sales_manager = make_user("sr_manual_entry_manager@example.com", ["Sales Manager"])

	def tearDown(self):
		frappe.set_user("Administrator")

	def visible(self, user):
		frappe.set_user(user)
		names = set(
			frappe.get_list(
				"KPI Manual Entry", filters={"name": ("in", list(self.entries.values()))}, pluck="name"
			)
		)
		frappe.set_user("Administrator")
		return {person for person, name in self.entries.items() if name in names}

	def can_read(self, user, person):
		return frappe.has_permission("KPI Manual Entry", "read", doc=self.entries[person], user=user)

	def test_salesperson_sees_only_their_own_entries(self):
		user, team = self.team.rep_a_user, self.team
		self.assertEqual(self.visible(user), {team.rep_a})
		self.assertTrue(self.can_read(user, team.rep_a))
		self.assertFalse(self.can_read(user, team.rep_b))
		self.assertFalse(self.can_read(user, self.other.rep_a))
		frappe.set_user(user)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("KPI Manual Entry", self.entries[team.rep_b]).check_permission("read")

	def test_manager_sees_the_subtree(self):
		self.assertEqual(self.visible(self.team.manager_user), {self.team.rep_a, self.team.rep_b})
		self.assertFalse(self.can_read(self.team.manager_user, self.other.rep_a))

	def test_sales_manager_and_unlinked_users(self):
		self.assertEqual(self.visible(self.sales_manager), set(self.entries))
		stranger = make_user("sr_manual_entry_stranger@example.com", ["Sales User"])
		self.assertEqual(self.visible(stranger), set())
		self.assertFalse(self.can_read(stranger, self.team.rep_a))
