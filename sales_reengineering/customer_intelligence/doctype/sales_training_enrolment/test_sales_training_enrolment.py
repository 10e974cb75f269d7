# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt
"""The enrolment's result; its rejections and scope are tested with the sessions
(sales_training_session/test_sales_training_session.py)."""

from frappe.tests.utils import FrappeTestCase

from sales_reengineering.customer_intelligence.training import result_of


class TestSalesTrainingEnrolment(FrappeTestCase):
	def test_result_of(self):
		cases = [
			((None, 0, 60), None),  # attendance not recorded yet
			(("Absent", 0, 60), "Absent"),
			(("Attended", 0, 0), "Attended"),  # no exam
			(("Attended", 59.9, 60), "Failed"),
			(("Attended", 60, 60), "Passed"),
			(("Attended", 0, 60), "Failed"),
		]
		for args, expected in cases:
			with self.subTest(args=args):
				self.assertEqual(result_of(*args), expected)
