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
}
