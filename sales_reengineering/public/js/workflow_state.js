// Workflow states in the user's language, for everyone on the desk.
//
// Frappe's Link formatter translates a linked name only for users who may read the linked DocType, and
// only System Managers read "Workflow State": a Sales User saw a Sales Task's state as "Pending
// Approval" in the list and the form while zh.csv translates it. A state's name is shown to everyone
// anyway (the form's indicator, the workflow actions); this formatter translates it before the link
// is drawn, whatever the user's rights.
frappe.provide("frappe.form.link_formatters");
frappe.form.link_formatters["Workflow State"] = (value) => (value ? __(value) : value);
