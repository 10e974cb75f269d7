# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.exceptions import InvalidKPITemplateError
from sales_reengineering.tests.factories_performance import make_indicator, make_template


class TestKPITemplate(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_weights_must_total_exactly_100(self):
		template = make_template("_Test SR T100", [("Net Sales", 70, 1000), ("New Customers", 30, 5)])
		self.assertEqual(template.total_weight, 100)
		for rows in (
			[("Net Sales", 70, 1000), ("New Customers", 29.9, 5)],
			[("Net Sales", 70, 1000), ("New Customers", 31, 5)],
		):
			with self.subTest(rows=rows), self.assertRaises(InvalidKPITemplateError):
				make_template("_Test SR Bad Weights", rows)

	def test_rejections(self):
		make_indicator("_Test SR Disabled", enabled=0)
		make_indicator("_Test SR Dealer Only", party_type="Dealer")
		cases = {
			"duplicate": [("Net Sales", 50, 1), ("Net Sales", 50, 1)],
			"zero weight": [("Net Sales", 100, 1), ("New Customers", 0, 1)],
			"negative target": [("Net Sales", 100, -1)],
			"disabled indicator": [("_Test SR Disabled", 100, 1)],
			"indicator for dealers": [("_Test SR Dealer Only", 100, 1)],
		}
		for case, rows in cases.items():
			with self.subTest(case=case), self.assertRaises(frappe.ValidationError):
				make_template("_Test SR Bad", rows)

	def test_stepped_needs_valid_steps(self):
		rows = [("Net Sales", 100, 1000)]
		with self.assertRaises(frappe.ValidationError):
			make_template("_Test SR Stepped", rows, scoring_method="Stepped")
		with self.assertRaises(InvalidKPITemplateError):
			make_template(
				"_Test SR Stepped",
				rows,
				scoring_method="Stepped",
				steps=[{"min_attainment": 80, "score": 50}, {"min_attainment": 80, "score": 90}],
			)
		template = make_template(
			"_Test SR Stepped",
			rows,
			scoring_method="Stepped",
			steps=[{"min_attainment": 100, "score": 100}, {"min_attainment": 80, "score": 70}],
		)
		self.assertEqual(template.score_steps(), [(1.0, 1.0), (0.8, 0.7)])
		self.assertEqual(template.core_method(), "stepped")

	def test_dealer_template_takes_dealer_indicators(self):
		make_indicator("_Test SR Dealer Manual", party_type="Dealer")
		template = make_template(
			"_Test SR Dealer T", [("_Test SR Dealer Manual", 100, 10)], applies_to="Dealer"
		)
		self.assertEqual(template.party_type(), "Dealer")
		with self.assertRaises(InvalidKPITemplateError):
			make_template("_Test SR Dealer T2", [("Net Sales", 100, 10)], applies_to="Dealer")
