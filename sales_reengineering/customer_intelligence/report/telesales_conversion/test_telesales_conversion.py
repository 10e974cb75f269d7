# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from sales_reengineering.customer_intelligence.doctype.telesales_call.test_telesales_call import bought
from sales_reengineering.customer_intelligence.report.telesales_conversion.telesales_conversion import (
	execute,
	repeat_purchase_rate,
)
from sales_reengineering.exceptions import CustomerIntelligenceError
from sales_reengineering.tests.factories_customer_intelligence import (
	make_customer,
	make_opportunity,
	make_user,
)

CALL = "Telesales Call"


class TestTelesalesConversion(FrappeTestCase):
	def setUp(self):
		self.agent_1 = make_user("agent.one.ci@sr-test.invalid", ["Telesales Agent"])
		self.agent_2 = make_user("agent.two.ci@sr-test.invalid", ["Telesales Agent"])

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def call(self, agent: str, **values) -> str:
		customer = make_customer()
		if values.get("outcome") == "Converted":
			values.update(conversion_doctype="Opportunity", conversion_name=make_opportunity(customer).name)
		return (
			frappe.get_doc({"doctype": CALL, "customer": customer, "agent": agent, **values})
			.insert(ignore_permissions=True)
			.name
		)

	def test_conversion_per_agent(self):
		self.call(self.agent_1, outcome="Converted")
		self.call(self.agent_1, outcome="Not Reached")
		self.call(self.agent_1, outcome="Call Back Later", follow_up_date=add_days(today(), 3))
		self.call(self.agent_1)
		self.call(self.agent_2, outcome="Not Interested")
		filters = {"from_date": today(), "to_date": today()}

		_columns, data, _message, _chart, summary = execute(filters)
		rows = {row.agent: row for row in data}
		self.assertEqual(summary[0]["value"], sum(row.calls for row in data))
		one = rows[self.agent_1]
		self.assertEqual((one.calls, one.reached, one.follow_ups, one.converted), (4, 2, 1, 1))
		self.assertEqual(one.conversion_rate, 25)
		self.assertEqual((rows[self.agent_2].calls, rows[self.agent_2].converted), (1, 0))

		frappe.set_user(self.agent_2)  # an agent sees only their own row
		_columns, data, *_rest = execute(filters)
		self.assertEqual([row.agent for row in data], [self.agent_2])

	def test_repeat_purchase_rate(self):
		start = add_days(today(), -30)
		before = repeat_purchase_rate(start, today())
		returning, new, lapsed = make_customer(), make_customer(), make_customer()
		bought(returning, 100, 5)
		bought(new, 3)
		bought(lapsed, 200)
		self.assertEqual(repeat_purchase_rate(start, today()), (before[0] + 2, before[1] + 1))

	def test_bad_dates_are_rejected(self):
		for filters in ({}, {"from_date": today(), "to_date": add_days(today(), -1)}):
			with self.subTest(filters=filters), self.assertRaises(CustomerIntelligenceError):
				execute(filters)
