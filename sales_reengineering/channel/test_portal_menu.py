"""The dealer's portal: a menu of the dealer's pages and ERPNext's orders, invoices, quotations and
addresses (ERPNext's menu unchanged for its own Customer users), /dealer as a dealer's home page, and the
pages' own script messages in the user's language."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import set_request
from frappe.website.serve import get_response_content

from sales_reengineering.channel.portal_menu import dealer_routes, get_home_page
from sales_reengineering.channel.portal_messages import js_messages
from sales_reengineering.tests.factories_channel import make_customer, make_dealer, make_website_user

HIDDEN_FOR_DEALERS = ("/project", "/timesheets", "/newsletters", "/material-requests", "/issues")


def render(user: str, path: str) -> str:
	frappe.set_user(user)
	frappe.cache.hdel("portal_menu_items", user)
	set_request(method="GET", path=path)
	return get_response_content(path)


class TestPortalMenu(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.dealer_user = make_website_user()
		cls.dealer = make_dealer("General Agent", portal_users=[cls.dealer_user]).name
		# an ERPNext customer's portal user who is no dealer
		cls.customer_user = make_website_user()
		customer = frappe.get_doc("Customer", make_customer())
		customer.append("portal_users", {"user": cls.customer_user})
		customer.save(ignore_permissions=True)
		frappe.get_doc("User", cls.customer_user).add_roles("Customer")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.lang = "en"

	def test_dealer_menu_shows_the_dealers_pages_only(self):
		self.assertIn("Customer", frappe.get_roles(self.dealer_user))
		html = render(self.dealer_user, "/dealer")
		for route in dealer_routes():
			self.assertIn(f'href="{route}"', html, route)
		for route in HIDDEN_FOR_DEALERS:
			self.assertNotIn(f'href="{route}"', html, route)
		self.assertEqual(dealer_routes()[-4:], ["/orders", "/invoices", "/quotations", "/addresses"])

	def test_erpnext_customers_keep_erpnext_menu(self):
		html = render(self.customer_user, "/orders")
		self.assertIn('href="/orders"', html)
		self.assertIn('href="/timesheets"', html)
		self.assertNotIn('href="/dealer/register"', html)

	def test_a_dealer_lands_on_the_dealer_dashboard(self):
		self.assertEqual(get_home_page(self.dealer_user), "dealer")
		self.assertIsNone(get_home_page(self.customer_user))

	def test_page_scripts_get_their_messages_in_the_users_language(self):
		frappe.local.lang = "zh"
		messages = js_messages("register.html")
		source = "Registration {0} submitted for approval."
		self.assertIn(source, messages)
		self.assertNotEqual(messages[source], source)
		self.assertRegex(messages[source], r"[\u4e00-\u9fff]")
		self.assertIn("Message:Default title of the message dialog", messages)
		# the page hands its script the translations of the script's own messages
		html = render(self.dealer_user, "/dealer/sell-through")
		self.assertIn("frappe._messages = Object.assign(", html)
		self.assertIn('"Sell-through report {0} submitted."', html)
