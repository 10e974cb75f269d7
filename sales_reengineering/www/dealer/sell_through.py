from frappe import _

from sales_reengineering.scope.dealers import get_branch
from sales_reengineering.channel.portal_messages import js_messages
from sales_reengineering.channel.portal import get_portal_dealer, get_sell_through_reports

no_cache = 1


def get_context(context):
	dealer = get_portal_dealer()
	context.dealers = get_branch(dealer)
	context.reports = get_sell_through_reports()
	context.title = _("Sell-Through Reports")
	context.show_sidebar = True
	context.js_messages = js_messages("sell-through.html")
	return context
