"""The records and users of the browser tests (e2e/), committed so that the web server sees them.

Run by e2e/lib/site.mjs through `bench --site <site> execute`:

    sales_reengineering.tests.e2e_fixtures.create   --kwargs '{"out": "<file>", "language": "en"}'
    sales_reengineering.tests.e2e_fixtures.purge    --kwargs '{"path": "<file>"}'

`create` builds the permission matrix's world (matrix_fixtures.World: users with a known password, a
team, two dealer branches, registrations, tasks, calls) plus what the browser scenarios consume: a
Sales Task pending approval on a built-in indicator for this quarter, and two pending registrations
of two dealers for the same end customer, and a contract of the assistant's customer due for renewal.
It writes the names, users and password as JSON to `out`. With `language` ("zh" for the user guide's
Chinese screenshots) every fixture user works in that language, and the JSON carries the site's
translations into it, so that the tests find buttons and messages by their translated text.
Every name carries a random tag, so a re-run (or an interrupted run) never collides with another.

`purge` deletes what `create` made, plus what the browser made as those users (opportunities,
activities, registrations, sell-through reports, support requests, market development funds and their
claims with the proof files), so a CI site is left as it was.
"""

import json

import frappe
from frappe.translate import get_all_translations
from frappe.utils import add_days, getdate, today

from sales_reengineering.performance.doctype.sales_task.sales_task import period_bounds
from sales_reengineering.tests.matrix_fixtures import PASSWORD, World
from sales_reengineering.tests.setup import TEST_COMPANY

# what the browser creates as the fixture users, removed by `purge`
MADE_IN_BROWSER = (
	"Event",
	"Opportunity",
	"Deal Registration",
	"Sell Through Report",
	"Telesales Call",
	"Issue",
	"MDF Claim",
	"Market Development Fund",
)


def create(out: str, language: str = "en") -> None:
	frappe.set_user("Administrator")
	if not frappe.db.exists("Company", TEST_COMPANY):
		from sales_reengineering.tests.setup import before_tests

		before_tests()
	world = World().build()
	ensure_exchange_rates()

	# a Sales Task for this quarter on a built-in indicator, waiting for the manager's approval
	world.insert(
		{
			"doctype": "KPI Template",
			"template_name": world.label("Sales Template"),
			"applies_to": "Salesperson",
			"scoring_method": "Capped",
			"indicators": [{"indicator": "Net Sales", "weight": 100, "default_target": 5000}],
		},
		key="sales_template",
	)
	day = getdate(today())
	quarter = (day.month - 1) // 3 + 1
	world.names["template"], manual_template = world["sales_template"], world["template"]
	world.sales_task("task_pending", world["rep_a"], quarter, year=day.year, state="Pending Approval")
	world.names["template"] = manual_template

	# two dealers register the same new end customer; both wait for the channel manager
	contested = world.label("Contested Hospital")
	world.registration("dr_contest_a", world["pd_a"], contested)
	world.registration("dr_contest_b", world["pd_b"], contested)
	# a published ranking of the fixtures' approved tasks (2031 Q2), for the KPI Ranking report
	ranking_year, ranking_quarter = 2031, 2
	world.insert(
		{
			"doctype": "Sales Ranking",
			"period_type": "Quarter",
			"period_label": period_bounds("Quarter", ranking_year, ranking_quarter)[2],
			"level": "Individuals",
			"entries": [
				{"rank": 1, "sales_person": world["rep_a"], "total_score": 90, "scorecard": world["sc_a"]},
				{"rank": 2, "sales_person": world["rep_b"], "total_score": 80, "scorecard": world["sc_b"]},
			],
		},
		key="ranking_quarter",
	)
	# a contract of the assistant's customer that ends within the month: on the Contract Renewals report
	renewal = world.contract("contract_renewal", world["cust_a"], submit=False)
	frappe.db.set_value("Contract", renewal, "end_date", add_days(today(), 20), update_modified=False)
	frappe.get_doc("Contract", renewal).submit()
	if language != "en":
		for user in world.users.values():
			frappe.db.set_value("User", user, "language", language, update_modified=False)
	frappe.db.commit()

	data = {
		"language": language,
		"translations": get_all_translations(language) if language != "en" else {},
		"tag": world.tag,
		"password": PASSWORD,
		"company": TEST_COMPANY,
		"users": world.users,
		"names": world.names,
		"labels": {
			"contested": contested,
			"item": world["item"],
			"dealer_a": frappe.db.get_value("Dealer", world["pd_a"], "dealer_name"),
			"dealer_b": frappe.db.get_value("Dealer", world["pd_b"], "dealer_name"),
			"dr_b_company": frappe.db.get_value("Deal Registration", world["dr_b"], "company_name"),
		},
		"quarter": quarter,
		"year": day.year,
		# the site's today (its time zone, not the browser's): the fixtures' sell-through month is this one's
		"today": str(day),
		"ranking": {"year": ranking_year, "quarter": ranking_quarter},
		"made": world.made,
		"started": str(world.started),
	}
	with open(out, "w") as f:
		json.dump(data, f, indent=1, default=str)


def ensure_exchange_rates() -> None:
	"""A new opportunity takes the site's default currency (USD on a site without the setup wizard)
	and asks for its rate to the company's CNY; offline, ERPNext cannot fetch one and shows a dialog
	over the form. A fixed rate for today, as an accountant would enter it."""
	for from_currency, to_currency, rate in (("USD", "CNY", 7.1), ("CNY", "USD", 0.14)):
		filters = {"from_currency": from_currency, "to_currency": to_currency, "date": today()}
		if not frappe.db.exists("Currency Exchange", filters):
			frappe.get_doc(
				{"doctype": "Currency Exchange", **filters, "exchange_rate": rate, "for_selling": 1, "for_buying": 1}
			).insert(ignore_permissions=True)
	frappe.db.commit()


def purge(path: str) -> None:
	with open(path) as f:
		data = json.load(f)
	world = World()
	world.made = [tuple(row) for row in data["made"]]
	world.started = frappe.utils.get_datetime(data["started"])
	users = list(data["users"].values())
	extra = [
		(doctype, name)
		for doctype in MADE_IN_BROWSER
		for name in frappe.get_all(doctype, filters={"owner": ("in", users)}, pluck="name")
	]
	# a claim's proof: the File and what is on disk
	claims = [name for doctype, name in extra if doctype == "MDF Claim"]
	for name in frappe.get_all(
		"File", filters={"attached_to_doctype": "MDF Claim", "attached_to_name": ("in", claims or [""])}, pluck="name"
	):
		frappe.delete_doc("File", name, force=True)
	frappe.db.commit()  # World.purge starts with a rollback
	# the opportunity a converted call made belongs to the call's customer
	extra += [
		("Opportunity", name)
		for name in frappe.get_all(
			"Opportunity", filters={"party_name": ("like", f"%{data['tag']}%")}, pluck="name"
		)
	]
	world.purge(extra)
