"""Portal isolation: dealer A against dealer B against their general agent, through list queries, REST,
print views, portal pages and the registration endpoint."""

import calendar
import re

import frappe
from frappe.api.v1 import document_list, read_doc
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, getdate, set_request, today
from frappe.website.serve import get_response_content
from frappe.www.printview import validate_print_permission

from sales_reengineering.channel import portal
from sales_reengineering.tests.factories_channel import (
	make_dealer,
	make_item,
	make_registration,
	make_sell_through,
	make_website_user,
)

SAVEPOINT = "channel_portal_test"


class TestPortalAccess(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.user_agent, cls.user_a, cls.user_b, cls.user_other = (make_website_user() for _ in range(4))
		cls.agent = make_dealer("General Agent", portal_users=[cls.user_agent]).name
		cls.dealer_a = make_dealer("Provincial Dealer", cls.agent, portal_users=[cls.user_a]).name
		cls.dealer_b = make_dealer("Provincial Dealer", cls.agent, portal_users=[cls.user_b]).name
		cls.other_agent = make_dealer("General Agent", portal_users=[cls.user_other]).name
		cls.reg_agent = make_registration(cls.agent).name
		cls.reg_a = make_registration(cls.dealer_a).name
		cls.reg_b = make_registration(cls.dealer_b).name
		cls.sell_a = make_sell_through(cls.dealer_a).name
		cls.sell_b = make_sell_through(cls.dealer_b).name

	def setUp(self):
		frappe.db.savepoint(SAVEPOINT)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.form_dict = frappe._dict()
		# undo this test's changes, keep the class's dealers (FrappeTestCase rolls them back at the end)
		frappe.db.rollback(save_point=SAVEPOINT)

	def visible(self, user: str, doctype: str = "Deal Registration") -> set[str]:
		frappe.set_user(user)
		return set(frappe.get_list(doctype, pluck="name"))

	def test_list_queries(self):
		self.assertEqual(self.visible(self.user_a), {self.reg_a})
		self.assertEqual(self.visible(self.user_b), {self.reg_b})
		self.assertEqual(self.visible(self.user_agent), {self.reg_agent, self.reg_a, self.reg_b})
		self.assertEqual(self.visible(self.user_other), set())
		self.assertEqual(self.visible(self.user_a, "Sell Through Report"), {self.sell_a})
		self.assertEqual(self.visible(self.user_agent, "Sell Through Report"), {self.sell_a, self.sell_b})
		self.assertEqual(self.visible(self.user_a, "Dealer"), {self.dealer_a})
		self.assertEqual(self.visible(self.user_agent, "Dealer"), {self.agent, self.dealer_a, self.dealer_b})

	def test_document_permission(self):
		doc_b = frappe.get_doc("Deal Registration", self.reg_b)
		for user, allowed in ((self.user_a, False), (self.user_b, True), (self.user_agent, True)):
			for ptype in ("read", "print"):
				with self.subTest(user=user, ptype=ptype):
					self.assertEqual(bool(frappe.has_permission(doc=doc_b, ptype=ptype, user=user)), allowed)
		dealer_b = frappe.get_doc("Dealer", self.dealer_b)
		self.assertFalse(frappe.has_permission(doc=dealer_b, ptype="read", user=self.user_a))
		self.assertFalse(frappe.has_permission(doc=dealer_b, ptype="write", user=self.user_b))
		sell_b = frappe.get_doc("Sell Through Report", self.sell_b)
		self.assertFalse(frappe.has_permission(doc=sell_b, ptype="print", user=self.user_a))
		self.assertTrue(frappe.has_permission(doc=sell_b, ptype="print", user=self.user_agent))

	def test_rest_api(self):
		frappe.set_user(self.user_a)
		self.assertEqual(read_doc("Deal Registration", self.reg_a).name, self.reg_a)
		with self.assertRaises(frappe.PermissionError):
			read_doc("Deal Registration", self.reg_b)
		with self.assertRaises(frappe.PermissionError):
			read_doc("Dealer", self.agent)
		frappe.local.form_dict = frappe._dict(fields='["name"]')
		self.assertEqual({row.name for row in document_list("Deal Registration")}, {self.reg_a})

		frappe.set_user(self.user_agent)
		self.assertEqual(read_doc("Deal Registration", self.reg_b).name, self.reg_b)

	def test_print_view(self):
		doc_b = frappe.get_doc("Deal Registration", self.reg_b)
		frappe.set_user(self.user_a)
		with self.assertRaises(frappe.PermissionError):
			validate_print_permission(doc_b)
		frappe.set_user(self.user_agent)
		validate_print_permission(doc_b)

	def test_portal_pages(self):
		frappe.set_user(self.user_a)
		set_request(method="GET", path="/dealer/registrations")
		html = get_response_content("/dealer/registrations")
		self.assertIn(self.reg_a, html)
		self.assertNotIn(self.reg_b, html)

		frappe.set_user(self.user_agent)
		set_request(method="GET", path="/dealer")
		html = get_response_content("/dealer")
		self.assertIn(self.dealer_a, html)
		self.assertIn(self.dealer_b, html)
		self.assertNotIn(self.other_agent, html)

		frappe.set_user(self.user_b)
		set_request(method="GET", path="/dealer/sell-through")
		html = get_response_content("/dealer/sell-through")
		self.assertIn(self.sell_b, html)
		self.assertNotIn(self.sell_a, html)

	def test_sell_through_months_read_as_months(self):
		# a report covers a month: the table said its first day as a date (11-01-2026)
		period = getdate(frappe.db.get_value("Sell Through Report", self.sell_b, "period"))
		frappe.set_user(self.user_b)
		for lang, month in (
			("en", f"{calendar.month_name[period.month]} {period.year}"),
			("zh", f"{period.year}年{period.month}月"),
		):
			with self.subTest(lang=lang):
				frappe.local.lang = lang
				set_request(method="GET", path="/dealer/sell-through")
				html = get_response_content("/dealer/sell-through")
				cell = f'data-label="{frappe._("Month")}">{month}</td>'
				self.assertTrue(cell in html, f"{cell} not on the page")
		frappe.local.lang = "en"
		self.assertEqual(portal.month_label("2026-02-01"), "February 2026")

	def test_an_unknown_dealer_path_is_not_found(self):
		# Frappe read /dealer/<x> as the print view of a Dealer named x: an error page (500); now "Not
		# Found", the same page whether a dealer x exists, is the user's or another branch's
		from frappe.website.serve import get_response

		paths = (
			f"/dealer/{self.dealer_b}",
			f"/dealer/{self.dealer_a}",
			"/dealer/no-such-page",
			"/dealer/funds/x",
		)
		for user in (self.user_a, "Guest"):
			pages = set()
			for path in paths:
				with self.subTest(user=user, path=path):
					frappe.set_user(user)
					set_request(method="GET", path=path)
					response = get_response(path, 200)
					self.assertEqual(response.status_code, 404)
					# the 404 page names the path asked for (data-path), nothing else differs
					pages.add(re.sub(r'data-path="[^"]*"', "", response.get_data(as_text=True)))
			self.assertEqual(len(pages), 1, user)
		frappe.set_user(self.user_a)
		set_request(method="GET", path="/dealer/registrations")
		self.assertEqual(get_response("/dealer/registrations", 200).status_code, 200)

	def test_portal_pages_refuse_non_dealers(self):
		frappe.set_user("Guest")
		with self.assertRaises(frappe.PermissionError):
			portal.get_portal_dealer()
		frappe.set_user("Administrator")
		with self.assertRaises(frappe.PermissionError):
			portal.get_portal_dealer()

	def test_dashboard(self):
		frappe.get_doc(
			{"doctype": "Dealer Announcement", "title": "新品上市", "content": "<p>新品</p>", "published": 1}
		).insert()
		dashboard = portal.get_dashboard(self.agent)
		self.assertEqual([row.name for row in dashboard.sub_dealers], [self.dealer_a, self.dealer_b])
		self.assertEqual(dashboard.open_registrations, {"Pending Approval": 3})
		self.assertIn("新品上市", [row.title for row in dashboard.announcements])
		self.assertEqual(portal.get_dashboard(self.dealer_a).sub_dealers, [])

	def test_register_deal(self):
		items = [{"item_code": make_item(), "qty": 1, "rate": 1000}]
		args = {
			"company_name": "测试科技有限公司",
			"city": "石家庄",
			"expected_close_date": add_days(today(), 20),
		}

		frappe.set_user(self.user_a)
		result = portal.register_deal(items=items, **args)
		self.assertEqual(
			frappe.db.get_value("Deal Registration", result["name"], ["dealer", "status"]),
			(self.dealer_a, "Pending Approval"),
		)
		with self.assertRaises(frappe.PermissionError):
			portal.register_deal(items=items, dealer=self.dealer_b, **args)

		frappe.set_user(self.user_agent)
		result = portal.register_deal(items=items, dealer=self.dealer_b, **args)
		self.assertEqual(frappe.db.get_value("Deal Registration", result["name"], "dealer"), self.dealer_b)

	def test_submit_sell_through(self):
		items = [{"item_code": make_item(), "qty": 3, "amount": 300, "city": "济南"}]
		frappe.set_user(self.user_a)
		with self.assertRaises(frappe.PermissionError):
			portal.submit_sell_through(period=add_months(today(), -1), items=items, dealer=self.dealer_b)
		result = portal.submit_sell_through(period=add_months(today(), -1), items=items)
		self.assertEqual(frappe.db.get_value("Sell Through Report", result["name"], "dealer"), self.dealer_a)
		self.assertEqual(result["total_amount"], 300)

	def test_sell_through_resale_rate_from_the_portal(self):
		from sales_reengineering.exceptions import InvalidArgumentError

		item = make_item()
		frappe.set_user(self.user_a)
		with self.assertRaises(InvalidArgumentError):
			portal.submit_sell_through(
				period=add_months(today(), -2),
				items=[{"item_code": item, "qty": 1, "resale_rate": -1, "city": "济南"}],
			)
		result = portal.submit_sell_through(
			period=add_months(today(), -2),
			items=[{"item_code": item, "qty": 3, "resale_rate": "120", "city": "济南"}],
		)
		self.assertEqual(
			frappe.db.get_value(
				"Sell Through Report Item", {"parent": result["name"]}, ["resale_rate", "amount"]
			),
			(120, 360),
		)

	def test_dealer_cannot_create_registration_for_another_branch_via_rest(self):
		frappe.set_user(self.user_a)
		doc = frappe.get_doc(
			{
				"doctype": "Deal Registration",
				"dealer": self.dealer_b,
				"company_name": "越权测试有限公司",
				"city": "上海",
				"expected_close_date": add_days(today(), 5),
				"items": [{"item_code": make_item(), "qty": 1, "rate": 1}],
			}
		)
		with self.assertRaises(frappe.PermissionError):
			doc.insert()

	def test_erpnext_portal_sees_branch_customers(self):
		def portal_users(dealer):
			customer = frappe.db.get_value("Dealer", dealer, "customer")
			return set(
				frappe.get_all(
					"Portal User", filters={"parenttype": "Customer", "parent": customer}, pluck="user"
				)
			)

		self.assertEqual(portal_users(self.dealer_a), {self.user_a, self.user_agent})
		self.assertEqual(portal_users(self.dealer_b), {self.user_b, self.user_agent})
		self.assertIn("Customer", frappe.get_roles(self.user_a))

		moved = frappe.get_doc("Dealer", self.dealer_a)
		moved.parent_dealer = self.other_agent
		moved.save()
		self.assertEqual(portal_users(self.dealer_a), {self.user_a, self.user_other})

		moved.reload()
		moved.set("portal_users", [])
		moved.save()
		self.assertEqual(portal_users(self.dealer_a), {self.user_other})
