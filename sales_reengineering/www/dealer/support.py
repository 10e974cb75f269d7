import frappe
from frappe import _

from sales_reengineering.channel.portal import get_portal_dealer
from sales_reengineering.channel.portal_messages import js_messages
from sales_reengineering.channel.support import REQUEST_TYPES, get_request, get_requests
from sales_reengineering.scope.dealers import get_branch

no_cache = 1


def get_context(context):
	dealer = get_portal_dealer()
	name = frappe.form_dict.get("name")
	# one request (?name=...) of the user's branch, else the branch's requests and the form to raise one
	context.request = get_request(name) if name else None
	context.requests = [] if name else get_requests()
	context.dealers = get_branch(dealer)
	context.request_types = REQUEST_TYPES
	context.title = _("Support Requests")
	context.show_sidebar = True
	context.js_messages = js_messages("support.html")
	return context
