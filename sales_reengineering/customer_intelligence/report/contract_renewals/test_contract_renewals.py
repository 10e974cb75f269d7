# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from sales_reengineering.customer_intelligence.report.contract_renewals.contract_renewals import execute
from sales_reengineering.customer_intelligence.report.customer_transaction_history.test_customer_transaction_history import (
	make_contract,
)
from sales_reengineering.exceptions import CustomerIntelligenceError
from sales_reengineering.tests.factories_customer_intelligence import make_customer, make_team, make_user


class TestContractRenewals(FrappeTestCase):
	def setUp(self):
		self.team = make_team(with_users=False)
		self.customer_a = make_customer(self.team.rep_a)
		self.customer_b = make_customer(self.team.rep_b)
		self.soon = make_contract(
			self.customer_a, 1000, end_date=add_days(today(), 90), sr_renewal_date=add_days(today(), 20)
		)
		self.later = make_contract(self.customer_a, 2000, end_date=add_days(today(), 200))
		self.overdue = make_contract(
			self.customer_b, 3000, start_date=add_days(today(), -400), end_date=add_days(today(), -10)
		)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def names(self, **filters) -> list[str]:
		return [
			row.contract
			for row in execute({"days_ahead": 60, "sales_person": self.team.manager, **filters})[1]
		]

	def test_due_and_overdue_contracts(self):
		self.assertEqual(self.names(), [self.overdue, self.soon])
		self.assertEqual(self.names(include_overdue=0), [self.soon])
		self.assertEqual(self.names(days_ahead=365, include_overdue=0), [self.soon, self.later])
		_columns, data, _message, _chart, summary = execute(
			{"days_ahead": 60, "sales_person": self.team.manager}
		)
		days = {row.contract: row.days_left for row in data}
		self.assertEqual((days[self.soon], days[self.overdue]), (20, -10))
		self.assertEqual((summary[0]["value"], summary[1]["value"], summary[2]["value"]), (1, 1, 4000))

	def test_assistant_restricted_to_team_contracts(self):
		rep = make_user("rep.renewals.ci@sr-test.invalid", ["Sales User", "Sales Assistant"])
		from sales_reengineering.tests.factories_customer_intelligence import link_user_to_sales_person

		link_user_to_sales_person(rep, self.team.rep_a)
		frappe.set_user(rep)
		self.assertEqual(self.names(), [self.soon])

	def test_sales_user_runs_the_report_for_own_contracts(self):
		from frappe.desk.query_report import run

		from sales_reengineering.tests.factories_customer_intelligence import make_sales_user

		rep = make_sales_user(self.team.rep_a)
		self.assertEqual(frappe.get_roles(rep).count("Sales User"), 1)
		frappe.set_user(rep)
		self.assertTrue(frappe.get_doc("Report", "Contract Renewals").is_permitted())
		result = run("Contract Renewals", filters={"days_ahead": 60})
		contracts = {row["contract"] for row in result["result"] if isinstance(row, dict)}
		self.assertIn(self.soon, contracts)
		self.assertNotIn(self.overdue, contracts)  # rep B's customer
		self.assertFalse(frappe.has_permission("Contract", "read", doc=self.overdue))

		# without the role, the report is refused
		frappe.set_user("Administrator")
		make_user("nobody.renewals.ci@sr-test.invalid", ["Accounts User"])
		frappe.set_user("nobody.renewals.ci@sr-test.invalid")
		self.assertFalse(frappe.get_doc("Report", "Contract Renewals").is_permitted())
		with self.assertRaises(frappe.PermissionError):
			run("Contract Renewals", filters={"days_ahead": 60})

	def test_bad_days_are_rejected(self):
		for days in (None, -1, "abc", 100000):
			with self.subTest(days=days), self.assertRaises(CustomerIntelligenceError):
				execute({"days_ahead": days})
