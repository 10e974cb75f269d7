import frappe
from frappe import _

from sales_reengineering.scope.dealers import get_branch
from sales_reengineering.channel.portal_messages import js_messages
from sales_reengineering.channel.portal import get_portal_dealer

no_cache = 1


def get_context(context):
	dealer = get_portal_dealer()
	context.dealers = get_branch(dealer)
	context.title = _("Register a Deal")
	context.show_sidebar = True
	context.js_messages = js_messages("register.html")
	return context
