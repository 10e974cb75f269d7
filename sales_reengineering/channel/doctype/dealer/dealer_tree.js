frappe.treeview_settings["Dealer"] = {
	breadcrumb: "Channel",
	title: __("Dealer Network"),
	get_tree_nodes: "frappe.desk.treeview.get_children",
	filters: [],
	fields: [
		{ fieldtype: "Data", fieldname: "dealer_name", label: __("Dealer Name"), reqd: true },
		{
			fieldtype: "Select",
			fieldname: "dealer_level",
			label: __("Level"),
			options: "General Agent\nProvincial Dealer\nSub-Dealer",
			reqd: true,
		},
	],
	ignore_fields: ["parent_dealer"],
};
