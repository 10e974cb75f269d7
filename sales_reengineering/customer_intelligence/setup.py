"""Records this module ships once, at install or through a patch; administrators may edit them
afterwards, so nothing here overwrites an existing record."""

import frappe

from sales_reengineering.setup.workflows import ensure_workflow

FEEDBACK_WORKFLOW = "Info Feedback Review"
RULE = "Customer Completeness Rule"

# The completeness rules a new site starts with: (name, weight, rule type, fieldname, designation,
# minimum count, enabled). Weights need not total 100 (the score is met weight / total weight).
DEFAULT_COMPLETENESS_RULES = (
	("Credit Code (Tax ID)", 15, "Customer Field", "tax_id", None, 0, 1),
	("Responsible Salesperson", 10, "Customer Field", "sr_sales_person", None, 0, 1),
	("Industry", 10, "Customer Field", "industry", None, 0, 1),
	("Territory", 5, "Customer Field", "territory", None, 0, 1),
	("Primary Contact E-mail", 15, "Primary Contact Field", "email_id", None, 0, 1),
	("Primary Contact Mobile", 15, "Primary Contact Field", "mobile_no", None, 0, 1),
	("Primary Address", 15, "Primary Address Field", "address_line1", None, 0, 1),
	("At Least Two Contacts", 10, "Contact Count", None, None, 2, 1),
	# off until an administrator enters the designation their customers' decision-makers carry
	("Key Decision-Maker", 15, "Contacts with Designation", None, "Decision Maker", 1, 0),
)

WORKFLOW_STATES = {"Draft": "Warning", "Submitted": "Primary", "Approved": "Success", "Rejected": "Danger"}


def create_feedback_workflow() -> None:
	"""The review workflow of `Info Feedback Report`; created only when missing."""
	ensure_workflow(
		FEEDBACK_WORKFLOW,
		"Info Feedback Report",
		states=[
			("Draft", "0", "Sales User"),
			("Submitted", "0", "Sales Manager"),
			("Approved", "0", "Sales Manager"),
			("Rejected", "0", "Sales Manager"),
		],
		transitions=[
			("Draft", "Submit for Review", "Submitted", "Sales User", 1),
			("Submitted", "Approve", "Approved", "Sales Manager", 0),
			("Submitted", "Reject", "Rejected", "Sales Manager", 0),
			("Submitted", "Return to Draft", "Draft", "Sales Manager", 1),
		],
		styles=WORKFLOW_STATES,
	)


def create_default_completeness_rules() -> int:
	"""The default rules, on a site that has none (an administrator's rules are never touched); every
	customer is rescored once, in the background. Returns the number of rules created."""
	if frappe.db.count(RULE):
		return 0
	for name, weight, rule_type, fieldname, designation, min_count, enabled in DEFAULT_COMPLETENESS_RULES:
		doc = frappe.get_doc(
			{
				"doctype": RULE,
				"rule_name": name,
				"weight": weight,
				"rule_type": rule_type,
				"fieldname": fieldname,
				"designation": designation,
				"min_count": min_count,
				"enabled": enabled,
			}
		)
		doc.flags.skip_rescore = True
		doc.insert(ignore_permissions=True)
	from sales_reengineering.customer_intelligence.completeness import enqueue_recompute_all

	enqueue_recompute_all()
	return len(DEFAULT_COMPLETENESS_RULES)


def after_sync() -> None:
	"""Called from `sales_reengineering.install.sync_setup`."""
	create_feedback_workflow()
	create_default_completeness_rules()
