"""ERPNext's Sales Person form, extended: connections to the person's Sales Tasks, KPI Scorecards and
Sales Rankings (`override_doctype_dashboards`), and their standing (score this quarter, rank in the latest
ranking) for the indicators that performance/client/sales_person.js shows."""

import frappe
from frappe import _

from sales_reengineering.charts import quarter_bounds


def get_sales_person_dashboard(data: dict | None = None) -> dict:
	"""ERPNext's connections plus the performance records and the customers the person is responsible
	for. A task or scorecard names its Sales Person in `assignee` (with `assignee_type`); a ranking names
	it in its entries (the connection counts rankings through their child rows)."""
	data = frappe._dict(data or {})
	data.setdefault("fieldname", "sales_person")
	fieldnames = data.setdefault("non_standard_fieldnames", {})
	fieldnames.update(
		{
			"Sales Task": "assignee",
			"KPI Scorecard": "assignee",
			"Customer": "sr_sales_person",
			"Opportunity": "sr_sales_person",
			"Dealer": "account_manager",
		}
	)
	data.setdefault("dynamic_links", {})["assignee"] = ["Sales Person", "assignee_type"]
	transactions = data.setdefault("transactions", [])
	listed = {doctype for group in transactions for doctype in group.get("items", [])}
	for label, items in (
		(_("Performance"), ["Sales Task", "KPI Scorecard", "Sales Ranking"]),
		(_("Responsible For"), ["Customer", "Opportunity", "Dealer"]),
	):
		if missing := [doctype for doctype in items if doctype not in listed]:
			transactions.append({"label": label, "items": missing})
	return data


@frappe.whitelist()
def get_standing(sales_person: str) -> dict:
	"""The person's score of the current quarter (their saved scorecard) and their rank in the latest
	ranking that lists them, as far as the session user may read scorecards and rankings."""
	frappe.get_doc("Sales Person", sales_person).check_permission("read")
	standing = {}
	_first, _last, period = quarter_bounds()
	scorecards = frappe.get_list(
		"KPI Scorecard",
		filters={
			"assignee_type": "Sales Person",
			"assignee": sales_person,
			"period_type": "Quarter",
			"period_label": period,
		},
		fields=["total_score", "beat_target"],
		order_by="total_score desc",
		limit_page_length=1,
	)
	if scorecards:
		standing.update(period=period, score=scorecards[0].total_score, beat_target=scorecards[0].beat_target)
	if frappe.has_permission("Sales Ranking", "read"):
		standing.update(_latest_rank(sales_person))
	return standing


def _latest_rank(sales_person: str) -> dict:
	ranking = frappe.qb.DocType("Sales Ranking")
	entry = frappe.qb.DocType("Sales Ranking Entry")
	latest = (
		frappe.qb.from_(entry)
		.join(ranking)
		.on((ranking.name == entry.parent) & (entry.parenttype == "Sales Ranking"))
		.select(ranking.name, ranking.period_label, entry.rank)
		.where(entry.sales_person == sales_person)
		.orderby(ranking.to_date, order=frappe.qb.desc)
		.orderby(ranking.period_type)  # a month before the quarter that ends with it
		.limit(1)
	).run(as_dict=True)
	if not latest or not frappe.has_permission("Sales Ranking", "read", doc=latest[0].name):
		return {}
	ranked = frappe.db.count("Sales Ranking Entry", {"parent": latest[0].name, "parenttype": "Sales Ranking"})
	return {"rank": latest[0].rank, "ranked": ranked, "ranking_period": latest[0].period_label}
