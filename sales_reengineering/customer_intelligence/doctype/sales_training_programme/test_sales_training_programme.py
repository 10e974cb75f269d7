# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import random_string

from sales_reengineering.exceptions import InvalidTrainingError


class TestSalesTrainingProgramme(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def programme(self, **values):
		return frappe.get_doc(
			{
				"doctype": "Sales Training Programme",
				"programme_name": f"_Test SR Programme {random_string(6)}",
				"hours": 8,
				**values,
			}
		).insert()

	def test_defaults_and_bad_values(self):
		programme = self.programme()
		self.assertEqual((programme.pass_mark, programme.active), (60, 1))
		for label, values in {
			"no hours": {"hours": 0},
			"too many hours": {"hours": 5000},
			"negative pass mark": {"pass_mark": -1},
			"pass mark above 100": {"pass_mark": 101},
		}.items():
			with self.subTest(label), self.assertRaises(InvalidTrainingError):
				self.programme(**values)
