"""Custom fields this app adds to ERPNext doctypes.

Kept as code, not fixtures (the hrms / india-compliance way): `install.after_install` applies them with
`create_custom_fields`, a patch re-applies them whenever this dict changes, and `before_uninstall`
removes exactly these fields again.
"""

CUSTOM_FIELDS: dict[str, list[dict]] = {
	"Customer": [
		{
			"fieldname": "sr_sales_person",
			"label": "Responsible Sales Person",
			"fieldtype": "Link",
			"options": "Sales Person",
			"insert_after": "customer_group",
			"in_standard_filter": 1,
			"description": "The company's salesperson who answers for this account. "
			"The account belongs to the company, not to this person.",
		},
		{
			"fieldname": "sr_sales_assistant",
			"label": "Maintaining Sales Assistant",
			"fieldtype": "Link",
			"options": "User",
			"insert_after": "sr_sales_person",
			"description": "The assistant who keeps this customer's records and transaction history up to date.",
		},
		{
			"fieldname": "sr_completeness_score",
			"label": "Data Completeness (%)",
			"fieldtype": "Percent",
			"insert_after": "sr_sales_assistant",
			"read_only": 1,
			"no_copy": 1,
			"in_list_view": 1,
			"description": "Scored by the Customer Completeness Rules whenever the customer, "
			"its contacts or its addresses change.",
		},
		{
			"fieldname": "sr_completeness_missing",
			"label": "Missing Customer Data",
			"fieldtype": "Small Text",
			"insert_after": "sr_completeness_score",
			"read_only": 1,
			"no_copy": 1,
			"depends_on": "eval:doc.sr_completeness_missing",
		},
		{
			"fieldname": "sr_needs_handover",
			"label": "Needs Handover",
			"fieldtype": "Check",
			"insert_after": "sr_completeness_missing",
			"read_only": 1,
			"no_copy": 1,
			"in_standard_filter": 1,
			"description": "The responsible salesperson is disabled or has left: hand this account over.",
		},
		# -- telesales: the next purchase predicted from the customer's own purchase intervals --
		{
			"fieldname": "sr_repeat_purchase_section",
			"label": "Repeat Purchase",
			"fieldtype": "Section Break",
			"insert_after": "sr_needs_handover",
			"collapsible": 1,
		},
		{
			"fieldname": "sr_last_purchase_date",
			"label": "Last Purchase",
			"fieldtype": "Date",
			"insert_after": "sr_repeat_purchase_section",
			"read_only": 1,
			"no_copy": 1,
		},
		{
			"fieldname": "sr_purchase_interval_days",
			"label": "Typical Purchase Interval (Days)",
			"fieldtype": "Float",
			"precision": "1",
			"insert_after": "sr_last_purchase_date",
			"read_only": 1,
			"no_copy": 1,
			"description": "The median number of days between the customer's purchases (submitted invoices).",
		},
		{
			"fieldname": "sr_predicted_next_purchase",
			"label": "Predicted Next Purchase",
			"fieldtype": "Date",
			"insert_after": "sr_purchase_interval_days",
			"read_only": 1,
			"no_copy": 1,
			"in_standard_filter": 1,
			"description": "Last purchase plus the typical interval; kept current as invoices are submitted or "
			"cancelled, and recomputed every night. Empty until the customer has bought often enough.",
		},
	],
	"Opportunity": [
		{
			"fieldname": "sr_sales_person",
			"label": "Responsible Sales Person",
			"fieldtype": "Link",
			"options": "Sales Person",
			"insert_after": "sales_stage",
			"in_standard_filter": 1,
		},
		{
			"fieldname": "sr_needs_handover",
			"label": "Needs Handover",
			"fieldtype": "Check",
			"insert_after": "sr_sales_person",
			"read_only": 1,
			"no_copy": 1,
			"in_standard_filter": 1,
			"description": "Open, and the responsible salesperson is disabled or has left: hand it over.",
		},
	],
	"Sales Stage": [
		{
			"fieldname": "sr_stage_order",
			"label": "Stage Order",
			"fieldtype": "Int",
			"insert_after": "stage_name",
			"in_list_view": 1,
			"description": "Position of this stage in the sales funnel; a move to a higher order is progress.",
		},
		{
			"fieldname": "sr_probability",
			"label": "Win Probability (%)",
			"fieldtype": "Percent",
			"insert_after": "sr_stage_order",
			"in_list_view": 1,
		},
		{
			"fieldname": "sr_exit_criteria",
			"label": "Exit Criteria",
			"fieldtype": "Small Text",
			"insert_after": "sr_probability",
		},
	],
	"Contract": [
		{
			"fieldname": "sr_contract_value",
			"label": "Contract Value",
			"fieldtype": "Currency",
			"insert_after": "party_name",
		},
		{
			"fieldname": "sr_renewal_date",
			"label": "Renewal Date",
			"fieldtype": "Date",
			"insert_after": "end_date",
		},
	],
	"Sales Order": [
		{
			"fieldname": "sr_contract",
			"label": "Contract",
			"fieldtype": "Link",
			"options": "Contract",
			"insert_after": "customer",
			"description": "The customer's contract this order fulfils.",
		},
	],
	"Sales Invoice": [
		{
			"fieldname": "sr_contract",
			"label": "Contract",
			"fieldtype": "Link",
			"options": "Contract",
			"insert_after": "customer",
			"description": "The customer's contract this invoice bills.",
		},
	],
	# -- channel: dealer support requests are ERPNext Issues raised from the dealer portal --
	"Issue": [
		{
			"fieldname": "sr_dealer",
			"label": "Dealer",
			"fieldtype": "Link",
			"options": "Dealer",
			"insert_after": "customer",
			"in_standard_filter": 1,
			"search_index": 1,
			"description": "A dealer's support request: assigned to the dealer's account manager, answered within "
			"the response time in Sales Reengineering Settings.",
		},
		{
			"fieldname": "sr_request_type",
			"label": "Support Request Type",
			"fieldtype": "Select",
			"options": "\nPre-sales Help\nKey-Account Visit\nTechnical Support\nMarketing Material",
			"insert_after": "sr_dealer",
			"in_standard_filter": 1,
			"in_list_view": 1,
			"depends_on": "eval:doc.sr_dealer",
			"mandatory_depends_on": "eval:doc.sr_dealer",
		},
	],
	"Territory": [
		{
			"fieldname": "sr_purchasing_power_index",
			"label": "Purchasing Power Index",
			"fieldtype": "Float",
			"insert_after": "territory_manager",
			"description": "100 is the national average. Kept up to date from approved Info Feedback Reports "
			"on regional purchasing power (average of the last year); may also be entered by hand.",
		},
		{
			"fieldname": "sr_purchasing_power_reports",
			"label": "Purchasing Power Reports",
			"fieldtype": "Int",
			"insert_after": "sr_purchasing_power_index",
			"read_only": 1,
		},
		{
			"fieldname": "sr_purchasing_power_updated_on",
			"label": "Purchasing Power Updated On",
			"fieldtype": "Date",
			"insert_after": "sr_purchasing_power_reports",
			"read_only": 1,
		},
	],
}
