"""The records and users of the permission matrix (test_permission_matrix.py), COMMITTED so that requests
on their own database connection see them, and removed again afterwards.

Two sides, A and B, of everything a user can be scoped to:

- Sales Person tree: Team A (group) > Rep A, Rep A2; Team B (group) > Rep B, Rep B2. Users are tied to
  Sales Persons through ERPNext's own link, Sales Person.employee -> Employee.user_id: sales_a -> Rep A,
  sales_b -> Rep B, manager_a -> Team A (the manager of side A only, not of B).
- Dealer tree: General Agent A > Provincial Dealer A > Sub-Dealer A, and General Agent B > Provincial
  Dealer B. Dealer users are website users in a Dealer's Portal Users table: agent_a (GA A), dealer_a
  (PD A), sub_a (SD A), dealer_b (PD B).
- Every transaction of a side belongs to that side's customer, salesperson or dealer.

Every name carries the prefix "_SRM" and a random tag, so nothing collides with other tests' records or
with a run that was interrupted; `World.purge` deletes what was made (tracked as it is made) plus what the
application made on the side (ledger rows, stage logs, versions, notifications, sessions).
"""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, add_months, get_first_day, getdate, now_datetime, random_string, today
from frappe.utils.nestedset import rebuild_tree
from frappe.utils.password import update_password

from sales_reengineering.tests.setup import TEST_COMPANY, TEST_SALES_STAGES

PREFIX = "_SRM"
PASSWORD = "Srm-Matrix-2026!pw"
TERRITORY = "_Test SR Beijing"

# user key -> desk roles ("website" users get theirs from the dealer they belong to)
DESK_USERS = {
	"sales_a": ["Sales User"],
	"sales_b": ["Sales User"],
	"manager_a": ["Sales User"],
	"sales_manager": ["Sales User", "Sales Manager"],
	"assistant": ["Sales Assistant"],
	"telesales": ["Telesales Agent"],
	"other_agent": ["Telesales Agent"],  # owns a call; never logs in
	"channel_manager": ["Channel Manager"],
	"system_manager": ["System Manager"],
	# order desk staff: a Sales User with the Order Desk role and no salesperson of their own
	"order_desk": ["Sales User", "Order Desk"],
}
DEALER_USERS = ("agent_a", "dealer_a", "sub_a", "dealer_b")

# documents whose ledger rows are removed with them
LEDGER_DOCTYPES = ("Sales Invoice",)
# tables whose rows point at a document by (doctype field, name field)
REFERENCE_TABLES = (
	("Version", "ref_doctype", "docname"),
	("Comment", "reference_doctype", "reference_name"),
	("Communication", "reference_doctype", "reference_name"),
	("Notification Log", "document_type", "document_name"),
	("ToDo", "reference_type", "reference_name"),
	("Sales Reminder Log", "reference_doctype", "reference_name"),
	("Deleted Document", "deleted_doctype", "deleted_name"),
)


class World:
	"""Builds the fixtures (as Administrator) and remembers every record it made."""

	def __init__(self):
		self.tag = random_string(4).lower()
		self.made: list[tuple[str, str]] = []  # (doctype, name) in the order made
		self.users: dict[str, str] = {}  # key -> user id
		self.names: dict[str, str] = {}  # record key -> document name
		self.doctype_of: dict[str, str] = {}  # record key -> doctype
		self.started = now_datetime()
		self.serial = 0  # makes the copies' names unique
		self.quarters = -1  # and their periods
		self.months = 0

	# -- bookkeeping -----------------------------------------------------------------------------------

	def label(self, text: str) -> str:
		return f"{PREFIX} {text} {self.tag}"

	def keep(self, doctype: str, name: str, key: str | None = None) -> str:
		self.made.append((doctype, name))
		if key:
			self.names[key] = name
			self.doctype_of[key] = doctype
		return name

	def insert(self, values: dict, key: str | None = None, submit: bool = False) -> str:
		doc = frappe.get_doc(values)
		doc.flags.ignore_permissions = True
		doc.insert()
		self.keep(doc.doctype, doc.name, key)
		if submit:
			doc.submit()
		return doc.name

	def __getitem__(self, key: str) -> str:
		return self.names[key]

	def next(self) -> int:
		self.serial += 1
		return self.serial

	def next_quarter(self) -> tuple[int, int]:
		"""(year, quarter) used by no other task of the run: 2032-Q1 on (the fixtures use 2031)."""
		self.quarters += 1
		return 2032 + self.quarters // 4, self.quarters % 4 + 1

	def next_period(self, year_field: str = "year", period_field: str = "quarter") -> dict:
		"""`next_quarter` as arguments: {"year": ..., "quarter": ...}."""
		year, quarter = self.next_quarter()
		return {year_field: year, period_field: quarter}

	def next_month(self) -> str:
		"""A past month used by no other sell-through report of the run."""
		self.months += 1
		return str(add_months("1900-01-01", self.months))

	# -- users and people ----------------------------------------------------------------------------

	def make_users(self) -> None:
		from sales_reengineering.tests.utils import make_user

		for key, roles in DESK_USERS.items():
			self.users[key] = make_user(f"srm-{key}-{self.tag}@sr-test.invalid", roles)
		for key in DEALER_USERS:
			email = f"srm-{key}-{self.tag}@sr-test.invalid"
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": key,
					"user_type": "Website User",
					"send_welcome_email": 0,
				}
			)
			user.flags.no_welcome_mail = True
			user.insert(ignore_permissions=True)
			self.users[key] = email
		for user in self.users.values():
			self.made.append(("User", user))
			update_password(user, PASSWORD)

	def make_sales_people(self) -> None:
		from sales_reengineering.tests.factories_customer_intelligence import link_user_to_sales_person

		for side in ("A", "B"):
			team = self.insert(
				{
					"doctype": "Sales Person",
					"sales_person_name": self.label(f"Team {side}"),
					"parent_sales_person": "Sales Team",
					"is_group": 1,
				},
				key=f"team_{side.lower()}",
			)
			for rep in (f"Rep {side}", f"Rep {side}2"):
				self.insert(
					{
						"doctype": "Sales Person",
						"sales_person_name": self.label(rep),
						"parent_sales_person": team,
						"is_group": 0,
					},
					key=rep.lower().replace(" ", "_"),
				)
		for user_key, person in (("sales_a", "rep_a"), ("sales_b", "rep_b"), ("manager_a", "team_a")):
			employee = link_user_to_sales_person(self.users[user_key], self[person])
			self.made.append(("Employee", employee))

	# -- masters ---------------------------------------------------------------------------------------

	def make_item(self) -> str:
		return self.insert(
			{
				"doctype": "Item",
				"item_code": self.label("Item"),
				"item_name": self.label("Item"),
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
				"stock_uom": "Nos",
				"is_stock_item": 0,
			},
			key="item",
		)

	def make_customer(self, key: str | None, title: str, sales_person: str | None = None, **values) -> str:
		return self.insert(
			{
				"doctype": "Customer",
				"customer_name": self.label(title),
				"customer_type": "Company",
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
				"territory": TERRITORY,
				"sr_sales_person": sales_person,
				**values,
			},
			key=key,
		)

	def make_dealer(self, key: str, title: str, level: str, parent: str | None, user_key: str | None):
		self.make_customer(f"cust_{key}", f"Dealer Customer {title}")
		name = self.insert(
			{
				"doctype": "Dealer",
				"dealer_name": self.label(title),
				"dealer_level": level,
				"parent_dealer": parent,
				"territory": TERRITORY,
				"customer": self[f"cust_{key}"],
				"dealer_tier": self["tier"],
				"account_manager": self["rep_a"] if key.endswith("_a") else self["rep_b"],
				"portal_users": [{"user": self.users[user_key]}] if user_key else [],
			},
			key=key,
		)
		apply_workflow(frappe.get_doc("Dealer", name), "Activate")
		return name

	# -- transactions ----------------------------------------------------------------------------------

	def money(self) -> dict:
		"""Currency fields of a sales document in CNY throughout: ERPNext then asks no exchange rate (which
		it would try to fetch online, and log an error for when it cannot)."""
		if not frappe.db.exists("Price List", self.label("CNY Selling")):
			self.insert(
				{
					"doctype": "Price List",
					"price_list_name": self.label("CNY Selling"),
					"currency": "CNY",
					"selling": 1,
					"enabled": 1,
				},
				key="price_list",
			)
		return {
			"company": TEST_COMPANY,
			"currency": "CNY",
			"conversion_rate": 1,
			"selling_price_list": self["price_list"],
			"price_list_currency": "CNY",
			"plc_conversion_rate": 1,
		}

	def sales_document(self, key: str | None, doctype: str, customer: str, team=(), submit=True) -> str:
		values = {
			"doctype": doctype,
			**self.money(),
			"items": [{"item_code": self["item"], "qty": 1, "rate": 1000}],
		}
		if doctype == "Quotation":
			values.update(quotation_to="Customer", party_name=customer, transaction_date=today())
		else:
			values["customer"] = customer
			values["sales_team"] = [
				{"sales_person": person, "allocated_percentage": share} for person, share in team
			]
		if doctype == "Sales Order":
			values.update(transaction_date=today(), delivery_date=add_days(today(), 10))
		if doctype == "Sales Invoice":
			values.update(posting_date=today(), set_posting_time=1, due_date=add_days(today(), 30))
		if doctype == "Delivery Note":
			values.update(posting_date=today(), set_posting_time=1)
		return self.insert(values, key=key, submit=submit)

	def contract(self, key: str | None, customer: str, submit: bool = True) -> str:
		return self.insert(
			{
				"doctype": "Contract",
				"party_type": "Customer",
				"party_name": customer,
				"start_date": add_days(today(), -30),
				"end_date": add_days(today(), 300),
				"sr_contract_value": 50000,
				"contract_terms": "Support for three years.",
			},
			key=key,
			submit=submit,
		)

	def linked(self, doctype: str, key: str | None, customer: str, side: str) -> str:
		links = [{"link_doctype": "Customer", "link_name": customer}]
		title = self.label(f"{doctype} {side}{'' if key else self.next()}")
		if doctype == "Contact":
			values = {"first_name": title, "links": links}
		else:
			values = {
				"address_title": title,
				"address_type": "Billing",
				"address_line1": "1 Matrix Road",
				"city": "Beijing",
				"country": "China",
				"links": links,
			}
		return self.insert({"doctype": doctype, **values}, key=key)

	def price_exception(self, key: str | None, quotation: str) -> str:
		return self.insert(
			{
				"doctype": "Channel Price Exception",
				"reference_doctype": "Quotation",
				"reference_name": quotation,
				"item_code": self["item"],
				"approved_rate": 900,
				"reason": "Matrix fixture",
			},
			key=key,
		)

	def telesales_call(self, key: str | None, agent_key: str, customer: str, status: str = "Open") -> str:
		return self.insert(
			{
				"doctype": "Telesales Call",
				"customer": customer,
				"agent": self.users[agent_key],
				"status": status,
				"reason": "Manual",
			},
			key=key,
		)

	def registration(self, key: str | None, dealer: str, company_name: str, approve: bool = False) -> str:
		name = self.insert(
			{
				"doctype": "Deal Registration",
				"dealer": dealer,
				"registration_date": today(),
				"expected_close_date": add_days(today(), 30),
				"company_name": company_name,
				"city": "北京",
				"items": [{"item_code": self["item"], "qty": 2, "rate": 500}],
			},
			key=key,
			submit=True,
		)
		if approve:
			apply_workflow(frappe.get_doc("Deal Registration", name), "Approve")
		return name

	def sell_through(self, key: str | None, dealer: str, period: str, submit: bool = True) -> str:
		return self.insert(
			{
				"doctype": "Sell Through Report",
				"dealer": dealer,
				"period": period,
				"items": [
					{"item_code": self["item"], "qty": 1, "amount": 100, "city": "北京", "stock_on_hand": 0}
				],
			},
			key=key,
			submit=submit,
		)

	def fiscal_year(self) -> str:
		from erpnext.accounts.utils import get_fiscal_year

		return get_fiscal_year(today(), company=TEST_COMPANY, as_dict=True).name

	def fund(self, key: str | None, dealer: str) -> str:
		"""A market development fund application, submitted: Pending Approval."""
		return self.insert(
			{
				"doctype": "Market Development Fund",
				"dealer": dealer,
				"company": TEST_COMPANY,
				"fiscal_year": self.fiscal_year(),
				"purpose": self.label("Trade Show"),
				"activities": [{"activity": "Booth", "planned_cost": 1000}],
			},
			key=key,
			submit=True,
		)

	def certification(self, key: str | None, dealer: str) -> str:
		return self.insert(
			{
				"doctype": "Dealer Staff Certification",
				"dealer": dealer,
				"staff_name": self.label(f"Staff {self.next()}"),
				"course": "Server Sales Specialist",
				"certified_on": today(),
			},
			key=key,
		)

	def support_request(self, key: str | None, dealer: str) -> str:
		"""A dealer's support request (an ERPNext Issue): shared with the dealer's account manager."""
		from sales_reengineering.channel.support import REQUEST_TYPES

		return self.insert(
			{
				"doctype": "Issue",
				"subject": self.label(f"Support Request {self.next()}"),
				"sr_dealer": dealer,
				"sr_request_type": REQUEST_TYPES[0],
			},
			key=key,
		)

	def visit_plan(self, key: str | None, person: str, customer: str, monday: str) -> str:
		"""A draft visit plan of `person` for the week of `monday`: one visit to `customer`."""
		return self.insert(
			{
				"doctype": "Visit Plan",
				"sales_person": person,
				"week_start": monday,
				"items": [
					{
						"party_type": "Customer",
						"party": customer,
						"planned_date": add_days(monday, 1),
						"purpose": "Relationship Visit",
					}
				],
			},
			key=key,
		)

	def sales_task(
		self, key: str | None, person: str, quarter: int, approve: bool = False, year: int = 2031, state=None
	) -> str:
		name = self.insert(
			{
				"doctype": "Sales Task",
				"assignee_type": "Sales Person",
				"assignee": person,
				"template": self["template"],
				# the salespeople's company: ERPNext gives an employee's user a User Permission on their
				# Employee's company, so a task of another company (Frappe fills in the creating
				# Administrator's default company when none is given) is refused to its salesperson
				"company": TEST_COMPANY,
				"period_type": "Quarter",
				"year": year,
				"quarter": str(quarter),
			},
			key=key,
		)
		if approve or state:
			doc = apply_workflow(frappe.get_doc("Sales Task", name), "Propose")
			if approve:
				apply_workflow(doc, "Approve")
		return name

	def handover(self, key: str | None, from_person: str, to_person: str, customer: str) -> str:
		return self.insert(
			{
				"doctype": "Account Handover",
				"from_sales_person": from_person,
				"to_sales_person": to_person,
				"scope": "Selected Customers",
				"handover_date": today(),
				"move_todos": 0,
				"customers": [{"customer": customer}],
			},
			key=key,
		)

	# -- everything ------------------------------------------------------------------------------------

	def build(self) -> "World":
		self.make_users()
		self.make_sales_people()
		self.make_item()
		self.insert(
			{
				"doctype": "Dealer Tier",
				"tier_name": self.label("Tier"),
				"tier_rank": 1,
				"discount_min": 5,
				"discount_max": 15,
				"deal_protection_days": 60,
				"min_quarterly_purchase": 100000,
			},
			key="tier",
		)

		# customers: one per salesperson side, the assistant maintains A's
		self.make_customer("cust_a", "Customer A", self["rep_a"], sr_sales_assistant=self.users["assistant"])
		self.make_customer("cust_b", "Customer B", self["rep_b"])
		self.make_customer("cust_a2", "Customer A2", self["rep_a2"])  # for a handover that runs

		# dealers: two branches
		self.make_dealer("ga_a", "GA A", "General Agent", None, "agent_a")
		self.make_dealer("pd_a", "PD A", "Provincial Dealer", self["ga_a"], "dealer_a")
		self.make_dealer("sd_a", "SD A", "Sub-Dealer", self["pd_a"], "sub_a")
		self.make_dealer("ga_b", "GA B", "General Agent", None, None)
		self.make_dealer("pd_b", "PD B", "Provincial Dealer", self["ga_b"], "dealer_b")

		# the documents of each side
		from sales_reengineering.tests.factories_customer_intelligence import make_opportunity

		for side, rep in (("a", "rep_a"), ("b", "rep_b")):
			customer = self[f"cust_{side}"]
			opportunity = make_opportunity(customer, sales_person=self[rep]).name
			self.keep("Opportunity", opportunity, f"opp_{side}")
			self.sales_document(f"qtn_{side}", "Quotation", customer)
			self.sales_document(f"so_{side}", "Sales Order", customer, [(self[rep], 100)])
			self.sales_document(f"sinv_{side}", "Sales Invoice", customer, [(self[rep], 100)])
			self.sales_document(f"dn_{side}", "Delivery Note", customer, [(self[rep], 100)], submit=False)
			self.contract(f"contract_{side}", customer)
			self.linked("Contact", f"contact_{side}", customer, side.upper())
			self.linked("Address", f"address_{side}", customer, side.upper())
			self.price_exception(f"cpe_{side}", self[f"qtn_{side}"])
		# B's customer, but A shares the credit
		self.sales_document(
			"sinv_shared", "Sales Invoice", self["cust_b"], [(self["rep_b"], 50), (self["rep_a"], 50)]
		)
		# what each dealer buys (ERPNext's /orders and /invoices pages)
		for dealer in ("pd_a", "pd_b"):
			self.sales_document(f"so_{dealer}", "Sales Order", self[f"cust_{dealer}"])
			self.sales_document(f"sinv_{dealer}", "Sales Invoice", self[f"cust_{dealer}"])

		# telesales: B's customer is on the agent's list; A's call was cancelled; another agent calls A
		self.telesales_call("call_b", "telesales", self["cust_b"])
		self.telesales_call("call_a_cancelled", "telesales", self["cust_a"], status="Cancelled")
		self.telesales_call("call_other", "other_agent", self["cust_a"])

		# deal registrations: A's is approved for an end customer Rep A also works on directly; B's
		# registers the same end customer and so conflicts with A's protection and Rep A's opportunity
		self.make_customer("cust_end", "End Customer", self["rep_a"])
		self.keep(
			"Opportunity", make_opportunity(self["cust_end"], sales_person=self["rep_a"]).name, "opp_end"
		)
		end_customer = frappe.db.get_value("Customer", self["cust_end"], "customer_name")
		self.registration("dr_a", self["pd_a"], end_customer, approve=True)
		self.registration("dr_sub", self["sd_a"], self.label("Prospect Sub"))
		self.registration("dr_b", self["pd_b"], end_customer)
		month = str(get_first_day(today()))
		self.sell_through("st_a", self["pd_a"], month)
		self.sell_through("st_b", self["pd_b"], month)
		self.fund("mdf_a", self["pd_a"])
		self.fund("mdf_b", self["pd_b"])
		self.certification("cert_a", self["pd_a"])
		self.certification("cert_b", self["pd_b"])
		self.support_request("sreq_a", self["pd_a"])
		self.support_request("sreq_b", self["pd_b"])
		self.insert(
			{"doctype": "Dealer Announcement", "title": self.label("Announcement"), "content": "Hello"},
			key="announcement",
		)
		self.insert(
			{
				"doctype": "Dealer Tier Review",
				"from_date": add_days(today(), -90),
				"to_date": today(),
				"promote_at": 100,
				"demote_below": 50,
				"items": [{"dealer": self["pd_a"], "current_tier": self["tier"], "change": "Keep"}],
			},
			key="tier_review",
		)
		self.insert(
			{
				"doctype": "Channel Price Policy",
				"channel_level": "Direct",
				"policy_type": "Floor Price",
				"item_code": self["item"],
				"floor_price": 1,
			},
			key="price_policy",
		)

		# performance: a manual indicator, a template, draft and approved tasks (approval makes the
		# scorecard), manual entries and a published ranking
		self.insert(
			{
				"doctype": "KPI Indicator",
				"indicator_name": self.label("Indicator"),
				"source": "Manual",
				"party_type": "Sales Person",
				"unit": "Number",
				"rollup_method": "Sum",
				"description": "Matrix fixture",
			},
			key="indicator",
		)
		self.insert(
			{
				"doctype": "KPI Template",
				"template_name": self.label("Template"),
				"applies_to": "Salesperson",
				"scoring_method": "Capped",
				"indicators": [{"indicator": self["indicator"], "weight": 100, "default_target": 10}],
			},
			key="template",
		)
		for side, rep in (("a", "rep_a"), ("b", "rep_b")):
			self.sales_task(f"task_{side}", self[rep], 1)
			task = self.sales_task(f"task_{side}_approved", self[rep], 2, approve=True)
			self.keep(
				"KPI Scorecard", frappe.db.get_value("KPI Scorecard", {"sales_task": task}), f"sc_{side}"
			)
			self.insert(
				{
					"doctype": "KPI Manual Entry",
					"indicator": self["indicator"],
					"party_type": "Sales Person",
					"party": self[rep],
					"entry_date": today(),
					"value": 1,
					"remarks": "Matrix fixture",
				},
				key=f"me_{side}",
			)
		self.insert(
			{
				"doctype": "Sales Ranking",
				"period_type": "Quarter",
				"period_label": self.label("Quarter"),
				"level": "Individuals",
				"entries": [
					{"rank": 1, "sales_person": self["rep_a"], "total_score": 90, "scorecard": self["sc_a"]},
					{"rank": 2, "sales_person": self["rep_b"], "total_score": 80, "scorecard": self["sc_b"]},
				],
			},
			key="ranking",
		)

		# customer intelligence: stage logs, snapshots, feedback, training, career plans, handovers
		first_stage, _second, third, _fourth = (stage for stage, _order, _p in TEST_SALES_STAGES)
		monday = getdate(today())
		monday = add_days(monday, -monday.weekday() - 7)
		for side, rep in (("a", "rep_a"), ("b", "rep_b")):
			self.insert(
				{
					"doctype": "Opportunity Stage Log",
					"opportunity": self[f"opp_{side}"],
					"sales_person": self[rep],
					"from_stage": first_stage,
					"to_stage": third,
					"changed_on": now_datetime(),
				},
				key=f"stage_log_{side}",
			)
			snapshot = frappe.get_doc(
				{
					"doctype": "Sales Progress Snapshot",
					"sales_person": self[rep],
					"week_start": monday,
					"progress_rate": 50,
					"opportunities": [{"opportunity": self[f"opp_{side}"], "result": "Progressed"}],
				}
			)
			snapshot.flags.ignore_mandatory = True
			snapshot.insert(ignore_permissions=True)
			self.keep(snapshot.doctype, snapshot.name, f"snapshot_{side}")
			self.insert(
				{
					"doctype": "Info Feedback Report",
					"title": self.label(f"Feedback {side.upper()}"),
					"report_type": "Customer Demand",
					"report_date": today(),
					"sales_person": self[rep],
					"territory": TERRITORY,
					"content": "Hospitals plan storage upgrades.",
				},
				key=f"feedback_{side}",
			)
			self.insert(
				{
					"doctype": "Sales Training Record",
					"sales_person": self[rep],
					"training_title": self.label(f"Training {side.upper()}"),
					"training_type": "Product Knowledge",
					"start_date": today(),
					"hours": 2,
				},
				key=f"training_{side}",
			)
			self.visit_plan(f"vp_{side}", self[rep], self[f"cust_{side}"], "2031-01-06")
			self.insert(
				{
					"doctype": "Reward Ledger Entry",
					"sales_person": self[rep],
					"posting_date": today(),
					"points": 10,
					"source_type": "Manual Adjustment",
					"reason": "Matrix fixture",
				},
				key=f"rle_{side}",
			)
			self.insert(
				{
					"doctype": "Career Development Plan",
					"sales_person": self[rep],
					"status": "Draft",
					"from_date": today(),
					"to_date": add_days(today(), 180),
					"goals": [{"goal": "Learn the storage line"}],
					"reviews": [{"review_date": today(), "comments": "Matrix fixture"}],
				},
				key=f"career_plan_{side}",
			)
			self.handover(f"handover_{side}", self[rep], self[f"{rep}2"], self[f"cust_{side}"])
			self.insert(
				{
					"doctype": "Sales Reminder Log",
					"rule": "Stuck Opportunity",
					"reference_doctype": "Opportunity",
					"reference_name": self[f"opp_{side}"],
					"recipient": self.users[f"sales_{side}"],
					"message": "Matrix fixture",
				},
				key=f"reminder_log_{side}",
			)
		# the opportunities have not moved for a month: stuck
		month_ago = add_days(now_datetime(), -30)
		for key in ("opp_a", "opp_b"):
			frappe.db.set_value("Opportunity", self[key], "creation", month_ago, update_modified=False)
			frappe.db.set_value(
				"Opportunity Stage Log",
				{"opportunity": self[key]},
				"changed_on",
				month_ago,
				update_modified=False,
			)
		rule = frappe.get_doc(
			{
				"doctype": "Customer Completeness Rule",
				"rule_name": self.label("Rule"),
				"weight": 1,
				"rule_type": "Customer Field",
				"fieldname": "website",
				"enabled": 0,
			}
		)
		rule.flags.skip_rescore = True
		rule.insert(ignore_permissions=True)
		self.keep(rule.doctype, rule.name, "completeness_rule")
		frappe.db.commit()
		return self

	# -- copies: a fresh record like a fixture, for the doors that consume one ------------------------------

	def clone(self, key: str) -> str:
		"""A new record seen by the same people as fixture `key` (for an allowed delete)."""
		n = self.next()
		rep = {"a": self["rep_a"], "b": self["rep_b"]}
		simple = {
			"tier": {"doctype": "Dealer Tier", "tier_name": self.label(f"Tier {n}"), "tier_rank": 5},
			"cert_a": {
				"doctype": "Dealer Staff Certification",
				"dealer": self["pd_a"],
				"staff_name": self.label(f"Staff {n}"),
				"course": "Matrix",
				"certified_on": today(),
			},
			"announcement": {
				"doctype": "Dealer Announcement",
				"title": self.label(f"News {n}"),
				"content": "x",
			},
			"tier_review": {
				"doctype": "Dealer Tier Review",
				"from_date": add_days(today(), -90),
				"to_date": today(),
				"promote_at": 100,
				"demote_below": 50,
			},
			"price_policy": {
				"doctype": "Channel Price Policy",
				"channel_level": "Direct",
				"policy_type": "Floor Price",
				"item_code": self["item"],
				"floor_price": 1,
				"enabled": 0,
			},
			"me_a": {
				"doctype": "KPI Manual Entry",
				"indicator": self["indicator"],
				"party_type": "Sales Person",
				"party": rep["a"],
				"entry_date": today(),
				"value": 1,
				"remarks": "copy",
			},
			"indicator": {
				"doctype": "KPI Indicator",
				"indicator_name": self.label(f"Indicator {n}"),
				"source": "Manual",
				"party_type": "Sales Person",
				"unit": "Number",
				"rollup_method": "Sum",
				"description": "copy",
			},
			"template": {
				"doctype": "KPI Template",
				"template_name": self.label(f"Template {n}"),
				"applies_to": "Salesperson",
				"scoring_method": "Capped",
				"indicators": [{"indicator": self["indicator"], "weight": 100, "default_target": 1}],
			},
			"ranking": {
				"doctype": "Sales Ranking",
				"period_type": "Quarter",
				"period_label": self.label(f"Quarter {n}"),
				"level": "Individuals",
			},
			"stage_log_a": {
				"doctype": "Opportunity Stage Log",
				"opportunity": self["opp_a"],
				"sales_person": rep["a"],
				"changed_on": now_datetime(),
			},
			"feedback_a": {
				"doctype": "Info Feedback Report",
				"title": self.label(f"Feedback {n}"),
				"report_type": "Customer Demand",
				"report_date": today(),
				"sales_person": rep["a"],
				"territory": TERRITORY,
				"content": "copy",
			},
			"training_a": {
				"doctype": "Sales Training Record",
				"sales_person": rep["a"],
				"training_title": self.label(f"Training {n}"),
				"training_type": "Product Knowledge",
				"start_date": today(),
				"hours": 1,
			},
			"career_plan_a": {
				"doctype": "Career Development Plan",
				"sales_person": rep["a"],
				"status": "Completed",
				"from_date": today(),
				"to_date": add_days(today(), 30),
			},
			"reminder_log_a": {
				"doctype": "Sales Reminder Log",
				"rule": "Stuck Opportunity",
				"reference_doctype": "Opportunity",
				"reference_name": self["opp_a"],
				"recipient": self.users["sales_a"],
				"message": "copy",
			},
			"sd_a": {
				"doctype": "Dealer",
				"dealer_name": self.label(f"SD {n}"),
				"dealer_level": "Sub-Dealer",
				"parent_dealer": self["pd_a"],
				"status": "Prospect",
			},
		}
		if key in simple:
			return self.insert(simple[key])
		if key == "vp_a":  # a week of its own: one plan per salesperson and week
			return self.visit_plan(None, rep["a"], self["cust_a"], str(add_days("2031-01-06", 7 * n)))
		if key == "completeness_rule":
			rule = frappe.get_doc(
				{
					"doctype": "Customer Completeness Rule",
					"rule_name": self.label(f"Rule {n}"),
					"weight": 1,
					"rule_type": "Customer Field",
					"fieldname": "website",
					"enabled": 0,
				}
			)
			rule.flags.skip_rescore = True
			rule.insert(ignore_permissions=True)
			return self.keep(rule.doctype, rule.name)
		if key == "snapshot_a":
			snapshot = frappe.get_doc(
				{
					"doctype": "Sales Progress Snapshot",
					"sales_person": rep["a"],
					"week_start": add_days(monday_of(today()), -7 * (10 + n)),
				}
			)
			snapshot.flags.ignore_mandatory = True
			snapshot.insert(ignore_permissions=True)
			return self.keep(snapshot.doctype, snapshot.name)
		if key == "opp_a":
			from sales_reengineering.tests.factories_customer_intelligence import make_opportunity

			return self.keep("Opportunity", make_opportunity(self["cust_a"], sales_person=rep["a"]).name)
		if key == "dn_a":
			return self.sales_document(None, "Delivery Note", self["cust_a"], [(rep["a"], 100)], submit=False)
		if key in ("contact_a", "address_a"):
			doctype = "Contact" if key == "contact_a" else "Address"
			return self.linked(doctype, None, self["cust_a"], "A")
		if key == "cpe_a":
			return self.price_exception(None, self["qtn_a"])
		if key == "call_b":
			return self.telesales_call(None, "telesales", self["cust_b"])
		if key == "task_a":
			year, quarter = self.next_quarter()
			return self.sales_task(None, rep["a"], quarter, year=year)
		if key == "handover_a":
			return self.handover(None, rep["a"], self["rep_a2"], self["cust_a"])
		raise KeyError(f"no copy for {key}")

	def draft(self, doctype: str, side: str, dealer: str | None = None, submitted: bool = False) -> str:
		"""A record of `doctype` of `side` ready to be submitted (`submitted`: ready to be cancelled), in
		the workflow state that the submit (cancel) action starts from."""
		n = self.next()
		customer, rep = self[f"cust_{side}"], self[f"rep_{side}"]
		if doctype in ("Quotation", "Sales Order", "Delivery Note", "Sales Invoice"):
			team = [] if doctype == "Quotation" else [(rep, 100)]
			return self.sales_document(None, doctype, customer, team, submit=submitted)
		if doctype == "Contract":
			return self.contract(None, customer, submit=submitted)
		if doctype == "Dealer Tier Review":
			return self.insert(
				{
					"doctype": "Dealer Tier Review",
					"from_date": add_days(today(), -90),
					"to_date": today(),
					"promote_at": 100,
					"demote_below": 50,
				},
				submit=submitted,
			)
		if doctype == "Sell Through Report":
			return self.sell_through(None, dealer or self[f"pd_{side}"], self.next_month(), submit=submitted)
		if doctype == "Account Handover":
			# a customer of its own, so that running the handover moves nothing the matrix reads
			self.make_customer(None, f"Handover Customer {n}", self[f"{rep_key(side)}2"])
			customer = self.made[-1][1]
			return self.insert(
				{
					"doctype": "Account Handover",
					"from_sales_person": self[f"{rep_key(side)}2"],
					"to_sales_person": self["rep_b2" if side == "a" else "rep_a2"],
					"scope": "Selected Customers",
					"handover_date": today(),
					"move_todos": 0,
					"customers": [{"customer": customer}],
				},
				submit=submitted,
			)
		if doctype == "Channel Price Exception":
			name = self.price_exception(None, self[f"qtn_{side}"])
			doc = apply_workflow(frappe.get_doc(doctype, name), "Submit")
			if submitted:
				apply_workflow(doc, "Approve")
			return name
		if doctype == "Deal Registration":
			name = self.insert(
				{
					"doctype": "Deal Registration",
					"dealer": dealer or self[f"pd_{side}"],
					"registration_date": today(),
					"expected_close_date": add_days(today(), 30),
					"company_name": self.label(f"Prospect {n}"),
					"city": "北京",
					"items": [{"item_code": self["item"], "qty": 1, "rate": 10}],
				},
				submit=submitted,
			)
			return name
		if doctype == "Sales Task":
			year, quarter = self.next_quarter()
			return self.sales_task(None, rep, quarter, year=year, state="Pending Approval", approve=submitted)
		raise KeyError(doctype)

	# -- cleanup ---------------------------------------------------------------------------------------

	def purge(self, extra: list[tuple[str, str]] = ()) -> None:
		"""Delete everything made, newest first, with what the application made along (ledger rows,
		stage logs, scorecards, versions, notifications, portal users, sessions, activity logs)."""
		frappe.db.rollback()
		frappe.set_user("Administrator")
		made = [*self.made, *extra]
		by_doctype: dict[str, list[str]] = {}
		for doctype, name in made:
			if name:
				by_doctype.setdefault(doctype, []).append(name)
		users = by_doctype.pop("User", [])
		for doctype, names in by_doctype.items():
			purge_rows(doctype, names)
		customers = by_doctype.get("Customer", [])
		if customers:
			frappe.db.delete("Portal User", {"parenttype": "Customer", "parent": ("in", customers)})
		if users:
			contacts = frappe.get_all(
				"Contact", or_filters={"user": ("in", users), "email_id": ("in", users)}, pluck="name"
			)
			purge_rows("Contact", contacts)
			for table, field in (
				("Portal User", "user"),
				("Dealer Portal User", "user"),
				("Has Role", "parent"),
				("Activity Log", "user"),
				("Sessions", "user"),
				("ToDo", "allocated_to"),
				("Notification Log", "for_user"),
				("Sales Reminder Log", "recipient"),
				("Telesales Call", "agent"),
				("User Permission", "user"),
				("Employee", "user_id"),
				("DocShare", "user"),
				("Comment", "comment_email"),
			):
				frappe.db.delete(table, {field: ("in", users)})
			frappe.db.delete("Comment", {"reference_doctype": "User", "reference_name": ("in", users)})
			for user in users:
				frappe.db.delete("__Auth", {"doctype": "User", "name": user})
				frappe.db.delete("User Email", {"parent": user})
				frappe.db.delete("User Social Login", {"parent": user})
				frappe.db.delete("User", {"name": user})
				frappe.cache.hdel("roles", user)
		for doctype in ("Dealer", "Sales Person"):
			if by_doctype.get(doctype):
				rebuild_tree(doctype)
		# what the requests logged: an offline exchange-rate lookup, a reminder mail with no mail account
		frappe.db.delete("Error Log", {"creation": (">=", self.started)})
		frappe.db.commit()
		frappe.clear_cache()


def rep_key(side: str) -> str:
	return f"rep_{side}"


def monday_of(day):
	day = getdate(day)
	return add_days(day, -day.weekday())


# records that the application makes for a document and that link to it: (doctype, link field)
DEPENDENTS = {
	"Opportunity": (("Opportunity Stage Log", "opportunity"),),
	"Sales Task": (("KPI Scorecard", "sales_task"),),
}


def purge_rows(doctype: str, names: list[str]) -> None:
	"""Delete `names` of `doctype` with their child rows and the rows that point at them."""
	if not names or not frappe.db.exists("DocType", doctype):
		return
	for dependent, field in DEPENDENTS.get(doctype, ()):
		purge_rows(dependent, frappe.get_all(dependent, filters={field: ("in", names)}, pluck="name"))
	meta = frappe.get_meta(doctype)
	for df in meta.get_table_fields():
		frappe.db.delete(df.options, {"parenttype": doctype, "parent": ("in", names)})
	if doctype in LEDGER_DOCTYPES:
		frappe.db.delete("GL Entry", {"voucher_type": doctype, "voucher_no": ("in", names)})
		frappe.db.delete("Payment Ledger Entry", {"voucher_type": doctype, "voucher_no": ("in", names)})
	for table, doctype_field, name_field in REFERENCE_TABLES:
		if table != doctype:
			frappe.db.delete(table, {doctype_field: doctype, name_field: ("in", names)})
	frappe.db.delete(doctype, {"name": ("in", names)})
	for name in names:
		frappe.clear_document_cache(doctype, name)
