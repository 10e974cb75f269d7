"""The Order Desk exception to the customer rule, and the rule's refusals in the situations of ERPNext's
own tests that the rule makes fail (issue 15, item 2):

- `test_warehouse_user`: a user with Sales User and Stock User and no Sales Person saves a Sales Order for
  a customer that is not theirs;
- `test_update_child_qty_rate_with_workflow`: such a user changes a submitted order's items ("Update
  Items", `update_child_qty_rate`).

The refused user is told whose customer it is and whom to ask (CustomerRuleError, HTTP 403), not Frappe's
"No permission for Customer". An Order Desk user does both for any customer, and is no manager for it.
"""

import json

import frappe
from frappe.handler import get_attr
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from sales_reengineering.exceptions import CustomerRuleError
from sales_reengineering.scope import for_user
from sales_reengineering.scope.customers import can_see_customer
from sales_reengineering.tests.factories_customer_intelligence import (
	make_customer,
	make_opportunity,
	make_sales_document,
	make_team,
	make_user,
)
from sales_reengineering.tests.factories_performance import make_item
from sales_reengineering.tests.setup import TEST_COMPANY

UPDATE_ITEMS = "erpnext.controllers.accounts_controller.update_child_qty_rate"


def new_order(customer: str, rate: float = 100):
	return frappe.get_doc(
		{
			"doctype": "Sales Order",
			"company": TEST_COMPANY,
			"currency": "CNY",
			"customer": customer,
			"transaction_date": today(),
			"delivery_date": add_days(today(), 10),
			"items": [{"item_code": make_item(), "qty": 1, "rate": rate}],
		}
	)


def update_items(order, qty: float):
	"""The "Update Items" dialog's request: the method path resolved as Frappe's handler (execute_cmd)
	resolves it, an app's override first."""
	rows = [{"item_code": order.items[0].item_code, "rate": order.items[0].rate, "qty": qty, "docname": order.items[0].name}]
	cmd = UPDATE_ITEMS
	for hook in reversed(frappe.get_hooks("override_whitelisted_methods", {}).get(cmd, [])):
		cmd = hook
		break
	return get_attr(cmd)("Sales Order", json.dumps(rows), order.name)


class TestOrderDesk(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.team = make_team(with_users=False)
		cls.customer_b = make_customer(cls.team.rep_b)
		# the situation of ERPNext's test_warehouse_user: Sales User + Stock User, no Sales Person
		cls.warehouse_user = make_user("sr-od-warehouse@sr-test.invalid", ["Sales User", "Stock User"])
		cls.desk_user = make_user("sr-od-desk@sr-test.invalid", ["Sales User", "Stock User", "Order Desk"])

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.lang = "en"

	# -- the refusals --------------------------------------------------------------------------------------

	def test_an_order_for_someone_elses_customer_is_refused_naming_the_rule(self):
		frappe.set_user(self.warehouse_user)
		order = new_order(self.customer_b)
		frappe.clear_messages()
		with self.assertRaises(CustomerRuleError) as refusal:
			order.insert()
		message = str(refusal.exception)
		self.assertIn(self.customer_b, message)
		self.assertIn(self.team.rep_b, message)  # whose customer
		self.assertIn(self.team.manager, message)  # whom to ask
		self.assertIn("Order Desk", message)
		# a refusal (403), and the only message: not Frappe's "No permission for Customer ..."
		self.assertTrue(issubclass(CustomerRuleError, frappe.PermissionError))
		self.assertNotIn("No permission", " ".join(str(m) for m in frappe.get_message_log()))
		self.assertFalse(frappe.flags.error_message)
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Sales Order", {"customer": self.customer_b, "docstatus": 0}))

	def test_the_refusal_speaks_chinese(self):
		frappe.set_user(self.warehouse_user)
		frappe.local.lang = "zh"
		frappe.local.lang_full_dict = None
		with self.assertRaises(CustomerRuleError) as refusal:
			new_order(self.customer_b).insert()
		message = str(refusal.exception)
		self.assertIn("不属于您", message)
		self.assertIn("订单处理", message)

	def test_a_customer_without_salesperson_names_its_creator(self):
		customer = make_customer(None)  # created by Administrator, no salesperson
		frappe.set_user(self.warehouse_user)
		with self.assertRaises(CustomerRuleError) as refusal:
			new_order(customer).insert()
		self.assertIn("Administrator", str(refusal.exception))
		self.assertIn("Sales Manager", str(refusal.exception))

	def test_update_items_on_someone_elses_order_is_refused_naming_the_rule(self):
		order = make_sales_document("Sales Order", self.customer_b, rate=100)
		frappe.set_user(self.warehouse_user)
		with self.assertRaises(CustomerRuleError) as refusal:
			update_items(order, 2)
		message = str(refusal.exception)
		self.assertIn(order.name, message)
		self.assertIn(self.team.rep_b, message)
		self.assertIn(self.team.manager, message)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Sales Order Item", order.items[0].name, "qty"), 1)

	def test_opening_someone_elses_customer_names_the_rule(self):
		"""The desk's form load (frappe.desk.form.load.getdoc) shows `_error_message` and hides the other
		messages: it carries the rule's message, not "Insufficient Permission for Customer ..."."""
		getdoc = get_attr(frappe.get_hooks("override_whitelisted_methods")["frappe.desk.form.load.getdoc"][-1])
		frappe.set_user(self.warehouse_user)
		frappe.flags.error_message = None
		with self.assertRaises(frappe.PermissionError):
			getdoc("Customer", self.customer_b)
		self.assertIn(self.team.rep_b, frappe.flags.error_message)
		self.assertIn(self.team.manager, frappe.flags.error_message)
		frappe.flags.error_message = None
		# a form the user may open opens as before
		frappe.set_user(self.desk_user)
		frappe.response.docs = []
		getdoc("Customer", self.customer_b)
		self.assertEqual(frappe.response.docs[0].name, self.customer_b)

	def test_the_rule_still_lets_a_salesperson_sell_to_their_own_customers(self):
		team = make_team()
		customer_a, customer_b = make_customer(team.rep_a), make_customer(team.rep_b)
		frappe.set_user(team.rep_a_user)
		order = new_order(customer_a).insert()
		self.assertEqual(order.customer, customer_a)
		# and refuses them the other rep's customer
		with self.assertRaises(CustomerRuleError):
			new_order(customer_b).insert()

	# -- the exception ---------------------------------------------------------------------------------------

	def test_the_order_desk_processes_orders_for_any_customer(self):
		frappe.set_user(self.desk_user)
		order = new_order(self.customer_b).insert()
		order.submit()
		self.assertEqual(order.docstatus, 1)
		update_items(order, 3)
		self.assertEqual(frappe.db.get_value("Sales Order Item", order.items[0].name, "qty"), 3)
		quotation = frappe.get_doc(
			{
				"doctype": "Quotation",
				"company": TEST_COMPANY,
				"currency": "CNY",
				"quotation_to": "Customer",
				"party_name": self.customer_b,
				"transaction_date": today(),
				"items": [{"item_code": make_item(), "qty": 1, "rate": 100}],
			}
		).insert()
		self.assertTrue(quotation.name)
		# someone else's orders, delivery notes and invoices are in their lists and forms
		other = make_sales_document("Sales Invoice", self.customer_b, rate=50).name
		self.assertTrue(frappe.get_list("Sales Invoice", filters={"name": other}))
		self.assertTrue(frappe.has_permission("Sales Invoice", "read", doc=other))
		self.assertTrue(frappe.get_list("Customer", filters={"name": self.customer_b}))

	def test_the_order_desk_is_no_manager(self):
		opportunity = make_opportunity(self.customer_b, sales_person=self.team.rep_b).name
		scope = for_user(self.desk_user)
		self.assertTrue(scope.order_desk)
		self.assertFalse(scope.sees_all)
		self.assertEqual(scope.team, ())  # no salesperson's scorecards, tasks, rankings by team
		frappe.set_user(self.desk_user)
		# reads the customer, does not edit it
		self.assertTrue(frappe.has_permission("Customer", "read", doc=self.customer_b))
		self.assertFalse(frappe.has_permission("Customer", "write", doc=self.customer_b))
		# the customer rule still keeps other salespeople's opportunities and the customer reports
		self.assertFalse(frappe.has_permission("Opportunity", "read", doc=opportunity))
		self.assertFalse(frappe.get_list("Opportunity", filters={"name": opportunity}))
		self.assertFalse(can_see_customer(self.customer_b))

	def test_a_dealer_user_stays_in_its_branch_with_order_desk(self):
		from sales_reengineering.tests.factories_channel import make_dealer, make_website_user

		user = make_website_user()
		make_dealer(portal_users=[user])
		frappe.get_doc("User", user).add_roles("Order Desk")
		scope = for_user(user)
		self.assertFalse(scope.order_desk)
		self.assertTrue(scope.rule_applies("Sales Order"))

	def test_the_order_desk_sees_a_customers_orders_not_its_contracts(self):
		from sales_reengineering.customer_intelligence.report.customer_transaction_history.customer_transaction_history import (
			execute,
		)
		from sales_reengineering.customer_intelligence.report.customer_transaction_history.test_customer_transaction_history import (
			make_contract,
		)

		contract = make_contract(self.customer_b)
		order = make_sales_document("Sales Order", self.customer_b, sr_contract=contract).name
		frappe.set_user(self.desk_user)
		rows = execute({"customer": self.customer_b})[1]
		documents = {row.document for row in rows}
		self.assertIn(order, documents)
		self.assertNotIn(contract, documents)
		self.assertNotIn(contract, {row.get("contract") for row in rows})
		# the salesperson's manager sees both, and which contract the order fulfils
		frappe.set_user("Administrator")
		rows = execute({"customer": self.customer_b})[1]
		self.assertIn(contract, {row.document for row in rows})
		self.assertIn(contract, {row.get("contract") for row in rows if row.document == order})
