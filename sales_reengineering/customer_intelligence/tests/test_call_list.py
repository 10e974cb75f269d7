"""Telesales that predicts: the predicted next purchase on the Customer, kept current by invoices and
the daily job, and the call list built from it with the settings' factors."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import add_days, getdate, today

from sales_reengineering.customer_intelligence import next_purchase, telesales
from sales_reengineering.customer_intelligence.doctype.telesales_call.test_telesales_call import bought
from sales_reengineering.exceptions import InvalidSettingError
from sales_reengineering.tests.factories_customer_intelligence import make_customer, make_user
from sales_reengineering.tests.factories_performance import make_invoice

CALL = "Telesales Call"
SETTINGS = "Sales Reengineering Settings"


def ago(days: int):
	return getdate(add_days(today(), -days))


def stored(customer: str) -> tuple:
	values = frappe.db.get_value("Customer", customer, next_purchase.FIELDS, as_dict=True)
	return (
		values.sr_last_purchase_date,
		values.sr_purchase_interval_days,
		values.sr_predicted_next_purchase,
	)


class TestPredictedNextPurchase(FrappeTestCase):
	def tearDown(self):
		frappe.db.rollback()

	def test_invoices_keep_the_prediction_current(self):
		customer = make_customer()
		invoices = [make_invoice(customer, str(ago(days)), 100) for days in (100, 70, 40)]
		self.assertEqual(stored(customer), (ago(40), 30, ago(10)))
		# what an invoice's submit or cancel adds: the customer's invoices, its stored values, one write
		frappe.db.set_value("Customer", customer, "sr_purchase_interval_days", 7, update_modified=False)
		with self.assertQueryCount(4):
			next_purchase.refresh_customer(customer)
		self.assertEqual(stored(customer), (ago(40), 30, ago(10)))
		# a credit note is no purchase
		make_invoice(customer, str(ago(5)), 100, return_against=invoices[0].name)
		self.assertEqual(stored(customer), (ago(40), 30, ago(10)))
		invoices[-1].reload()
		invoices[-1].cancel()
		# two purchase days: the last is known, no interval (the settings' minimum is 3)
		self.assertEqual(stored(customer), (ago(70), 0, None))

	def test_refresh_all_writes_only_what_changed(self):
		customer, never_bought = make_customer(), make_customer()
		bought(customer, 90, 60, 30)
		stale = {"sr_last_purchase_date": ago(300), "sr_purchase_interval_days": 7, "sr_predicted_next_purchase": ago(293)}
		frappe.db.set_value("Customer", customer, stale, update_modified=False)
		frappe.db.set_value("Customer", never_bought, stale, update_modified=False)

		self.assertGreaterEqual(next_purchase.refresh_all(), 2)
		self.assertEqual(stored(customer), (ago(30), 30, today_date()))
		self.assertEqual(stored(never_bought), (None, 0, None))
		# idempotent and set-based: a second run reads the invoices and the customers, and writes nothing
		with self.assertQueryCount(3):
			self.assertEqual(next_purchase.refresh_all(), 0)

	def test_past_day_is_computed_from_the_invoices_up_to_it(self):
		customer, later = make_customer(), make_customer()
		bought(customer, 130, 100, 70)
		bought(later, 10)
		now = {row.customer: row for row in telesales.find_dormant_customers()}
		self.assertEqual(now[customer].reason, "Overdue Against Reorder Interval")
		self.assertNotIn(later, now)
		then = {row.customer: row for row in telesales.find_dormant_customers(add_days(today(), -60))}
		self.assertNotIn(customer, then)  # 10 days after the last purchase, a 30-day habit
		self.assertNotIn(later, then)  # had not bought yet


def today_date():
	return getdate(today())


class TestGenerateCalls(FrappeTestCase):
	"""Which customers get a call, with the settings' overdue multiple, minimum purchases and days between
	calls; assignment and idempotency are in test_telesales_call."""

	def setUp(self):
		self.agents = [
			make_user("agent.one.ci@sr-test.invalid", ["Telesales Agent"]),
			make_user("agent.two.ci@sr-test.invalid", ["Telesales Agent"]),
		]
		self.overdue = make_customer()  # every 30 days, last 70 days ago: past 1.5 x 30
		bought(self.overdue, 130, 100, 70)
		self.borderline = make_customer()  # every 30 days, last 40 days ago: past 1 x, not 1.5 x
		bought(self.borderline, 100, 70, 40)
		self.mine = {self.overdue, self.borderline}

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def listed(self, as_of=None) -> set[str]:
		with patch.object(telesales, "get_agents", return_value=self.agents):
			new = telesales.generate_call_list("load", as_of=as_of)
		return set(frappe.get_all(CALL, filters={"name": ("in", new or [""])}, pluck="customer")) & self.mine

	def test_overdue_multiple(self):
		self.assertEqual(self.listed(), {self.overdue})
		frappe.db.rollback()
		self.setUp()
		with change_settings(SETTINGS, {"telesales_overdue_multiple": 1}):
			self.assertEqual(self.listed(), {self.overdue, self.borderline})

	def test_minimum_purchases(self):
		with change_settings(SETTINGS, {"telesales_min_purchases": 4}):
			# the daily job recomputes the predictions with the new minimum before the list is made
			next_purchase.refresh_customer(self.overdue)
			self.assertEqual(stored(self.overdue)[1:], (0, None))
			self.assertEqual(self.listed(), set())

	def test_days_between_calls(self):
		frappe.get_doc(
			{
				"doctype": CALL,
				"customer": self.overdue,
				"agent": self.agents[0],
				"outcome": "Not Interested",
				"call_date": add_days(today(), -10),
			}
		).insert(ignore_permissions=True)
		self.assertEqual(self.listed(), set())  # default: 30 days
		with change_settings(SETTINGS, {"telesales_call_cooldown_days": 5}):
			self.assertEqual(telesales.call_cooldown_days(), 5)
			self.assertEqual(self.listed(), {self.overdue})

	def test_settings_refuse_bad_factors(self):
		for field, value in (
			("telesales_overdue_multiple", 0.5),
			("telesales_min_purchases", 1),
			("telesales_call_cooldown_days", 0),
		):
			settings = frappe.get_doc(SETTINGS)
			settings.set(field, value)
			with self.subTest(field=field), self.assertRaises(InvalidSettingError):
				settings.save()

	def test_selection_queries_do_not_grow_with_customers(self):
		"""The call list's selection is set-based: the same number of queries for 2 customers or 12."""

		def count() -> int:
			with patch.object(frappe.db.__class__, "sql", autospec=True, side_effect=orig) as spy:
				telesales.find_dormant_customers()
				telesales.get_recently_called_customers()
			return spy.call_count

		orig = frappe.db.__class__.sql
		before = count()
		for _ in range(10):
			bought(make_customer(), 130, 100, 70)
		self.assertEqual(count(), before)
		with self.assertQueryCount(3):  # settings (cached), the customers' predictions, the calls
			telesales.find_dormant_customers()
			telesales.get_recently_called_customers()

	def test_nothing_new_to_call_is_idempotent_and_cheap(self):
		first = self.listed()
		self.assertEqual(first, {self.overdue})
		with patch.object(telesales, "get_agents", return_value=self.agents), self.assertQueryCount(6):
			self.assertEqual(telesales.generate_call_list("load"), [])

	def test_generate_calls_needs_create_permission(self):
		frappe.set_user(self.agents[0])  # Telesales Agents work calls, they do not make the list
		with self.assertRaises(frappe.PermissionError):
			telesales.generate_calls("load")
