import frappe
from frappe import _

from sales_reengineering.channel.portal import get_dashboard, get_portal_dealer

no_cache = 1


def get_context(context):
	dealer = get_portal_dealer()
	context.dashboard = get_dashboard(dealer)
	context.title = _("Dealer Dashboard")
	context.show_sidebar = True
	return context
