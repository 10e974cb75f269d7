"""The dealer's portal menu and home page, through Frappe's own website hooks.

A dealer's portal users are also ERPNext "Customer" portal users (scope.dealers gives them the dealer's
customer), so Frappe's menu would list everything ERPNext offers a customer: projects, timesheets,
newsletters, material requests, issues. A dealer needs the app's pages (`portal_menu_items` with the
Dealer role, in hooks.py) and ERPNext's orders, invoices, quotations and addresses; the rest is hidden
for dealers only. A Customer user who is no dealer keeps ERPNext's menu as it is.
"""

import frappe

from sales_reengineering.scope import DEALER_ROLE

# ERPNext's portal pages a dealer uses, in this order after the app's own
ERPNEXT_DEALER_ROUTES = ("/orders", "/invoices", "/quotations", "/addresses")
DEALER_HOME = "dealer"


def is_dealer_user(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user != "Guest" and DEALER_ROLE in frappe.get_roles(user)


def dealer_routes() -> list[str]:
	"""The app's dealer pages (from the portal_menu_items hook), then ERPNext's."""
	own = [
		item["route"] for item in frappe.get_hooks("portal_menu_items") if item.get("role") == DEALER_ROLE
	]
	return [*own, *ERPNEXT_DEALER_ROUTES]


def _route(item) -> str:
	return "/" + (item.get("route") or "").strip("/")


def dealer_menu(context) -> dict | None:
	"""update_website_context: a dealer's sidebar keeps only the dealer's pages, in `dealer_routes` order."""
	if not context.get("sidebar_items") or not is_dealer_user():
		return None
	order = {route: position for position, route in enumerate(dealer_routes())}
	items = [item for item in context.sidebar_items if _route(item) in order]
	return {"sidebar_items": sorted(items, key=lambda item: order[_route(item)])}


def get_home_page(user: str) -> str | None:
	"""get_website_user_home_page: a dealer lands on its dashboard; anyone else as Frappe decides."""
	return DEALER_HOME if is_dealer_user(user) else None
