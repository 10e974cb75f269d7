"""Hostile input over HTTP: every whitelisted method, portal form and report of the app, fed wrong types,
missing and extra fields, very long strings, SQL and HTML/JS injection, negative numbers, NaN, bad dates
and bad JSON.

Each case of HOSTILE_CASES goes through Frappe's real HTTP stack (werkzeug's test client on
`frappe.app.application`, in its own thread and so on its own database connection, as Frappe's own
`frappe/tests/test_api.py` does), logged in as the user in its first column. It must end in a clean
refusal:

    * the HTTP status of the expected error (417 for a ValidationError, 403 for a PermissionError,
      404 for a record that does not exist), and that error's class in `exc_type`;
    * a message for the user, in the user's language (the users speak Chinese, so the message must
      have come through a translation);
    * no traceback anywhere in the body;
    * no new record in any of WATCHED_DOCTYPES, and no new Error Log row (written or queued).

The requests' users and dealers are committed in setUpClass, since the requests cannot see this test's
transaction, and deleted in tearDownClass. The site runs as in production: System Settings'
`allow_error_traceback` is off (with it on, Frappe sends every error's traceback, even a clean
ValidationError's, to the caller).
"""

import datetime
import json
import re
from threading import Thread

import frappe
from frappe.app import application
from frappe.deferred_insert import queue_prefix
from frappe.tests.utils import FrappeTestCase
from frappe.utils.password import update_password
from werkzeug.test import Client, TestResponse

from sales_reengineering.tests.factories_channel import make_dealer, make_item, make_website_user
from sales_reengineering.tests.utils import make_user

PASSWORD = "Hostile-Input-Test-2026!"
LANGUAGE = "zh"
CJK = re.compile(r"[\u4e00-\u9fff]")

# -- the cast ---------------------------------------------------------------------------------------------
GUEST = "Guest"
DEALER = "hostile-dealer@sr-test.invalid"  # portal user of DEALER_A, a provincial dealer under AGENT
SALES_USER = "hostile-sales@sr-test.invalid"  # Sales User, the salesperson SALES_PERSON
MANAGER = "hostile-manager@sr-test.invalid"  # Sales Manager
CHANNEL_MANAGER = "hostile-channel@sr-test.invalid"  # Channel Manager
ADMIN = "hostile-admin@sr-test.invalid"  # System Manager
DESK_USERS = {
	SALES_USER: ["Sales User"],
	MANAGER: ["Sales Manager", "Sales User"],
	CHANNEL_MANAGER: ["Channel Manager"],
	ADMIN: ["System Manager"],
}

AGENT = "_Test SR Hostile Agent"
DEALER_A = "_Test SR Hostile Dealer"
OUTSIDER = "_Test SR Hostile Outsider"  # a general agent of another branch
SALES_PERSON = "_Test SR Hostile Rep"
ITEM = "_Test SR Hostile Item"

# records that no hostile request may leave behind
WATCHED_DOCTYPES = (
	"Deal Registration",
	"Deal Registration Item",
	"Sell Through Report",
	"Sell Through Report Item",
	"Sales Ranking",
	"Sales Task",
	"KPI Scorecard",
	"Sales Progress Snapshot",
	"Event",
	"Opportunity",
	"Telesales Call",
	"Customer",
	"Dealer",
	"Comment",
	"Issue",
)

# -- the methods ------------------------------------------------------------------------------------------
REGISTER = "sales_reengineering.channel.portal.register_deal"
SELL_THROUGH = "sales_reengineering.channel.portal.submit_sell_through"
SUPPORT = "sales_reengineering.channel.support.raise_request"
RECOMPUTE_RANKING = "sales_reengineering.performance.ranking.recompute_ranking"
LEADERBOARD = "sales_reengineering.performance.ranking.get_scorecard_leaderboard"
EXTEND_PROTECTION = (
	"sales_reengineering.channel.doctype.deal_registration.deal_registration.extend_protection"
)
TEAM_TASKS = "sales_reengineering.performance.doctype.sales_task.sales_task.create_team_tasks"
QUOTA_SUGGESTIONS = "sales_reengineering.performance.quota.get_quota_suggestions"
ACCEPT_QUOTAS = "sales_reengineering.performance.quota.accept_quota_suggestions"
REFRESH_SCORECARD = "sales_reengineering.performance.scorecard.refresh_scorecard"
REFRESH_ALL_SCORECARDS = "sales_reengineering.performance.scorecard.refresh_all_scorecards"
DRILLDOWN = "sales_reengineering.performance.scorecard.get_drilldown"
LOG_ACTIVITY = "sales_reengineering.customer_intelligence.activity.log_activity"
RECOMPUTE_SNAPSHOTS = "sales_reengineering.customer_intelligence.progress.recompute_snapshots"
RECOMPUTE_COMPLETENESS = "sales_reengineering.customer_intelligence.completeness.recompute_completeness"
GENERATE_CALLS = "sales_reengineering.customer_intelligence.telesales.generate_calls"
MAKE_OPPORTUNITY = "sales_reengineering.customer_intelligence.telesales.make_opportunity"
MAKE_QUOTATION = "sales_reengineering.customer_intelligence.call_conversion.make_quotation"
MAKE_SALES_ORDER = "sales_reengineering.customer_intelligence.call_conversion.make_sales_order"
RUN_REMINDERS = "sales_reengineering.reminders.engine.run_now"
RUN_DOC_METHOD = "run_doc_method"
RUN_REPORT = "frappe.desk.query_report.run"

# -- hostile values ---------------------------------------------------------------------------------------
OMIT = object()  # drop the field from the form
NAN = float("nan")
SQL = "' OR '1'='1' -- "
SQL_DROP = "1; DROP TABLE `tabDeal Registration`; --"
SCRIPT = "<script>alert(document.cookie)</script>"
IMG = '<img src=x onerror="alert(1)">'
SVG = "<svg/onload=alert(1)>"
JS_LINK = '<a href="javascript:alert(1)">click</a>'
LONG = "长" * 10_000
IN_A_MONTH = str(datetime.date.today() + datetime.timedelta(days=30))
LAST_MONTH = str((datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1))
DEAL_ROW = {"item_code": ITEM, "qty": 1, "rate": 100}
SELL_ROW = {"item_code": ITEM, "qty": 2, "amount": 200, "city": "北京", "stock_on_hand": 1}


def changed(base: dict, changes: dict) -> dict:
	form = {**base, **changes}
	return {key: value for key, value in form.items() if value is not OMIT}


def deal(**changes) -> dict:
	"""A well-formed deal registration form with `changes` applied (OMIT drops a field)."""
	base = {
		"company_name": "北京恶意输入测试科技有限公司",
		"city": "北京",
		"expected_close_date": IN_A_MONTH,
		"items": json.dumps([DEAL_ROW]),
	}
	return changed(base, changes)


def deal_rows(*rows) -> dict:
	"""A well-formed deal form whose rows are `rows` (dicts are merged into a good row, anything else
	is sent as it is)."""
	return deal(items=json.dumps([{**DEAL_ROW, **row} if isinstance(row, dict) else row for row in rows]))


def sell_through(**changes) -> dict:
	"""A well-formed sell-through form (last month, one row) with `changes` applied."""
	return changed({"period": LAST_MONTH, "items": json.dumps([SELL_ROW])}, changes)


def support(**changes) -> dict:
	"""A well-formed dealer support request form with `changes` applied."""
	return changed({"request_type": "Technical Support", "subject": "服务器无法开机"}, changes)


def sell_rows(*rows) -> dict:
	return sell_through(
		items=json.dumps([{**SELL_ROW, **row} if isinstance(row, dict) else row for row in rows])
	)


def ranking(**changes) -> dict:
	return changed({"period_type": "Month", "year": 2025, "period": 1, "level": "Individuals"}, changes)


def team_tasks(**changes) -> dict:
	return changed({"team": "x", "template": "x", "period_type": "Month", "year": 2025, "period": 1}, changes)


def quotas(**changes) -> dict:
	"""The quota suggestions' form: asking (year, quarter, team) or accepting (template, amounts too)."""
	return changed({"template": "x", "year": 2025, "quarter": 1, "team": "x", "amounts": "{}"}, changes)


def activity(**changes) -> dict:
	base = {"reference_doctype": "Customer", "reference_name": "x", "activity_type": "Visit", "subject": "x"}
	return changed(base, changes)


def report(name: str, **filters) -> dict:
	return {"report_name": name, "filters": json.dumps(filters)}


Q1 = {"from_date": "2025-01-01", "to_date": "2025-03-31"}  # a well-formed period for the reports
TIER_REVIEW = json.dumps({"doctype": "Dealer Tier Review", **Q1})


P, N = "PermissionError", "DoesNotExistError"
ARG = "InvalidArgumentError"

# who, method, form, expected error (exc_type), what is hostile about it
# fmt: off
HOSTILE_CASES = [
	# -- dealer portal: register a deal --------------------------------------------------------------
	(DEALER, REGISTER, deal(items="not json ["), ARG, "rows are not JSON"),
	(DEALER, REGISTER, deal(items='{"item_code": "x"}'), ARG, "rows are an object, not a list"),
	(DEALER, REGISTER, deal(items='"just text"'), ARG, "rows are a JSON string"),
	(DEALER, REGISTER, deal(items='["x", 1]'), ARG, "rows are not objects"),
	(DEALER, REGISTER, deal(items="[[1, 2]]"), ARG, "a row is a list"),
	(DEALER, REGISTER, deal(items=json.dumps([DEAL_ROW] * 201)), ARG, "201 rows"),
	(DEALER, REGISTER, deal(items="[]"), "DealRegistrationError", "no rows"),
	(DEALER, REGISTER, deal(items={"item_code": ITEM}), ARG, "rows as a JSON object in the body"),
	(DEALER, REGISTER, deal_rows({"docstatus": 1}), ARG, "extra field in a row"),
	(DEALER, REGISTER, deal_rows({"amount": 1e12}), ARG, "a row sets its own amount"),
	(DEALER, REGISTER, deal_rows({"qty": "NaN"}), ARG, "quantity NaN as text"),
	(DEALER, REGISTER, deal_rows({"qty": NAN}), ARG, "quantity NaN as a JSON number"),
	(DEALER, REGISTER, deal_rows({"rate": "Infinity"}), ARG, "rate infinity"),
	(DEALER, REGISTER, deal_rows({"rate": 1e400}), ARG, "rate overflows to infinity"),
	(DEALER, REGISTER, deal_rows({"qty": "ten"}), ARG, "quantity is a word"),
	(DEALER, REGISTER, deal_rows({"qty": [1]}), ARG, "quantity is a list"),
	(DEALER, REGISTER, deal_rows({"qty": True}), ARG, "quantity is a boolean"),
	(DEALER, REGISTER, deal_rows({"qty": -5}), "DealRegistrationError", "negative quantity"),
	(DEALER, REGISTER, deal_rows({"rate": -1}), "DealRegistrationError", "negative rate"),
	(DEALER, REGISTER, deal_rows({"item_code": SCRIPT}), ARG, "script tag as item"),
	(DEALER, REGISTER, deal_rows({"item_code": SQL}), "DealRegistrationError", "SQL as item"),
	(DEALER, REGISTER, deal_rows({"item_code": {"$ne": ""}}), ARG, "object as item"),
	(DEALER, REGISTER, deal(company_name=LONG), ARG, "10,000-character company name"),
	(DEALER, REGISTER, deal(company_name=SCRIPT), ARG, "script tag as company name"),
	(DEALER, REGISTER, deal(company_name=IMG), ARG, "img onerror as company name"),
	(DEALER, REGISTER, deal(city=SVG), ARG, "svg onload as city"),
	(DEALER, REGISTER, deal(description=JS_LINK), ARG, "javascript: link in the description"),
	(DEALER, REGISTER, deal(description=LONG), ARG, "10,000-character description"),
	(DEALER, REGISTER, deal(company_name=["A", "B"]), ARG, "company name is a list"),
	(DEALER, REGISTER, deal(company_name={"a": 1}), ARG, "company name is an object"),
	(DEALER, REGISTER, deal(company_name=12345), ARG, "company name is a number"),
	(DEALER, REGISTER, deal(city=None), ARG, "city is null"),
	(DEALER, REGISTER, deal(company_name=""), "DealRegistrationError", "company name is empty"),
	(DEALER, REGISTER, deal(credit_code=SQL), "DealRegistrationError", "SQL as credit code"),
	(DEALER, REGISTER, deal(credit_code="9" * 40), ARG, "40-character credit code"),
	(DEALER, REGISTER, deal(expected_close_date="2026-02-30"), ARG, "30 February"),
	(DEALER, REGISTER, deal(expected_close_date="31/12/2030"), ARG, "date in another format"),
	(DEALER, REGISTER, deal(expected_close_date="0000-00-00"), ARG, "zero date"),
	(DEALER, REGISTER, deal(expected_close_date=""), ARG, "empty date"),
	(DEALER, REGISTER, deal(expected_close_date=20301231), ARG, "date as a number"),
	(DEALER, REGISTER, deal(expected_close_date=f"2030-01-01{SQL}"), ARG, "SQL after a date"),
	(DEALER, REGISTER, deal(expected_close_date="2000-01-01"), "DealRegistrationError", "closes in the past"),
	(DEALER, REGISTER, deal(company_name=OMIT), ARG, "company name missing"),
	(DEALER, REGISTER, deal(items=OMIT), ARG, "rows missing"),
	(DEALER, REGISTER, {}, ARG, "empty form"),
	(DEALER, REGISTER, deal(status="Approved"), ARG, "extra field: status"),
	(DEALER, REGISTER, deal(protected_until="2099-12-31"), ARG, "extra field: protection"),
	(DEALER, REGISTER, deal(docstatus=1, owner="Administrator"), ARG, "extra fields: docstatus, owner"),
	(DEALER, REGISTER, deal(dealer=OUTSIDER), P, "registers for another branch's dealer"),
	(DEALER, REGISTER, deal(dealer=SQL), P, "SQL as dealer"),
	(DEALER, REGISTER, deal(dealer=["x"]), ARG, "dealer is a list"),
	(GUEST, REGISTER, deal(), P, "not logged in"),
	(SALES_USER, REGISTER, deal(), P, "a desk user is not a portal dealer"),
	# -- dealer portal: sell-through report ----------------------------------------------------------
	(DEALER, SELL_THROUGH, sell_through(items="{{{"), ARG, "rows are not JSON"),
	(DEALER, SELL_THROUGH, sell_through(items='[1, "a"]'), ARG, "rows are not objects"),
	(DEALER, SELL_THROUGH, sell_through(items="null"), ARG, "rows are null"),
	(DEALER, SELL_THROUGH, sell_through(items="[]"), "SellThroughError", "no rows"),
	(DEALER, SELL_THROUGH, sell_rows({"qty": "NaN"}), ARG, "quantity NaN"),
	(DEALER, SELL_THROUGH, sell_rows({"amount": -100}), ARG, "negative amount"),
	(DEALER, SELL_THROUGH, sell_rows({"stock_on_hand": -1}), ARG, "negative stock"),
	(DEALER, SELL_THROUGH, sell_rows({"amount": "1e400"}), ARG, "amount overflows to infinity"),
	(DEALER, SELL_THROUGH, sell_rows({"qty": 0}), "SellThroughError", "zero quantity"),
	(DEALER, SELL_THROUGH, sell_rows({"city": "", "end_customer": ""}), "SellThroughError", "no customer or city"),
	(DEALER, SELL_THROUGH, sell_rows({"end_customer": IMG}), ARG, "img onerror as end customer"),
	(DEALER, SELL_THROUGH, sell_rows({"city": LONG}), ARG, "10,000-character city"),
	(DEALER, SELL_THROUGH, sell_rows({"rate": 5}), ARG, "extra field in a row"),
	(DEALER, SELL_THROUGH, sell_rows({"item_code": SQL_DROP}), "SellThroughError", "SQL as item"),
	(DEALER, SELL_THROUGH, sell_through(period="2026-13-01"), ARG, "month 13"),
	(DEALER, SELL_THROUGH, sell_through(period="yesterday"), ARG, "a word as date"),
	(DEALER, SELL_THROUGH, sell_through(period=None), ARG, "period is null"),
	(DEALER, SELL_THROUGH, sell_through(period="2999-01-01"), "SellThroughError", "a future month"),
	(DEALER, SELL_THROUGH, sell_through(period=OMIT), ARG, "period missing"),
	(DEALER, SELL_THROUGH, sell_through(docstatus=2), ARG, "extra field: docstatus"),
	(DEALER, SELL_THROUGH, sell_through(dealer=OUTSIDER), P, "reports for another branch's dealer"),
	(GUEST, SELL_THROUGH, sell_through(), P, "not logged in"),
	# -- dealer portal: raise a support request ------------------------------------------------------
	(DEALER, SUPPORT, support(request_type="Free Lunch"), "DealerRequestError", "unknown request type"),
	(DEALER, SUPPORT, support(request_type=SQL), "DealerRequestError", "SQL as request type"),
	(DEALER, SUPPORT, support(request_type=OMIT), ARG, "request type missing"),
	(DEALER, SUPPORT, support(subject="   "), "DealerRequestError", "blank subject"),
	(DEALER, SUPPORT, support(subject=LONG), ARG, "10,000-character subject"),
	(DEALER, SUPPORT, support(description=SCRIPT), ARG, "script in the description"),
	(DEALER, SUPPORT, support(status="Closed"), ARG, "extra field: status"),
	(DEALER, SUPPORT, support(dealer=OUTSIDER), P, "a request for another branch's dealer"),
	(SALES_USER, SUPPORT, support(), P, "a desk user who is no dealer"),
	(GUEST, SUPPORT, support(), P, "not logged in"),
	# -- rankings and the leaderboard ----------------------------------------------------------------
	(MANAGER, RECOMPUTE_RANKING, ranking(year="abc"), ARG, "year is a word"),
	(MANAGER, RECOMPUTE_RANKING, ranking(year=SQL_DROP), ARG, "SQL as year"),
	(MANAGER, RECOMPUTE_RANKING, ranking(period="NaN"), ARG, "period NaN"),
	(MANAGER, RECOMPUTE_RANKING, ranking(period=1.5), ARG, "period is a fraction"),
	(MANAGER, RECOMPUTE_RANKING, ranking(period=[1]), ARG, "period is a list"),
	(MANAGER, RECOMPUTE_RANKING, ranking(period=-1), "InvalidSalesTaskError", "negative month"),
	(MANAGER, RECOMPUTE_RANKING, ranking(year=99999), "InvalidSalesTaskError", "year 99999"),
	(MANAGER, RECOMPUTE_RANKING, ranking(level="Everyone"), "InvalidRankingError", "unknown level"),
	(MANAGER, RECOMPUTE_RANKING, ranking(period_type="Week"), "InvalidSalesTaskError", "unknown period type"),
	(MANAGER, RECOMPUTE_RANKING, ranking(period_type={"x": 1}), ARG, "period type is an object"),
	(MANAGER, RECOMPUTE_RANKING, ranking(year=OMIT), ARG, "year missing"),
	(SALES_USER, RECOMPUTE_RANKING, ranking(), P, "a salesperson may not rank"),
	(DEALER, RECOMPUTE_RANKING, ranking(), P, "a dealer may not rank"),
	(SALES_USER, LEADERBOARD, {"date_range": "not json"}, ARG, "date range is not JSON"),
	(SALES_USER, LEADERBOARD, {"date_range": '{"from": 1}'}, ARG, "date range is an object"),
	(SALES_USER, LEADERBOARD, {"date_range": '["2025-01-01"]'}, "InvalidRankingError", "one date"),
	(SALES_USER, LEADERBOARD, {"date_range": '["x", "y"]'}, ARG, "words as dates"),
	(SALES_USER, LEADERBOARD, {"date_range": f'["2025-01-01", "{SQL}"]'}, ARG, "SQL as date"),
	(SALES_USER, LEADERBOARD, {"limit": "abc"}, ARG, "limit is a word"),
	(SALES_USER, LEADERBOARD, {"limit": -1}, ARG, "negative limit"),
	(SALES_USER, LEADERBOARD, {"limit": 10**12}, ARG, "huge limit"),
	(SALES_USER, LEADERBOARD, {"limit": "NaN"}, ARG, "limit NaN"),
	(GUEST, LEADERBOARD, {}, P, "not logged in"),
	# -- deal protection -----------------------------------------------------------------------------
	(DEALER, EXTEND_PROTECTION, {"registration": SQL, "until": "2099-01-01"}, P, "a dealer extends"),
	(CHANNEL_MANAGER, EXTEND_PROTECTION, {"registration": SQL, "until": "2099-01-01"}, N, "SQL as name"),
	(CHANNEL_MANAGER, EXTEND_PROTECTION, {"until": "2099-01-01"}, ARG, "registration missing"),
	(CHANNEL_MANAGER, EXTEND_PROTECTION, {"registration": ["a"], "until": "x"}, ARG, "name is a list"),
	# -- tasks, quotas and scorecards ----------------------------------------------------------------
	(MANAGER, TEAM_TASKS, team_tasks(year="abc"), ARG, "year is a word"),
	(MANAGER, TEAM_TASKS, team_tasks(team=SQL, year=OMIT, period=OMIT), ARG, "year and period missing"),
	(MANAGER, TEAM_TASKS, team_tasks(team=SQL), N, "SQL as team"),
	(DEALER, TEAM_TASKS, team_tasks(), P, "a dealer plans"),
	(MANAGER, QUOTA_SUGGESTIONS, quotas(year="abc"), ARG, "year is a word"),
	(MANAGER, QUOTA_SUGGESTIONS, quotas(quarter=7), "InvalidSalesTaskError", "quarter 7"),
	(MANAGER, QUOTA_SUGGESTIONS, quotas(team=OMIT), "InvalidSalesTaskError", "no team or territory"),
	(MANAGER, QUOTA_SUGGESTIONS, quotas(team=SQL), N, "SQL as team"),
	(MANAGER, QUOTA_SUGGESTIONS, quotas(year=OMIT), ARG, "year missing"),
	(SALES_USER, QUOTA_SUGGESTIONS, quotas(), P, "a salesperson asks"),
	(MANAGER, ACCEPT_QUOTAS, quotas(amounts="not json"), ARG, "amounts not JSON"),
	(MANAGER, ACCEPT_QUOTAS, quotas(amounts="[1, 2]"), ARG, "amounts a JSON list"),
	(MANAGER, ACCEPT_QUOTAS, quotas(amounts=json.dumps({SALES_PERSON: "NaN"})), "InvalidSalesTaskError", "NaN"),
	(MANAGER, ACCEPT_QUOTAS, quotas(amounts=json.dumps({SALES_PERSON: -1})), "NegativeTargetError", "negative"),
	(MANAGER, ACCEPT_QUOTAS, quotas(amounts=json.dumps({SQL: 1})), "InvalidSalesTaskError", "SQL as salesperson"),
	(MANAGER, ACCEPT_QUOTAS, quotas(amounts=OMIT), ARG, "amounts missing"),
	(SALES_USER, ACCEPT_QUOTAS, quotas(), P, "a salesperson accepts"),
	(SALES_USER, REFRESH_SCORECARD, {"sales_task": SQL}, N, "SQL as task"),
	(SALES_USER, REFRESH_SCORECARD, {}, ARG, "task missing"),
	(SALES_USER, REFRESH_SCORECARD, {"sales_task": {"name": "x"}}, ARG, "task is an object"),
	(DEALER, REFRESH_ALL_SCORECARDS, {}, P, "a dealer refreshes every scorecard"),
	(SALES_USER, DRILLDOWN, {"scorecard": SQL, "indicator": "x"}, N, "SQL as scorecard"),
	(SALES_USER, DRILLDOWN, {"scorecard": "x"}, ARG, "indicator missing"),
	# -- customer intelligence -----------------------------------------------------------------------
	(SALES_USER, LOG_ACTIVITY, activity(reference_doctype="User"), "InvalidActivityError", "against a User"),
	(SALES_USER, LOG_ACTIVITY, activity(activity_type=SCRIPT), ARG, "script as activity type"),
	(SALES_USER, LOG_ACTIVITY, activity(reference_name=SQL), N, "SQL as customer"),
	(DEALER, LOG_ACTIVITY, activity(reference_doctype="Dealer", reference_name=OUTSIDER), P, "other branch"),
	(SALES_USER, LOG_ACTIVITY, activity(subject="   "), "InvalidActivityError", "blank subject"),
	(SALES_USER, LOG_ACTIVITY, activity(reference_name=OMIT), ARG, "reference name missing"),
	(SALES_USER, LOG_ACTIVITY, activity(reference_doctype=["Customer"]), ARG, "doctype is a list"),
	(SALES_USER, LOG_ACTIVITY, activity(notes=LONG * 2), ARG, "20,000-character notes"),
	(MANAGER, RECOMPUTE_SNAPSHOTS, {"week_start": "not a date"}, "InvalidWeekError", "a word as week"),
	(MANAGER, RECOMPUTE_SNAPSHOTS, {"week_start": "2025-02-30"}, "InvalidWeekError", "30 February"),
	(MANAGER, RECOMPUTE_SNAPSHOTS, {}, ARG, "week missing"),
	(SALES_USER, RECOMPUTE_SNAPSHOTS, {"week_start": "2025-01-06"}, P, "a salesperson recomputes"),
	(DEALER, RECOMPUTE_COMPLETENESS, {}, P, "a dealer recomputes"),
	(MANAGER, GENERATE_CALLS, {"method": SCRIPT}, ARG, "script as method"),
	(MANAGER, GENERATE_CALLS, {"method": "everyone"}, "NoTelesalesAgentError", "unknown method"),
	(DEALER, GENERATE_CALLS, {}, P, "a dealer generates calls"),
	(SALES_USER, MAKE_OPPORTUNITY, {"call": SQL}, P, "SQL as call, without access to calls"),
	(SALES_USER, MAKE_OPPORTUNITY, {}, ARG, "call missing"),
	(SALES_USER, MAKE_QUOTATION, {"call": SQL, "items": "[]"}, P, "SQL as call, without access to calls"),
	(MANAGER, MAKE_QUOTATION, {"items": "[]"}, ARG, "call missing"),
	(MANAGER, MAKE_QUOTATION, {"call": "TSC-1", "items": "not json ["}, ARG, "items are not JSON"),
	(MANAGER, MAKE_QUOTATION, {"call": "TSC-1", "items": json.dumps([{"item_code": ITEM, "docstatus": 1}])}, ARG, "an item field the form does not take"),
	(MANAGER, MAKE_SALES_ORDER, {"call": "TSC-1", "items": "[]", "delivery_date": "tomorrow"}, ARG, "a word as delivery date"),
	(MANAGER, RUN_REMINDERS, {}, P, "only a System Manager runs reminders"),
	# -- a document method ---------------------------------------------------------------------------
	(DEALER, RUN_DOC_METHOD, {"method": "get_proposals", "docs": TIER_REVIEW}, P, "a dealer proposes tiers"),
	# -- reports -------------------------------------------------------------------------------------
	(MANAGER, RUN_REPORT, report("Sell Through Reconciliation", **Q1, territory="Atlantis"), "SalesReengineeringError", "unknown territory"),
	(MANAGER, RUN_REPORT, report("Sell Through Reconciliation", from_date="garbage", to_date="2025-03-31"), ARG, "a word as date"),
	(MANAGER, RUN_REPORT, report("Sell Through Reconciliation", **Q1, territory=["x"]), ARG, "territory is a list"),
	(MANAGER, RUN_REPORT, report("Dealer Performance", from_date="2025-02-30", to_date="2025-03-31"), ARG, "30 February"),
	(MANAGER, RUN_REPORT, report("Deal Registration Conflicts", from_date="garbage"), ARG, "a word as date"),
	(MANAGER, RUN_REPORT, report("Price Exceptions", to_date="garbage"), ARG, "a word as date"),
	(MANAGER, RUN_REPORT, report("Contract Renewals", days_ahead="NaN"), "CustomerIntelligenceError", "days ahead NaN"),
	(MANAGER, RUN_REPORT, report("Contract Renewals", days_ahead=30, sales_person={"a": 1}), ARG, "salesperson is an object"),
	(MANAGER, RUN_REPORT, report("Info Feedback Summary", **Q1, group_by=SCRIPT), ARG, "script as grouping"),
	(MANAGER, RUN_REPORT, report("Info Feedback Summary", **Q1, group_by="Planet"), "CustomerIntelligenceError", "unknown grouping"),
	(MANAGER, RUN_REPORT, report("Deal Registration Conflicts", dealer=SCRIPT), ARG, "script as dealer"),
	(MANAGER, RUN_REPORT, report("Stuck Opportunities", stuck_days="-5"), "CustomerIntelligenceError", "negative days"),
	(MANAGER, RUN_REPORT, report("Stuck Opportunities", territory=[SQL]), ARG, "territory is a list"),
	(MANAGER, RUN_REPORT, report("Telesales Conversion", from_date="2025-01-01", to_date="yesterday"), ARG, "a word as date"),
	(MANAGER, RUN_REPORT, report("Weekly Sales Report", week="2025-02-30"), "CustomerIntelligenceError", "30 February"),
	(MANAGER, RUN_REPORT, report("KPI Ranking", year="abc", period=1), ARG, "year is a word"),
	(MANAGER, RUN_REPORT, report("Scorecard Trend", sales_person="Nobody"), N, "unknown salesperson"),
	(MANAGER, RUN_REPORT, report("Task Attainment", year=2025, period=9, period_type="Quarter"), "InvalidSalesTaskError", "quarter 9"),
	(MANAGER, RUN_REPORT, report("Customer Transaction History", customer=SQL), P, "SQL as customer"),
	(MANAGER, RUN_REPORT, report("Deal Registration Conflicts", status=["Approved"]), ARG, "status is a list"),
	(MANAGER, RUN_REPORT, report("Task Attainment", year=2025, period=1, template={"x": 1}), ARG, "template is an object"),
	(DEALER, RUN_REPORT, report("Sell Through Reconciliation", from_date="2025-01-01", to_date="2025-03-31"), P, "a dealer runs a desk report"),
]
# fmt: on

# reports asked about something that does not exist answer with no rows: a clean answer, not an error
# report, filters, what is hostile about it
# fmt: off
EMPTY_REPORT_CASES = [
	("Sell Through Reconciliation", {**Q1, "dealer": SQL}, "SQL as dealer"),
	("Contract Renewals", {"days_ahead": 30, "sales_person": SQL}, "SQL as salesperson"),
	("Info Feedback Summary", {**Q1, "territory": "Atlantis"}, "unknown territory"),
	("Stuck Opportunities", {"territory": "Atlantis"}, "unknown territory"),
	("Deal Registration Conflicts", {"dealer": SQL}, "SQL as dealer"),
	("Dealer Performance", {**Q1, "dealer": SQL}, "SQL as dealer"),
	("Info Feedback Summary", {**Q1, "sales_person": SQL}, "SQL as salesperson"),
	("Stuck Opportunities", {"sales_person": "Nobody"}, "unknown salesperson"),
	("Weekly Sales Report", {"week": "2025-01-06", "sales_person": SQL}, "SQL as salesperson"),
]
# fmt: on

# reports that add up amounts and so need a company (d1b0a0e)
COMPANY_REQUIRED = {"Sell Through Reconciliation", "Dealer Performance"}

STATUS = {P: 403, N: 404}  # every other expected error is a ValidationError: 417
# Frappe's report runner logs every exception a report raises, a clean refusal too, as a "Report Error"
# (frappe/desk/query_report.py); any other Error Log row is the app's fault
REPORT_ERROR = "Report Error"


def run_in_thread(client: Client, path: str, **kwargs) -> TestResponse:
	"""One request through frappe.app.application, on a thread (and so a database connection) of its own."""
	result = {}

	def send():
		result["response"] = client.open(path, **kwargs)

	thread = Thread(target=send)
	thread.start()
	thread.join()
	return result["response"]


class TestHostileInput(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.remove_records()
		for user, roles in DESK_USERS.items():
			make_user(user, roles)
		make_website_user(DEALER)
		for user in (DEALER, *DESK_USERS):
			frappe.db.set_value("User", user, "language", LANGUAGE)
			update_password(user, PASSWORD)
		make_item(ITEM)
		make_dealer("General Agent", dealer_name=AGENT)
		make_dealer("Provincial Dealer", AGENT, dealer_name=DEALER_A, portal_users=[DEALER])
		make_dealer("General Agent", dealer_name=OUTSIDER)
		if not frappe.db.exists("Sales Person", SALES_PERSON):
			frappe.get_doc(
				{
					"doctype": "Sales Person",
					"sales_person_name": SALES_PERSON,
					"parent_sales_person": "_Test SR North Manager",
					"is_group": 0,
				}
			).insert(ignore_permissions=True)
		from sales_reengineering.tests.factories_customer_intelligence import link_user_to_sales_person

		link_user_to_sales_person(SALES_USER, SALES_PERSON)
		cls.allow_error_traceback = frappe.db.get_single_value("System Settings", "allow_error_traceback")
		frappe.db.set_single_value("System Settings", "allow_error_traceback", 0)
		frappe.db.commit()
		cls.clients = {GUEST: Client(application)}
		for user in (DEALER, *DESK_USERS):
			cls.clients[user] = Client(application)
			response = cls.send(user, "POST", "/api/method/login", json={"usr": user, "pwd": PASSWORD})
			assert response.status_code == 200, response.text

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.db.set_single_value("System Settings", "allow_error_traceback", cls.allow_error_traceback)
		cls.remove_records()
		frappe.db.commit()
		super().tearDownClass()

	@classmethod
	def remove_records(cls):
		"""What setUpClass made (and what a failing case may have left), so the site is as before."""
		dealers = (DEALER_A, AGENT, OUTSIDER)
		for doctype in ("Deal Registration", "Sell Through Report"):
			names = frappe.get_all(doctype, filters={"dealer": ("in", dealers)}, pluck="name")
			frappe.db.delete(f"{doctype} Item", {"parent": ("in", names or [""])})
			frappe.db.delete("Deal Registration Conflict", {"parent": ("in", names or [""])})
			frappe.db.delete(doctype, {"name": ("in", names or [""])})
		for name in frappe.get_all("Issue", filters={"sr_dealer": ("in", dealers)}, pluck="name"):
			frappe.delete_doc("Issue", name, force=True, ignore_permissions=True)
		customers = frappe.get_all("Dealer", filters={"name": ("in", dealers)}, pluck="customer")
		for dealer in dealers:  # children before their parents
			if frappe.db.exists("Dealer", dealer):
				frappe.delete_doc("Dealer", dealer, force=True, ignore_permissions=True)
		for customer in customers:
			frappe.delete_doc_if_exists("Customer", customer, force=True)
		employee = frappe.db.get_value("Employee", {"user_id": SALES_USER}, "name")
		if frappe.db.exists("Sales Person", SALES_PERSON):
			frappe.delete_doc("Sales Person", SALES_PERSON, force=True, ignore_permissions=True)
		if employee:
			frappe.delete_doc("Employee", employee, force=True, ignore_permissions=True)
		for user in (DEALER, *DESK_USERS):
			frappe.delete_doc_if_exists("User", user, force=True)
		frappe.delete_doc_if_exists("Item", ITEM, force=True)

	@classmethod
	def send(cls, user: str, http_method: str, path: str, accept: str = "application/json", **kwargs):
		headers = {"X-Frappe-Site-Name": frappe.local.site, "Accept": accept, "Accept-Language": LANGUAGE}
		return run_in_thread(cls.clients[user], path, method=http_method, headers=headers, **kwargs)

	def call(self, user: str, method: str, form: dict, http_method: str = "POST") -> TestResponse:
		path = f"/api/method/{method}"
		if http_method == "GET":
			return self.send(user, "GET", path, query_string=form)
		return self.send(user, http_method, path, data=json.dumps(form), content_type="application/json")

	def footprint(self) -> dict[str, int]:
		"""Rows of the watched doctypes and Error Logs, written or queued, as the requests' commits left them."""
		frappe.db.rollback()  # a fresh snapshot: see what the requests committed
		counts = {doctype: frappe.db.count(doctype) for doctype in WATCHED_DOCTYPES}
		counts["Error Log"] = frappe.db.count("Error Log", {"method": ("!=", REPORT_ERROR)})
		counts[REPORT_ERROR] = frappe.db.count("Error Log", {"method": REPORT_ERROR})
		counts["Error Log (queued)"] = frappe.cache.llen(f"{queue_prefix}Error Log")
		return counts

	def assertCleanRefusal(self, response: TestResponse, expected: str):
		body = response.get_data(as_text=True)
		self.assertNotIn("Traceback", body)
		self.assertEqual(response.status_code, STATUS.get(expected, 417), body[:500])
		data = response.json
		self.assertEqual(data.get("exc_type"), expected, body[:500])
		messages = [
			json.loads(message).get("message") for message in json.loads(data.get("_server_messages") or "[]")
		]
		self.assertTrue(messages and all(messages), f"no message: {body[:500]}")
		self.assertRegex(" ".join(map(str, messages)), CJK, "the message is not translated")

	def test_hostile_cases(self):
		print(
			f"\nHostile input cases: {len(HOSTILE_CASES) + len(EMPTY_REPORT_CASES) + 1} "
			f"({len(HOSTILE_CASES)} refused, {len(EMPTY_REPORT_CASES)} empty reports, 1 GET on a POST method)"
		)
		for user, method, form, expected, why in HOSTILE_CASES:
			with self.subTest(user=user, method=method.rsplit(".", 1)[-1], why=why):
				before = self.footprint()
				response = self.call(user, method, form)
				self.assertCleanRefusal(response, expected)
				after = self.footprint()
				if method == RUN_REPORT:
					self.assertLessEqual(after.pop(REPORT_ERROR) - before.pop(REPORT_ERROR), 1)
				self.assertEqual(after, before, "the request left records behind")

	def test_reports_answer_unknown_filters_with_no_rows(self):
		company = frappe.db.get_value("Company", {}, "name", order_by="creation asc")
		for report_name, filters, why in EMPTY_REPORT_CASES:
			if report_name in COMPANY_REQUIRED:
				filters = {**filters, "company": company}  # else the report asks for one (a refusal, not rows)
			with self.subTest(report=report_name, why=why):
				before = self.footprint()
				response = self.call(MANAGER, RUN_REPORT, report(report_name, **filters))
				body = response.get_data(as_text=True)
				self.assertEqual(response.status_code, 200, body[:500])
				self.assertNotIn("Traceback", body)
				self.assertEqual(response.json["message"]["result"], [])
				self.assertEqual(self.footprint(), before)

	def test_well_formed_support_request_passes(self):
		"""The control of the support request cases: the form they spoil is accepted as it is."""
		response = self.call(DEALER, SUPPORT, support(description="型号 X1 & <5 台"))
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:500])
		name = response.json["message"]["name"]
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Issue", name, "sr_dealer"), DEALER_A)
		frappe.delete_doc("Issue", name, force=True, ignore_permissions=True)
		frappe.db.commit()

	def test_get_on_a_post_method_is_refused(self):
		before = self.footprint()
		response = self.call(DEALER, REGISTER, deal(), http_method="GET")
		self.assertCleanRefusal(response, P)
		self.assertEqual(self.footprint(), before)

	def test_well_formed_forms_pass_and_render_escaped(self):
		"""The control: the forms the cases spoil are accepted as they are, and what a dealer may store
		(quotes, ampersands) is escaped on the portal page."""
		name = "Tom & \"Jerry\" 'Ltd' 汤姆"
		response = self.call(DEALER, REGISTER, deal(company_name=name, description="qty > 100 & rate < 5"))
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:500])
		registration = response.json["message"]["name"]
		response = self.call(DEALER, SELL_THROUGH, sell_through())
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:500])

		page = self.send(DEALER, "GET", "/dealer/registrations", accept="text/html")
		html = page.get_data(as_text=True)
		self.assertIn(registration, html)
		self.assertIn("Tom &amp; &#34;Jerry&#34; &#39;Ltd&#39; 汤姆", html)
		self.assertNotIn(name, html)
