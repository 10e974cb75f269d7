from frappe import _


def get_data():
	"""The Dealer form's connections: its registrations, sell-through reports, sub-dealers, targets and
	tier reviews, and the ERPNext records it points to. Purchases (the invoices of the dealer's customer)
	are summed on the form itself by dealer.js, since an invoice names the customer, not the dealer."""
	return {
		"fieldname": "dealer",
		"non_standard_fieldnames": {
			"Dealer": "parent_dealer",
			"Sales Task": "assignee",
			"KPI Scorecard": "assignee",
		},
		# a task or scorecard names a Sales Person or a Dealer in `assignee`
		"dynamic_links": {"assignee": ["Dealer", "assignee_type"]},
		"internal_links": {"Customer": "customer", "Contract": "agreement", "Sales Partner": "sales_partner"},
		"transactions": [
			{"label": _("Registrations"), "items": ["Deal Registration"]},
			{"label": _("Sell-Through Reports"), "items": ["Sell Through Report"]},
			{"label": _("Sub-Dealers"), "items": ["Dealer"]},
			{"label": _("Targets"), "items": ["Sales Task", "KPI Scorecard", "Dealer Tier Review"]},
			{"label": _("ERPNext Links"), "items": ["Customer", "Contract", "Sales Partner"]},
		],
	}
