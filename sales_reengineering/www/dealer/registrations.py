from frappe import _

from sales_reengineering.channel.portal import get_portal_dealer, get_registrations

no_cache = 1


def get_context(context):
	get_portal_dealer()
	context.registrations = get_registrations()
	context.title = _("Deal Registrations")
	context.show_sidebar = True
	return context
