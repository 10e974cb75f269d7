frappe.listview_settings["Sales Reminder Log"] = {
	get_indicator(doc) {
		return doc.digest_sent
			? [__("Mailed"), "green", "digest_sent,=,1"]
			: [__("Awaiting Digest"), "orange", "digest_sent,=,0"];
	},
};
