"""`before_tests`: one test company and the masters every integration test shares.

Runs once per `bench run-tests --app sales_reengineering`; everything here is idempotent, so a site that
already has it is left alone.
"""

import frappe
from erpnext.setup.utils import before_tests as erpnext_before_tests

TEST_COMPANY = "_Test SR Company"
TEST_COMPANY_ABBR = "_TSR"

# parent territory -> children; a small slice of the real tree the demo builds
TEST_TERRITORIES = {
	"_Test SR China": ["_Test SR North", "_Test SR East"],
	"_Test SR North": ["_Test SR Beijing", "_Test SR Hebei"],
	"_Test SR East": ["_Test SR Shanghai", "_Test SR Jiangsu"],
}

# parent sales person -> children; the managers are group nodes
TEST_SALES_PERSONS = {
	"_Test SR Sales Director": ["_Test SR North Manager", "_Test SR East Manager"],
	"_Test SR North Manager": ["_Test SR Rep Beijing", "_Test SR Rep Hebei"],
	"_Test SR East Manager": ["_Test SR Rep Shanghai"],
}

TEST_SALES_STAGES = [
	("_Test SR Qualification", 1, 10),
	("_Test SR Needs Analysis", 2, 30),
	("_Test SR Proposal", 3, 60),
	("_Test SR Negotiation", 4, 80),
]


def before_tests() -> None:
	erpnext_before_tests()
	make_test_company()
	make_territories()
	make_sales_persons()
	make_sales_stages()
	# the default completeness rules a site is installed with would change the scores the tests compute;
	# tests that need rules make their own (the defaults are tested by calling their installer)
	frappe.db.delete("Customer Completeness Rule")
	frappe.db.commit()


def make_test_company() -> str:
	if not frappe.db.exists("Company", TEST_COMPANY):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": TEST_COMPANY,
				"abbr": TEST_COMPANY_ABBR,
				"default_currency": "CNY",
				"country": "China",
				"create_chart_of_accounts_based_on": "Standard Template",
				"chart_of_accounts": "Standard",
			}
		).insert(ignore_permissions=True)
	return TEST_COMPANY


def _make_tree(doctype: str, name_field: str, parent_field: str, root: str, tree: dict[str, list[str]]):
	def ensure(name: str, parent: str, is_group: int):
		if frappe.db.exists(doctype, name):
			return
		frappe.get_doc(
			{"doctype": doctype, name_field: name, parent_field: parent, "is_group": is_group}
		).insert(ignore_permissions=True)

	top = next(iter(tree))
	ensure(top, root, 1)
	for parent, children in tree.items():
		for child in children:
			ensure(child, parent, int(child in tree))


def make_territories() -> None:
	_make_tree("Territory", "territory_name", "parent_territory", "All Territories", TEST_TERRITORIES)


def make_sales_persons() -> None:
	_make_tree("Sales Person", "sales_person_name", "parent_sales_person", "Sales Team", TEST_SALES_PERSONS)


def make_sales_stages() -> None:
	for stage_name, order, probability in TEST_SALES_STAGES:
		values = {"sr_stage_order": order, "sr_probability": probability}
		if frappe.db.exists("Sales Stage", stage_name):
			# the custom columns are dropped on uninstall: a reinstalled site gets its values back here
			frappe.db.set_value("Sales Stage", stage_name, values)
		else:
			frappe.get_doc({"doctype": "Sales Stage", "stage_name": stage_name, **values}).insert(
				ignore_permissions=True
			)
