"""One regression test per hole that Frappe's generic endpoints and the app's own saves left open
(issue 10, item 2). Each goes through the endpoint itself (frappe.client.*, frappe.desk.reportview.*,
a document save, the report runner) as the wrong user; the permission matrix
(test_permission_matrix.py) repeats them over HTTP for every role."""

import frappe
from frappe.desk import reportview
from frappe.desk.query_report import run as run_report
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from sales_reengineering.exceptions import DealApprovalError, OwnershipError
from sales_reengineering.scope import endpoints, for_user
from sales_reengineering.tests.factories_channel import (
	approve,
	make_dealer,
	make_registration,
	make_website_user,
)
from sales_reengineering.tests.factories_customer_intelligence import (
	make_customer,
	make_opportunity,
	make_sales_document,
	make_team,
)
from sales_reengineering.tests.utils import make_user


def reportview_count(doctype: str, **filters) -> int:
	frappe.local.form_dict = frappe._dict(doctype=doctype, filters=frappe.as_json(filters))
	return reportview.get_count()


class TestChildTablesAndCounts(FrappeTestCase):
	"""Sales Team, Sales Invoice Item and the rest follow their parent's rule."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.team = make_team()
		cls.customer_a = make_customer(cls.team.rep_a)
		cls.customer_b = make_customer(cls.team.rep_b)
		cls.invoice_a = make_sales_document(
			"Sales Invoice", cls.customer_a, sales_team=[(cls.team.rep_a, 100)]
		).name
		cls.invoice_b = make_sales_document(
			"Sales Invoice", cls.customer_b, sales_team=[(cls.team.rep_b, 100)]
		).name
		cls.mine = [cls.invoice_a, cls.invoice_b]

	def tearDown(self):
		frappe.set_user("Administrator")

	def parents(self, doctype: str) -> set[str]:
		rows = frappe.client.get_list(
			doctype,
			fields=["parent"],
			filters={"parent": ("in", self.mine)},
			parent="Sales Invoice",
			limit_page_length=0,
		)
		return {row.parent for row in rows}

	def test_child_rows_follow_the_parent(self):
		frappe.set_user(self.team.rep_a_user)
		for child in ("Sales Team", "Sales Invoice Item"):
			self.assertEqual(self.parents(child), {self.invoice_a}, child)
			frappe.local.form_dict = frappe._dict(
				doctype=child,
				parent_doctype="Sales Invoice",
				fields=frappe.as_json([f"`tab{child}`.`parent`"]),
				filters=frappe.as_json({"parent": ("in", self.mine)}),
			)
			rows = reportview.execute(**reportview.get_form_params())
			self.assertEqual({row.parent for row in rows}, {self.invoice_a}, child)
		# the manager of both reps sees both
		frappe.set_user(self.team.manager_user)
		self.assertEqual(self.parents("Sales Team"), set(self.mine))

	def test_get_value_on_a_child_row(self):
		frappe.set_user(self.team.rep_a_user)
		other = frappe.client.get_value(
			"Sales Team", "sales_person", {"parent": self.invoice_b}, parent="Sales Invoice"
		)
		self.assertEqual(other, {})
		own = frappe.client.get_value(
			"Sales Team", "sales_person", {"parent": self.invoice_a}, parent="Sales Invoice"
		)
		self.assertEqual(own.sales_person, self.team.rep_a)

	def test_get_count_applies_the_rules(self):
		frappe.set_user(self.team.rep_a_user)
		self.assertEqual(endpoints.get_count("Sales Invoice", {"name": ("in", self.mine)}), 1)
		self.assertEqual(
			endpoints.get_count("Customer", {"name": ("in", [self.customer_a, self.customer_b])}), 1
		)
		# a letter-by-letter probe on another salesperson's customer counts nothing
		self.assertEqual(endpoints.get_count("Customer", {"name": ("like", f"{self.customer_b[:-1]}%")}), 0)
		self.assertEqual(
			endpoints.get_count("Sales Team", {"parenttype": "Sales Invoice", "parent": ("in", self.mine)}), 1
		)
		# a child table without its parent type is refused, not counted
		with self.assertRaises(frappe.PermissionError):
			endpoints.get_count("Sales Team", {"parent": ("in", self.mine)})
		self.assertEqual(reportview_count("Sales Invoice", name=("in", self.mine)), 1)

	def test_the_override_is_what_frappe_serves(self):
		self.assertEqual(
			frappe.get_hooks("override_whitelisted_methods")["frappe.client.get_count"][-1],
			"sales_reengineering.scope.endpoints.get_count",
		)

	def test_get_count_refuses_what_the_role_cannot_read(self):
		guest_like = make_user("sr-holes-website@sr-test.invalid", [], user_type="Website User")
		frappe.set_user(guest_like)
		with self.assertRaises(frappe.PermissionError):
			endpoints.get_count("Sales Invoice")

	def test_contact_address_and_delivery_note_follow_the_customer(self):
		contacts = {}
		for customer in (self.customer_a, self.customer_b):
			contacts[customer] = (
				frappe.get_doc(
					{
						"doctype": "Contact",
						"first_name": f"SR Holes {customer}",
						"links": [{"link_doctype": "Customer", "link_name": customer}],
					}
				)
				.insert(ignore_permissions=True)
				.name
			)
		frappe.set_user(self.team.rep_a_user)
		visible = set(
			frappe.get_list("Contact", filters={"name": ("in", list(contacts.values()))}, pluck="name")
		)
		self.assertEqual(visible, {contacts[self.customer_a]})
		self.assertFalse(frappe.has_permission("Contact", "read", doc=contacts[self.customer_b]))
		# the Dynamic Link rows of the other contact stay hidden too
		links = frappe.client.get_list(
			"Dynamic Link",
			fields=["parent"],
			filters={"parent": ("in", list(contacts.values()))},
			parent="Contact",
			limit_page_length=0,
		)
		self.assertEqual({row.parent for row in links}, {contacts[self.customer_a]})
		for doctype in ("Contact", "Address", "Delivery Note"):
			self.assertIn(doctype, frappe.get_hooks("permission_query_conditions"))


class TestSalesPersonScope(FrappeTestCase):
	def setUp(self):
		self.team = make_team()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_a_salesperson_cannot_take_a_colleagues_customer(self):
		customer_b = make_customer(self.team.rep_b)
		frappe.set_user(self.team.rep_a_user)
		# rep A cannot even open it ...
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Customer", customer_b).check_permission("write")
		# ... nor give their own customer to rep B, nor create one for rep B
		customer_a = make_customer(self.team.rep_a)
		doc = frappe.get_doc("Customer", customer_a)
		doc.sr_sales_person = self.team.rep_b
		with self.assertRaises(OwnershipError):
			doc.save()
		new = frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": "_Test SR Holes For B",
				"customer_type": "Company",
				"sr_sales_person": self.team.rep_b,
			}
		)
		with self.assertRaises(OwnershipError):
			new.insert()

	def test_a_refusal_names_whose_customer_it_is(self):
		customer_b = make_customer(self.team.rep_b)
		frappe.set_user(self.team.rep_a_user)
		frappe.clear_messages()
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Customer", customer_b).check_permission("read")
		messages = " ".join(str(m) for m in frappe.get_message_log())
		self.assertIn(self.team.rep_b, messages)
		self.assertIn(self.team.manager, messages)

	def test_the_manager_may_reassign_within_the_team(self):
		customer_a = make_customer(self.team.rep_a)
		frappe.set_user(self.team.manager_user)
		doc = frappe.get_doc("Customer", customer_a)
		doc.sr_sales_person = self.team.rep_b
		doc.save()
		self.assertEqual(frappe.db.get_value("Customer", customer_a, "sr_sales_person"), self.team.rep_b)

	def test_the_creator_loses_a_customer_handed_to_someone_else(self):
		frappe.set_user(self.team.rep_a_user)
		customer = make_customer(self.team.rep_a)
		opportunity = make_opportunity(customer, sales_person=self.team.rep_a).name
		frappe.set_user("Administrator")
		frappe.db.set_value("Customer", customer, "sr_sales_person", self.team.rep_b)
		frappe.db.set_value("Opportunity", opportunity, "sr_sales_person", self.team.rep_b)
		frappe.set_user(self.team.rep_a_user)
		self.assertEqual(frappe.db.get_value("Customer", customer, "owner"), self.team.rep_a_user)
		self.assertFalse(frappe.has_permission("Customer", "read", doc=customer))
		self.assertFalse(frappe.get_list("Customer", filters={"name": customer}))
		self.assertFalse(frappe.has_permission("Opportunity", "read", doc=opportunity))


class TestDealRegistrationGuards(FrappeTestCase):
	def setUp(self):
		self.user_a = make_website_user()
		self.user_b = make_website_user()
		self.dealer_a = make_dealer(portal_users=[self.user_a]).name
		self.dealer_b = make_dealer(portal_users=[self.user_b]).name

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_a_save_cannot_touch_the_protection(self):
		registration = make_registration(self.dealer_a)
		approve(registration.name)
		frappe.set_user(self.user_a)
		doc = frappe.get_doc("Deal Registration", registration.name)
		doc.protected_until = add_days(today(), 3650)
		with self.assertRaises(DealApprovalError):
			doc.save()
		doc.reload()
		doc.approved_by = self.user_a
		with self.assertRaises(DealApprovalError):
			doc.save()
		self.assertNotEqual(
			str(frappe.db.get_value("Deal Registration", registration.name, "protected_until")),
			add_days(today(), 3650),
		)

	def test_the_channel_manager_extends_it(self):
		from sales_reengineering.channel.doctype.deal_registration.deal_registration import extend_protection

		registration = make_registration(self.dealer_a)
		approve(registration.name)
		until = add_days(today(), 400)
		frappe.set_user(self.user_a)
		with self.assertRaises(frappe.PermissionError):
			extend_protection(registration.name, until)
		frappe.set_user("Administrator")
		with self.assertRaises(DealApprovalError):
			extend_protection(registration.name, today())
		extend_protection(registration.name, until)
		self.assertEqual(
			str(frappe.db.get_value("Deal Registration", registration.name, "protected_until")), until
		)

	def test_a_dealer_cannot_link_a_customer(self):
		secret = make_customer(None, tax_id="91110000600037341L")
		frappe.set_user(self.user_a)
		with self.assertRaises(frappe.PermissionError):
			make_registration(self.dealer_a, customer=secret, submit=False)

	def test_a_dealer_sees_that_it_conflicts_not_with_whom(self):
		first = make_registration(self.dealer_b, company_name="_Test SR Holes Clash 北京科技有限公司")
		approve(first.name)
		second = make_registration(self.dealer_a, company_name="_Test SR Holes Clash 北京科技有限公司")
		self.assertTrue(second.has_conflict)
		frappe.set_user(self.user_a)
		doc = frappe.get_doc("Deal Registration", second.name)
		doc.apply_fieldlevel_read_permissions()
		self.assertTrue(doc.has_conflict)
		self.assertFalse(doc.get("conflicts"))
		rows = frappe.client.get_list(
			"Deal Registration Conflict",
			fields=["dealer", "reference_name"],
			filters={"parent": second.name},
			parent="Deal Registration",
		)
		self.assertEqual(rows, [])
		meta = frappe.get_meta("Deal Registration")
		for fieldname in ("conflicts", "customer", "assisting_sales_person"):
			self.assertEqual(meta.get_field(fieldname).permlevel, 1, fieldname)
			self.assertTrue(meta.get_field(fieldname).print_hide, fieldname)

	def test_another_dealers_registration_stays_closed(self):
		other = make_registration(self.dealer_b)
		frappe.set_user(self.user_a)
		self.assertFalse(frappe.has_permission("Deal Registration", "read", doc=other.name))
		self.assertEqual(endpoints.get_count("Deal Registration", {"name": other.name}), 0)
		self.assertEqual(
			endpoints.get_count(
				"Deal Registration Item", {"parenttype": "Deal Registration", "parent": other.name}
			),
			0,
		)

	def test_a_dealer_with_a_desk_role_stays_in_its_branch(self):
		user = make_user("sr-holes-desk-dealer@sr-test.invalid", ["Dealer", "Sales User"])
		dealer = make_dealer(portal_users=[]).name
		doc = frappe.get_doc("Dealer", dealer)
		doc.append("portal_users", {"user": user})
		doc.flags.ignore_validate = True
		doc.save(ignore_permissions=True)
		other = make_registration(self.dealer_b)
		scope = for_user(user)
		self.assertTrue(scope.is_dealer)
		self.assertEqual(scope.dealers, (dealer,))
		frappe.set_user(user)
		self.assertFalse(frappe.get_list("Deal Registration", filters={"name": other.name}))

	def test_a_terminated_dealer_sees_nothing(self):
		from sales_reengineering.tests.factories_channel import set_dealer_status

		user = make_website_user()
		dealer = make_dealer(portal_users=[user])
		self.assertEqual(for_user(user).dealers, (dealer.name,))
		customer = dealer.customer
		self.assertTrue(frappe.db.exists("Portal User", {"parent": customer, "user": user}))
		set_dealer_status(dealer.name, "Terminated")
		self.assertEqual(for_user(user).dealers, ())
		self.assertFalse(frappe.db.exists("Portal User", {"parent": customer, "user": user}))

	def test_a_dealer_whose_customer_changes_loses_the_old_one(self):
		user = make_website_user()
		dealer = make_dealer(portal_users=[user])
		old = dealer.customer
		dealer.customer = make_customer(None)
		dealer.save(ignore_permissions=True)
		self.assertFalse(frappe.db.exists("Portal User", {"parent": old, "user": user}))
		self.assertTrue(frappe.db.exists("Portal User", {"parent": dealer.customer, "user": user}))


class TestReportsAndSmallerLeaks(FrappeTestCase):
	def setUp(self):
		self.team = make_team()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_customer_transaction_history_runs_for_a_salesperson(self):
		customer = make_customer(self.team.rep_a)
		make_sales_document("Sales Invoice", customer, sales_team=[(self.team.rep_a, 100)])
		frappe.set_user(self.team.rep_a_user)
		# through Frappe's report runner, which checks every linked doctype of the columns
		result = run_report("Customer Transaction History", filters={"customer": customer})
		self.assertTrue(result["result"])

	def test_a_report_does_not_say_whether_a_hidden_customer_exists(self):
		hidden = make_customer(self.team.rep_b)
		frappe.set_user(self.team.rep_a_user)
		messages = []
		for customer in (hidden, "_Test SR No Such Customer"):
			with self.assertRaises(frappe.PermissionError) as caught:
				run_report("Customer Transaction History", filters={"customer": customer})
			messages.append(str(caught.exception).replace(customer, "X"))
		self.assertEqual(messages[0], messages[1])

	def test_erpnext_customer_reports_are_off_for_restricted_roles(self):
		from frappe.core.doctype.report.report import Report  # noqa: F401

		frappe.set_user(self.team.rep_a_user)
		report = frappe.get_doc("Report", "Sales Person-wise Transaction Summary")
		self.assertFalse(report.is_permitted())
		frappe.set_user("Administrator")
		manager = make_user("sr-holes-manager@sr-test.invalid", ["Sales Manager"])
		frappe.set_user(manager)
		self.assertTrue(frappe.get_doc("Report", "Sales Person-wise Transaction Summary").is_permitted())

	def test_approved_feedback_is_not_rewritten_by_its_author(self):
		from sales_reengineering.tests.factories_performance import make_feedback

		name = make_feedback(self.team.rep_a, today(), rating=4, state="Approved")
		frappe.db.set_value("Info Feedback Report", name, "owner", self.team.rep_a_user)
		frappe.set_user(self.team.rep_a_user)
		doc = frappe.get_doc("Info Feedback Report", name)
		self.assertTrue(doc.has_permission("write"))  # the role allows it; the workflow state does not
		doc.content = "Rewritten after approval."
		with self.assertRaises(OwnershipError):
			doc.save()
		# a reviewer still may
		frappe.set_user("Administrator")
		manager = make_user("sr-holes-reviewer@sr-test.invalid", ["Sales Manager", "Sales User"])
		frappe.set_user(manager)
		doc = frappe.get_doc("Info Feedback Report", name)
		doc.review_comment = "Checked."
		doc.save()

	def test_an_author_cannot_change_a_task_waiting_for_approval(self):
		from frappe.model.workflow import apply_workflow

		from sales_reengineering.tests.factories_performance import make_task, make_template

		template = make_template(f"_Test SR Holes {frappe.generate_hash(length=5)}", [("Net Sales", 100, 1000)])
		frappe.set_user(self.team.rep_a_user)
		task = make_task(self.team.rep_a, template.name, year=2031, quarter=1)
		task = apply_workflow(frappe.get_doc("Sales Task", task.name), "Propose")
		task = frappe.get_doc("Sales Task", task.name)
		task.targets[0].target = 1
		with self.assertRaises(OwnershipError):
			task.save()

	def test_an_agent_cannot_repoint_or_reopen_a_call(self):
		from sales_reengineering.tests.factories_performance import make_telesales_call

		agent = make_user("sr-holes-agent@sr-test.invalid", ["Telesales Agent"])
		listed, other = make_customer(self.team.rep_a), make_customer(self.team.rep_b)
		call = make_telesales_call(agent, listed, None)
		frappe.set_user(agent)
		self.assertTrue(frappe.has_permission("Customer", "read", doc=listed))
		self.assertFalse(frappe.has_permission("Customer", "read", doc=other))
		doc = frappe.get_doc("Telesales Call", call)
		doc.customer = other
		with self.assertRaises(OwnershipError):
			doc.save()
		self.assertFalse(frappe.has_permission("Customer", "read", doc=other))
		frappe.set_user("Administrator")
		frappe.db.set_value("Telesales Call", call, "status", "Cancelled")
		frappe.set_user(agent)
		self.assertFalse(frappe.has_permission("Customer", "read", doc=listed), "a cancelled call")
		doc = frappe.get_doc("Telesales Call", call)
		doc.status = "Open"
		with self.assertRaises(OwnershipError):
			doc.save()

	def test_a_price_exception_tells_nothing_about_other_documents(self):
		from sales_reengineering.exceptions import PriceExceptionError

		theirs = make_sales_document("Quotation", make_customer(self.team.rep_b))
		item = theirs.items[0].item_code
		from sales_reengineering.tests.factories_channel import make_item, make_quotation

		mine = make_quotation(make_customer(self.team.rep_a), [{"item_code": make_item(), "qty": 1, "rate": 5}])
		mine = mine.name  # one of one's own, without `item`
		frappe.set_user(self.team.rep_a_user)
		messages = []
		# another salesperson's quotation, even with the item on it, reads exactly like one's own
		# quotation without it (a name that does not exist, or a cancelled document, is refused by
		# Frappe's own link check before the app sees it)
		for reference in (theirs.name, mine):
			with self.assertRaises(PriceExceptionError) as caught:
				frappe.get_doc(
					{
						"doctype": "Channel Price Exception",
						"reference_doctype": "Quotation",
						"reference_name": reference,
						"item_code": item,
						"approved_rate": 10,
						"reason": "probe",
					}
				).insert()
			messages.append(str(caught.exception).replace(reference, "X"))
		self.assertEqual(messages[0], messages[1])
		self.assertIn("Channel Price Exception", frappe.get_hooks("permission_query_conditions"))

	def test_a_refused_report_run_leaves_no_error_log(self):
		hidden = make_customer(self.team.rep_b)
		before = frappe.db.count("Error Log", {"method": "Report Error"})
		frappe.set_user(self.team.rep_a_user)
		with self.assertRaises(frappe.PermissionError):
			endpoints.run_report("Customer Transaction History", filters={"customer": hidden})
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.count("Error Log", {"method": "Report Error"}), before)
		self.assertEqual(
			frappe.get_hooks("override_whitelisted_methods")["frappe.desk.query_report.run"][-1],
			"sales_reengineering.scope.endpoints.run_report",
		)

	def test_team_tasks_only_for_ones_own_team(self):
		from sales_reengineering.performance.doctype.sales_task.sales_task import create_team_tasks
		from sales_reengineering.tests.factories_performance import make_template

		other_team = make_team(with_users=False).manager
		template = make_template(f"_Test SR Holes {frappe.generate_hash(length=5)}", [("Net Sales", 100, 1000)])
		frappe.set_user(self.team.manager_user)
		with self.assertRaises(frappe.PermissionError):
			create_team_tasks(other_team, template.name, "Quarter", 2031, 2)
		created = create_team_tasks(self.team.manager, template.name, "Quarter", 2031, 2)
		self.assertTrue(created)
