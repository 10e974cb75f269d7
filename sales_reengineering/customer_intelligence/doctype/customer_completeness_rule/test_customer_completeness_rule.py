# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from sales_reengineering.customer_intelligence import completeness
from sales_reengineering.customer_intelligence.completeness import (
	compute_scores,
	get_completeness_averages,
	recompute_all,
	recompute_completeness,
)
from sales_reengineering.exceptions import InvalidCompletenessRuleError
from sales_reengineering.tests.factories_customer_intelligence import make_customer, make_team, make_user

RULE = "Customer Completeness Rule"


def make_rule(rule_name: str, weight: float, rule_type: str = "Customer Field", **kwargs):
	return frappe.get_doc(
		{"doctype": RULE, "rule_name": rule_name, "weight": weight, "rule_type": rule_type, **kwargs}
	).insert(ignore_permissions=True)


def make_contact(customer: str, designation: str | None = None, email: str | None = None, primary: int = 0):
	contact = frappe.get_doc(
		{
			"doctype": "Contact",
			"first_name": f"Contact {frappe.generate_hash(length=5)}",
			"designation": designation,
			"is_primary_contact": primary,
			"links": [{"link_doctype": "Customer", "link_name": customer}],
		}
	)
	if email:
		contact.append("email_ids", {"email_id": email, "is_primary": 1})
	return contact.insert(ignore_permissions=True)


def make_address(customer: str, city: str = "Beijing"):
	return frappe.get_doc(
		{
			"doctype": "Address",
			"address_title": customer,
			"address_type": "Billing",
			"address_line1": "1 Test Road",
			"city": city,
			"country": "China",
			"links": [{"link_doctype": "Customer", "link_name": customer}],
		}
	).insert(ignore_permissions=True)


def score(customer: str) -> tuple[float, str]:
	values = frappe.db.get_value("Customer", customer, ["sr_completeness_score", "sr_completeness_missing"])
	return values[0], values[1] or ""


class TestCustomerCompleteness(FrappeTestCase):
	def setUp(self):
		# per test: tearDown rolls back everything, the team included
		self.team = make_team(with_users=False)
		# the shipped or admin-made rules must not disturb these tests: work with our own set only
		frappe.db.set_value(RULE, {"enabled": 1}, "enabled", 0)
		with patch.object(completeness, "enqueue_recompute_all"):
			make_rule("_Test Tax ID", 20, fieldname="tax_id")
			make_rule("_Test Industry", 10, fieldname="industry")
			make_rule("_Test Contact Email", 30, "Primary Contact Field", fieldname="email_id")
			make_rule(
				"_Test Decision Makers",
				30,
				"Contacts with Designation",
				designation="Decision Maker",
				min_count=2,
			)
			make_rule("_Test Address", 10, "Address Count", min_count=1)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_empty_customer_scores_zero_and_lists_what_is_missing(self):
		customer = make_customer(self.team.rep_a)
		value, missing = score(customer)
		self.assertEqual(value, 0)
		self.assertEqual(
			set(missing.split("\n")),
			{
				"_Test Tax ID",
				"_Test Industry",
				"_Test Contact Email",
				"_Test Decision Makers",
				"_Test Address",
			},
		)

	def test_score_follows_customer_contact_and_address_changes(self):
		customer = make_customer(self.team.rep_a, tax_id="91110000TEST")
		self.assertEqual(score(customer)[0], 20)

		make_contact(customer, designation="Decision Maker", email="boss@sr-test.invalid", primary=1)
		self.assertEqual(
			score(customer)[0], 50
		)  # tax id + primary contact email; one decision maker is not two

		second = make_contact(customer, designation="decision maker ")
		self.assertEqual(score(customer)[0], 80)

		address = make_address(customer)
		self.assertEqual(score(customer), (90, "_Test Industry"))

		doc = frappe.get_doc("Customer", customer)
		doc.industry = (
			frappe.db.get_value("Industry Type", {}, "name")
			or frappe.get_doc({"doctype": "Industry Type", "industry": "_Test SR Industry"})
			.insert(ignore_permissions=True)
			.name
		)
		doc.save(ignore_permissions=True)
		self.assertEqual(doc.sr_completeness_score, 100)  # the saved form shows the new score at once
		self.assertEqual(score(customer), (100, ""))

		frappe.delete_doc("Address", address.name, ignore_permissions=True)
		self.assertEqual(score(customer)[0], 90)

		second.reload()
		second.links = []
		second.append("links", {"link_doctype": "Customer", "link_name": make_customer()})
		second.save(ignore_permissions=True)  # unlinked from our customer: it loses a decision maker
		self.assertEqual(score(customer)[0], 60)

	def test_compute_scores_is_set_based(self):
		customers = [make_customer(self.team.rep_a, tax_id=f"TAX{index}") for index in range(5)]
		for customer in customers:
			make_contact(
				customer, email=f"{customer[-6:]}@sr-test.invalid".lower().replace(" ", ""), primary=1
			)
		with self.assertQueryCount(8):
			scores = compute_scores(customers)
		self.assertEqual({value for value, _missing in scores.values()}, {50})

	def test_no_rules_means_complete(self):
		self.assertEqual(compute_scores(["x"], rules=[]), {"x": (100.0, [])})

	def test_bulk_recompute_rescores_everyone(self):
		customer = make_customer(self.team.rep_a, tax_id="91110000TEST")
		frappe.db.set_value("Customer", customer, "sr_completeness_score", 3)
		self.assertGreaterEqual(recompute_all(), 1)
		self.assertEqual(score(customer)[0], 20)

	def test_bulk_recompute_reads_one_chunk_at_a_time(self):
		make_customer(self.team.rep_a)
		make_customer(self.team.rep_b)
		chunks = []
		real = completeness.update_scores
		with (
			patch.object(completeness, "BULK_CHUNK", 2),
			patch.object(
				completeness,
				"update_scores",
				side_effect=lambda names, *a, **k: chunks.append(names) or real(names, *a, **k),
			),
		):
			scored = recompute_all()
		everyone = frappe.get_all("Customer", pluck="name", order_by="name")
		self.assertEqual(scored, len(everyone))
		self.assertTrue(all(len(chunk) <= 2 for chunk in chunks))
		self.assertEqual([name for chunk in chunks for name in chunk], everyone)  # each once, in order

	def test_rule_change_queues_a_recompute(self):
		with patch.object(completeness.frappe, "enqueue") as enqueue:
			make_rule("_Test Website", 5, fieldname="website")
		enqueue.assert_called_once()
		self.assertEqual(
			enqueue.call_args.args[0], "sales_reengineering.customer_intelligence.completeness.recompute_all"
		)
		self.assertTrue(enqueue.call_args.kwargs["deduplicate"])

	def test_bad_rules_are_rejected(self):
		cases = [
			dict(rule_name="_Test Bad Field", weight=5, fieldname="no_such_field"),
			dict(
				rule_name="_Test Section", weight=5, fieldname="basic_info"
			),  # a Section Break holds no value
			dict(rule_name="_Test Zero", weight=0, fieldname="tax_id"),
			dict(rule_name="_Test No Designation", weight=5, rule_type="Contacts with Designation"),
			dict(rule_name="_Test Count Zero", weight=5, rule_type="Contact Count", min_count=0),
		]
		for case in cases:
			with self.subTest(case=case["rule_name"]), self.assertRaises(InvalidCompletenessRuleError):
				make_rule(**case)
		self.assertFalse(frappe.db.exists(RULE, "_Test Bad Field"))

	def test_averages_per_salesperson_and_assistant(self):
		assistant = make_user("assistant.ci@sr-test.invalid", ["Sales Assistant"])
		make_customer(self.team.rep_a, tax_id="A1", sr_sales_assistant=assistant)
		make_customer(self.team.rep_a)
		make_customer(self.team.rep_b, tax_id="B1")
		by_person = get_completeness_averages("sales_person", [self.team.rep_a, self.team.rep_b])
		self.assertEqual(by_person[self.team.rep_a], {"average": 10, "customers": 2})
		self.assertEqual(by_person[self.team.rep_b], {"average": 20, "customers": 1})
		self.assertEqual(get_completeness_averages("assistant", [assistant])[assistant]["average"], 20)
		self.assertEqual(get_completeness_averages("sales_person", []), {})
		with self.assertRaises(frappe.ValidationError):
			get_completeness_averages("territory")

	def test_only_rule_editors_may_queue_a_recompute(self):
		frappe.set_user(make_user("rep.ci@sr-test.invalid", ["Sales User"]))
		with self.assertRaises(frappe.PermissionError):
			recompute_completeness()


class TestDefaultCompletenessRules(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_a_site_without_rules_gets_the_defaults_once(self):
		from sales_reengineering.customer_intelligence.setup import (
			DEFAULT_COMPLETENESS_RULES,
			create_default_completeness_rules,
		)

		frappe.db.delete(RULE)
		with patch.object(completeness, "enqueue_recompute_all") as rescore:
			self.assertEqual(create_default_completeness_rules(), len(DEFAULT_COMPLETENESS_RULES))
			self.assertEqual(rescore.call_count, 1)  # once for all rules, not once per rule
			self.assertEqual(create_default_completeness_rules(), 0)
		rules = {
			row.rule_name: row for row in frappe.get_all(RULE, fields=["rule_name", "enabled", "weight"])
		}
		self.assertEqual(len(rules), len(DEFAULT_COMPLETENESS_RULES))
		self.assertEqual(rules["Key Decision-Maker"].enabled, 0)  # off until its designation is set
		self.assertTrue(rules["Credit Code (Tax ID)"].enabled)

		# they score a real customer: only the territory and the salesperson are there
		team = make_team(with_users=False)
		customer = make_customer(team.rep_a)
		completeness.update_scores([customer], completeness.get_rules())
		enabled = [row for row in DEFAULT_COMPLETENESS_RULES if row[6]]
		met = sum(row[1] for row in enabled if row[0] in ("Responsible Salesperson", "Territory"))
		self.assertEqual(met, 15)
		self.assertAlmostEqual(score(customer)[0], round(met / sum(row[1] for row in enabled) * 100, 2))
		self.assertIn("Credit Code (Tax ID)", score(customer)[1])

	def test_an_administrators_rules_are_left_alone(self):
		from sales_reengineering.customer_intelligence.setup import create_default_completeness_rules

		with patch.object(completeness, "enqueue_recompute_all"):
			make_rule("_Test Only Rule", 10, fieldname="tax_id")
			self.assertEqual(create_default_completeness_rules(), 0)
		self.assertFalse(frappe.db.exists(RULE, "Industry"))
