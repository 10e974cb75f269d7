"""Deterministic bulk data for the benchmark: a sales force, dealers, customers, invoices with Sales Team
splits, returns and cancellations, opportunities with stage logs, Sales Tasks and ERPNext targets.

Rows are written with multi-row INSERTs (`insert_rows`: the driver's `executemany`, which packs the rows
into statements of about 1 MB), never document by document; only the few masters that need ERPNext's
own validation (the company, items, users, the KPI template) are documents. Everything is named with a
`tag` (``BM`` by default), so a second call with another tag adds a second, disjoint population next to
the first (the CI guard measures at N and at 2N that way), and the same seed gives the same rows.

The rows are what ERPNext and the app read: submitted (docstatus 1) and cancelled (docstatus 2)
invoices, credit notes (is_return, return_against, negative amounts), company-currency (base_) and
transaction-currency amounts with their conversion rate, the customer's territory and group, Sales Team
rows whose allocated percentages add up to 100, nested-set trees (lft/rgt) for Sales Person, Territory,
Item Group and Dealer. No GL Entries: nothing measured reads them.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import frappe
from frappe.utils import add_days, getdate, today

from sales_reengineering.performance.doctype.sales_task.sales_task import period_bounds


@dataclass(frozen=True)
class Size:
	people: int  # Sales Person nodes: one top group, regions, teams and the salespeople below them
	dealers: int  # general agents (a tenth) and the provincial dealers under them
	customers: int  # end customers (each dealer has its own customer on top)
	invoice_items: int  # Sales Invoice Item rows, returns included
	opportunities: int
	quarters: int = 8


SIZES = {
	"small": Size(people=30, dealers=20, customers=600, invoice_items=6_000, opportunities=1_200),
	"half": Size(people=260, dealers=150, customers=50_000, invoice_items=500_000, opportunities=100_000),
	"large": Size(people=520, dealers=300, customers=100_000, invoice_items=1_000_000, opportunities=200_000),
}

CHUNK = 2_000  # rows per executemany call (the driver packs them into ~1 MB statements)
CURRENCY = "CNY"
FOREIGN = ("USD", 7.1)  # one invoice in ten is in USD at this rate
RETURN_SHARE = 0.03
CANCEL_SHARE = 0.02
SPLIT_SHARE = 0.25  # invoices whose Sales Team has two salespeople (70 / 30)
STAGES = (("BM Qualify", 1, 10), ("BM Needs", 2, 25), ("BM Proposal", 3, 50), ("BM Negotiate", 4, 75), ("BM Commit", 5, 90))
ITEM_GROUPS = ("BM Servers", "BM Storage", "BM Networking", "BM Services")
ITEMS_PER_GROUP = 10
TEMPLATE = "BM Standard"
INDICATORS = (("Net Sales", 50), ("New Customers", 15), ("Repeat Customers", 15), ("Opportunities Advanced", 20))
DISTRIBUTION = "BM Even"
USER_DOMAIN = "bench.invalid"
PASSWORD = "bench-2026"


def insert_rows(doctype: str, columns: list[str], rows) -> int:
	"""INSERT `rows` (tuples in `columns` order) into `doctype`'s table, CHUNK rows per executemany."""
	table = f"`tab{doctype}`"
	sql = "INSERT INTO {} ({}) VALUES ({})".format(
		table, ", ".join(f"`{c}`" for c in columns), ", ".join(["%s"] * len(columns))
	)
	frappe.db.sql("select 1")  # make sure the connection is open
	cursor = frappe.db._conn.cursor()
	count = 0
	chunk = []
	for row in rows:
		chunk.append(row)
		if len(chunk) >= CHUNK:
			cursor.executemany(sql, chunk)
			count += len(chunk)
			chunk = []
	if chunk:
		cursor.executemany(sql, chunk)
		count += len(chunk)
	cursor.close()
	return count


STD = ["name", "creation", "modified", "owner", "modified_by", "docstatus", "idx"]


def std(name, when, docstatus=0, idx=0):
	return (name, when, when, "Administrator", "Administrator", docstatus, idx)


def quarters_back(count: int, as_of: date) -> list[tuple[date, date, str, int, int]]:
	"""The `count` quarters ending with the quarter of `as_of`: (first day, last day, label, year, q)."""
	year, quarter = as_of.year, (as_of.month - 1) // 3 + 1
	found = []
	for _index in range(count):
		start, end, label = period_bounds("Quarter", year, quarter)
		found.append((start, end, label, year, quarter))
		quarter -= 1
		if not quarter:
			year, quarter = year - 1, 4
	return found[::-1]


# --- nested sets --------------------------------------------------------------------------------------


def append_subtree(doctype: str, parent_field: str, root: str, nodes: list[tuple[str, str | None, int]]):
	"""Insert-ready (name, parent, is_group, lft, rgt) for `nodes` (name, parent or None for the subtree's
	top, is_group) placed as the last child of the existing node `root`; makes room in the tree (two
	UPDATEs) so the nested set stays valid."""
	children = {}
	for name, parent, _group in nodes:
		children.setdefault(parent, []).append(name)
	width = 2 * len(nodes)
	root_rgt = frappe.db.get_value(doctype, root, "rgt")
	table = f"`tab{doctype}`"
	frappe.db.sql(f"update {table} set rgt = rgt + %s where rgt >= %s", (width, root_rgt))
	frappe.db.sql(f"update {table} set lft = lft + %s where lft > %s", (width, root_rgt))
	bounds = {}
	counter = root_rgt

	def walk(name):
		nonlocal counter
		left = counter
		counter += 1
		for child in children.get(name, []):
			walk(child)
		bounds[name] = (left, counter)
		counter += 1

	for top in children.get(None, []):
		walk(top)
	groups = {name: group for name, _parent, group in nodes}
	parents = {name: parent for name, parent, _group in nodes}
	return [(name, parents[name] or root, groups[name], *bounds[name]) for name, _p, _g in nodes]


# --- the generator -----------------------------------------------------------------------------------


@dataclass
class World:
	"""What a generation made, for the measurements: names and counts."""

	tag: str
	company: str
	quarter: tuple  # the measured quarter: (from, to, label, year, q)
	current: tuple  # the current quarter
	fiscal_year: str
	people: list[str]
	leaves: list[str]
	teams: list[str]
	regions: list[str]
	top: str
	dealers: list[str]
	portal_users: list[str]
	manager_user: str
	restricted_user: str
	restricted_person: str
	tasks: list[str]  # the measured quarter's approved tasks
	current_tasks: list[str]
	counts: dict
	timings: dict


def generate(
	size: Size | str = "small",
	tag: str = "BM",
	seed: int = 2026,
	company: str | None = None,
	users: bool = True,
	commit: bool = True,
	portal_users: int = 20,
) -> World:
	"""Generate one population; `commit` after each phase (False inside a test's transaction)."""
	if isinstance(size, str):
		size = SIZES[size]
	gen = Generator(size, tag, seed, company, users, commit)
	gen.portal_user_count = portal_users
	return gen.run()


class Generator:
	def __init__(self, size: Size, tag: str, seed: int, company: str | None, users: bool, commit: bool = True):
		self.size, self.tag, self.seed, self.make_users, self.commit = size, tag, seed, users, commit
		self.portal_user_count = 20
		self.rng = random.Random(f"{seed}:{tag}")
		self.as_of = getdate(today())
		self.now = datetime.now().replace(microsecond=0)
		self.company = company
		self.timings, self.counts = {}, {}

	def phase(self, label, function, *args):
		started = time.perf_counter()
		added = function(*args)
		if self.commit:
			frappe.db.commit()  # nosemgrep: a bulk load commits per phase
		self.timings[label] = round(time.perf_counter() - started, 3)
		if added is not None:
			self.counts[label] = added
		return added

	def run(self) -> World:
		self.phase("masters", self.masters)
		self.phase("sales_persons", self.sales_persons)
		self.phase("territories", self.territories)
		self.phase("customers", self.customers)
		self.phase("dealers", self.dealers)
		self.phase("sales_invoices", self.invoices)
		self.phase("opportunities", self.opportunities)
		self.phase("sales_tasks", self.sales_tasks)
		self.phase("targets", self.targets)
		self.phase("channel_documents", self.channel_documents)
		if self.make_users:
			self.phase("users", self.users)
		else:
			self.portal_users, self.manager_user, self.restricted_user = [], None, None
		return World(
			tag=self.tag,
			company=self.company,
			quarter=self.quarter,
			current=self.current,
			fiscal_year=self.fiscal_year,
			people=[n for n, *_ in self.person_rows],
			leaves=self.leaves,
			teams=self.teams,
			regions=self.regions,
			top=self.top,
			dealers=[row[0] for row in self.dealer_rows],
			portal_users=self.portal_users,
			manager_user=self.manager_user,
			restricted_user=self.restricted_user,
			restricted_person=self.teams[0],
			tasks=self.task_names[self.quarter[2]],
			current_tasks=self.task_names[self.current[2]],
			counts=self.counts,
			timings=self.timings,
		)

	# -- masters: documents, a few dozen ----------------------------------------------------------------

	def masters(self):
		from sales_reengineering.demo.company import ensure_fiscal_years, prepare_company

		if not self.company:
			self.company = frappe.db.get_single_value("Global Defaults", "default_company") or "Bench Company"
		info = prepare_company(self.company) if not frappe.db.exists("Company", self.company) else None
		self.company_abbr = frappe.db.get_value("Company", self.company, "abbr")
		self.price_list = info.price_list if info else (frappe.db.get_value("Price List", {"selling": 1, "enabled": 1}) or "Standard Selling")
		self.quarters = quarters_back(self.size.quarters, self.as_of)
		self.current = self.quarters[-1]
		self.quarter = self.quarters[-2]
		ensure_fiscal_years(self.company, sorted({q[3] for q in self.quarters}))
		self.fiscal_year = frappe.get_all(
			"Fiscal Year",
			filters={"year_start_date": ("<=", self.quarter[0]), "year_end_date": (">=", self.quarter[1])},
			pluck="name",
			order_by="name",
		)[0]
		self.income_account = frappe.db.get_value("Company", self.company, "default_income_account")
		self.debit_to = frappe.db.get_value("Company", self.company, "default_receivable_account")
		self.cost_center = frappe.db.get_value("Company", self.company, "cost_center")
		self.customer_group = frappe.db.get_value("Customer Group", {"is_group": 0}, "name", order_by="lft")
		for name, order, probability in STAGES:
			if not frappe.db.exists("Sales Stage", name):
				frappe.get_doc({"doctype": "Sales Stage", "stage_name": name}).insert(ignore_permissions=True)
			frappe.db.set_value("Sales Stage", name, {"sr_stage_order": order, "sr_probability": probability})
		root_group = frappe.db.get_value("Item Group", {"parent_item_group": ("in", ("", None))}, "name") or "All Item Groups"
		for group in ITEM_GROUPS:
			if not frappe.db.exists("Item Group", group):
				frappe.get_doc({"doctype": "Item Group", "item_group_name": group, "parent_item_group": root_group}).insert(ignore_permissions=True)
		self.items = []
		for group_index, group in enumerate(ITEM_GROUPS):
			for number in range(ITEMS_PER_GROUP):
				code = f"BM-{group_index + 1}{number:02d}"
				price = round(random.Random(code).uniform(2_000, 200_000), 2)
				if not frappe.db.exists("Item", code):
					frappe.get_doc(
						{
							"doctype": "Item",
							"item_code": code,
							"item_name": f"{group} {number + 1}",
							"item_group": group,
							"stock_uom": "Nos",
							"is_stock_item": 0,
							"is_sales_item": 1,
						}
					).insert(ignore_permissions=True)
				self.items.append((code, group, price))
		if not frappe.db.exists("Monthly Distribution", DISTRIBUTION):
			frappe.get_doc(
				{
					"doctype": "Monthly Distribution",
					"distribution_id": DISTRIBUTION,
					"percentages": [
						{"month": month, "percentage_allocation": 100 / 12}
						for month in (
							"January", "February", "March", "April", "May", "June", "July",
							"August", "September", "October", "November", "December",
						)
					],
				}
			).insert(ignore_permissions=True)
		if not frappe.db.exists("KPI Template", TEMPLATE):
			frappe.get_doc(
				{
					"doctype": "KPI Template",
					"template_name": TEMPLATE,
					"applies_to": "Salesperson",
					"scoring_method": "Capped",
					"enabled": 1,
					"indicators": [{"indicator": name, "weight": weight} for name, weight in INDICATORS],
				}
			).insert(ignore_permissions=True)
		return None

	# -- trees ------------------------------------------------------------------------------------------

	def sales_persons(self):
		size, tag = self.size, self.tag
		teams = max(2, size.people // 12)
		regions = max(1, teams // 5)
		leaves = max(teams, size.people - teams - regions - 1)
		self.top = f"{tag} Sales"
		self.regions = [f"{tag} Region {r + 1:02d}" for r in range(regions)]
		self.teams = [f"{tag} Team {t + 1:03d}" for t in range(teams)]
		self.leaves = [f"{tag}-SP-{i + 1:05d}" for i in range(leaves)]
		nodes = [(self.top, None, 1)]
		nodes += [(name, self.top, 1) for name in self.regions]
		self.team_of, self.members = {}, {}
		for index, team in enumerate(self.teams):
			nodes.append((team, self.regions[index % regions], 1))
		for index, leaf in enumerate(self.leaves):
			team = self.teams[index % teams]
			self.team_of[leaf] = team
			self.members.setdefault(team, []).append(leaf)
			nodes.append((leaf, team, 0))
		placed = append_subtree("Sales Person", "parent_sales_person", "Sales Team", nodes)
		self.person_rows = placed
		return insert_rows(
			"Sales Person",
			[*STD, "sales_person_name", "parent_sales_person", "is_group", "lft", "rgt", "enabled", "commission_rate"],
			(
				(*std(name, self.now), name, parent, group, lft, rgt, 1, "0")
				for name, parent, group, lft, rgt in placed
			),
		)

	def territories(self):
		tag = self.tag
		top = f"{tag} China"
		self.territory_of_team = {team: f"{tag} Province {i + 1:03d}" for i, team in enumerate(self.teams)}
		nodes = [(top, None, 1)] + [(name, top, 0) for name in self.territory_of_team.values()]
		root = frappe.db.get_value("Territory", {"parent_territory": ("in", ("", None))}, "name") or "All Territories"
		placed = append_subtree("Territory", "parent_territory", root, nodes)
		return insert_rows(
			"Territory",
			[*STD, "territory_name", "parent_territory", "is_group", "lft", "rgt"],
			((*std(name, self.now), name, parent, group, lft, rgt) for name, parent, group, lft, rgt in placed),
		)

	def customers(self):
		rng, tag = self.rng, self.tag
		self.customer_rows = []  # (name, sales person, territory, weight)
		start = self.quarters[0][0]

		def rows():
			for index in range(self.size.customers):
				name = f"{tag}-C-{index + 1:06d}"
				person = rng.choice(self.leaves)
				territory = self.territory_of_team[self.team_of[person]]
				self.customer_rows.append((name, person, territory, min(rng.paretovariate(1.4), 20.0)))
				created = datetime.combine(start - timedelta(days=rng.randint(0, 900)), datetime.min.time())
				yield (
					*std(name, created),
					f"{tag} 客户 {index + 1}",
					"Company",
					self.customer_group,
					territory,
					person,
					round(rng.uniform(20, 100), 1),
					0,
					CURRENCY,
				)

		return insert_rows(
			"Customer",
			[*STD, "customer_name", "customer_type", "customer_group", "territory", "sr_sales_person", "sr_completeness_score", "disabled", "default_currency"],
			rows(),
		)

	def dealers(self):
		"""A tenth general agents, the rest provincial dealers under them; each trades as its own Customer."""
		rng, tag = self.rng, self.tag
		agents = max(1, self.size.dealers // 10)
		names = [f"{tag} Agent {a + 1:03d}" for a in range(agents)]
		nodes = [(name, None, 1) for name in names]
		for index in range(self.size.dealers - agents):
			nodes.append((f"{tag} Dealer {index + 1:04d}", names[index % agents], 0))
		# the tree's root: dealers hang off nothing, so place them after the last existing node
		last = frappe.db.sql("select coalesce(max(rgt), 0) from `tabDealer`")[0][0]
		placed = []
		counter = last + 1
		children = {}
		for name, parent, _group in nodes:
			children.setdefault(parent, []).append(name)
		for agent in names:
			left = counter
			counter += 1
			for child in children.get(agent, []):
				placed.append((child, agent, 0, counter, counter + 1))
				counter += 2
			placed.append((agent, None, 1, left, counter))
			counter += 1
		tiers = frappe.get_all("Dealer Tier", pluck="name", order_by="tier_rank") or [None]
		self.dealer_rows = []
		dealer_customers = []
		for name, parent, group, lft, rgt in placed:
			customer = f"{name} Trading"
			person = rng.choice(self.leaves)
			territory = self.territory_of_team[self.team_of[person]]
			self.dealer_rows.append((name, parent, group, lft, rgt, customer, person, territory, rng.choice(tiers)))
			dealer_customers.append((*std(customer, self.now), customer, "Company", self.customer_group, territory, person, 80, 0, CURRENCY))
			self.customer_rows.append((customer, person, territory, 8.0))
		insert_rows(
			"Customer",
			[*STD, "customer_name", "customer_type", "customer_group", "territory", "sr_sales_person", "sr_completeness_score", "disabled", "default_currency"],
			dealer_customers,
		)
		return insert_rows(
			"Dealer",
			[*STD, "dealer_name", "dealer_level", "parent_dealer", "is_group", "lft", "rgt", "status", "customer", "account_manager", "territory", "dealer_tier"],
			(
				(*std(n, self.now), n, "General Agent" if g else "Provincial Dealer", p, g, l, r, "Active", c, m, t, tier)
				for n, p, g, l, r, c, m, t, tier in self.dealer_rows
			),
		)

	# -- invoices ---------------------------------------------------------------------------------------

	def invoices(self):
		"""Invoices over the quarters until `invoice_items` item rows exist, returns included."""
		rng, tag, size = self.rng, self.tag, self.size
		first_day, last_day = self.quarters[0][0], self.as_of
		days = (last_day - first_day).days
		customers = self.customer_rows
		weights = []
		total = 0.0
		for row in customers:
			total += row[3]
			weights.append(total)
		invoice_cols = [
			*STD, "title", "customer", "customer_name", "company", "posting_date", "posting_time", "due_date",
			"set_posting_time", "currency", "conversion_rate", "selling_price_list", "price_list_currency",
			"plc_conversion_rate", "total_qty", "total", "base_total", "net_total", "base_net_total",
			"grand_total", "base_grand_total", "rounded_total", "base_rounded_total", "outstanding_amount",
			"status", "is_return", "return_against", "territory", "customer_group", "debit_to",
			"is_pos", "update_stock", "amount_eligible_for_commission", "total_commission",
		]
		item_cols = [
			*STD, "parent", "parenttype", "parentfield", "item_code", "item_name", "item_group", "description",
			"uom", "stock_uom", "conversion_factor", "qty", "stock_qty", "price_list_rate", "base_price_list_rate",
			"rate", "amount", "base_rate", "base_amount", "net_rate", "net_amount", "base_net_rate",
			"base_net_amount", "income_account", "cost_center",
		]
		team_cols = [
			*STD, "parent", "parenttype", "parentfield", "sales_person", "allocated_percentage",
			"allocated_amount", "incentives",
		]
		counters = {"invoice": 0, "item": 0, "team": 0, "returns": 0, "cancelled": 0}
		invoices, items, team = [], [], []

		def flush():
			insert_rows("Sales Invoice", invoice_cols, invoices)
			insert_rows("Sales Invoice Item", item_cols, items)
			insert_rows("Sales Team", team_cols, team)
			invoices.clear(), items.clear(), team.clear()

		def add_invoice(customer, person, territory, posting, lines, docstatus, is_return=0, against=None):
			counters["invoice"] += 1
			name = f"{tag}-SINV-{counters['invoice']:07d}"
			currency, rate = FOREIGN if rng.random() < 0.1 else (CURRENCY, 1.0)
			when = datetime.combine(posting, datetime.min.time()) + timedelta(hours=9)
			net = 0.0
			qty_total = 0.0
			for idx, (code, group, price, qty) in enumerate(lines, start=1):
				counters["item"] += 1
				unit = round(price / rate, 2)
				amount = round(unit * qty, 2)
				base = round(amount * rate, 2)
				net += base
				qty_total += qty
				items.append(
					(
						*std(f"{tag}-SII-{counters['item']:08d}", when, docstatus, idx), name, "Sales Invoice", "items",
						code, code, group, code, "Nos", "Nos", 1, qty, qty, unit, round(unit * rate, 2), unit, amount,
						round(unit * rate, 2), base, unit, amount, round(unit * rate, 2), base,
						self.income_account, self.cost_center,
					)
				)
			net = round(net, 2)
			txn = round(net / rate, 2)
			status = {0: "Draft", 1: "Return" if is_return else "Unpaid", 2: "Cancelled"}[docstatus]
			invoices.append(
				(
					*std(name, when, docstatus), customer, customer, customer, self.company, posting, "09:00:00",
					posting, 1, currency, rate, self.price_list, currency, rate, qty_total, txn, net, txn, net,
					txn, net, txn, net, txn if docstatus == 1 else 0, status, is_return, against, territory,
					self.customer_group, self.debit_to, 0, 0, net, 0,
				)
			)
			split = against is None and rng.random() < SPLIT_SHARE
			partners = [(person, 100.0)]
			if split:
				mates = self.members[self.team_of[person]]
				other = rng.choice(mates)
				if other != person:
					partners = [(person, 70.0), (other, 30.0)]
			for idx, (sales_person, share) in enumerate(partners, start=1):
				counters["team"] += 1
				team.append(
					(
						*std(f"{tag}-ST-{counters['team']:07d}", when, docstatus, idx), name, "Sales Invoice",
						"sales_team", sales_person, share, round(net * share / 100, 2), 0,
					)
				)
			return name, partners

		import bisect

		while counters["item"] < size.invoice_items:
			pick = bisect.bisect_left(weights, rng.random() * total)
			customer, person, territory, _weight = customers[min(pick, len(customers) - 1)]
			posting = first_day + timedelta(days=rng.randint(0, days))
			lines = []
			for _line in range(rng.choice((1, 2, 3, 4, 4, 5, 6, 7))):
				code, group, price = rng.choice(self.items)
				lines.append((code, group, round(price * rng.uniform(0.9, 1.1), 2), rng.randint(1, 10)))
			roll = rng.random()
			docstatus = 2 if roll < CANCEL_SHARE else 1
			original, partners = add_invoice(customer, person, territory, posting, lines, docstatus)
			if docstatus == 2:
				counters["cancelled"] += 1
			elif roll < CANCEL_SHARE + RETURN_SHARE:
				back = min(posting + timedelta(days=rng.randint(3, 40)), last_day)
				returned = [(c, g, p, -max(1, q // 2)) for c, g, p, q in lines[: max(1, len(lines) // 2)]]
				add_invoice(customer, person, territory, back, returned, 1, 1, original)
				counters["returns"] += 1
			if len(items) >= 20_000:
				flush()
		flush()
		self.counts.update(
			invoices=counters["invoice"],
			invoice_items=counters["item"],
			sales_team_rows=counters["team"],
			returns=counters["returns"],
			cancelled=counters["cancelled"],
		)
		return counters["item"]

	# -- opportunities ----------------------------------------------------------------------------------

	def opportunities(self):
		rng, tag = self.rng, self.tag
		first_day = self.quarters[0][0]
		days = (self.as_of - first_day).days
		opp_cols = [
			*STD, "title", "opportunity_from", "party_name", "customer_name", "opportunity_type", "status",
			"sales_stage", "sr_sales_person", "transaction_date", "expected_closing", "company", "currency",
			"conversion_rate", "opportunity_amount", "base_opportunity_amount", "probability", "territory",
			"customer_group", "naming_series",
		]
		log_cols = [
			*STD, "opportunity", "sales_person", "changed_on", "changed_by", "from_stage", "to_stage",
			"from_order", "to_order", "days_in_previous_stage", "stage_changed", "outcome",
		]
		opps, logs = [], []
		log_count = 0
		for index in range(self.size.opportunities):
			name = f"{tag}-OPP-{index + 1:07d}"
			customer, person, territory, _w = self.customer_rows[rng.randrange(len(self.customer_rows))]
			opened = first_day + timedelta(days=rng.randint(0, days))
			moves = rng.choice((0, 0, 1, 1, 2, 2, 3, 4))
			stage_index = 0
			day = opened
			for _move in range(moves):
				gap = rng.randint(3, 40)
				if day + timedelta(days=gap) > self.as_of:
					break
				day += timedelta(days=gap)
				log_count += 1
				old, new = STAGES[stage_index], STAGES[stage_index + 1]
				logs.append(
					(
						*std(f"{tag}-OSL-{log_count:08d}", datetime.combine(day, datetime.min.time())),
						name, person, day, "Administrator", old[0], new[0], old[1], new[1], gap, 1, "Open",
					)
				)
				stage_index += 1
			age = (self.as_of - opened).days
			status = "Open" if age < 120 or rng.random() < 0.3 else rng.choice(("Lost", "Closed", "Converted"))
			amount = round(rng.uniform(10_000, 2_000_000), 2)
			stage = STAGES[stage_index]
			opps.append(
				(
					*std(name, datetime.combine(opened, datetime.min.time())), customer, "Customer", customer,
					customer, "Sales", status, stage[0], person, opened, opened + timedelta(days=90),
					self.company, CURRENCY, 1, amount, amount, stage[2], territory, self.customer_group, "CRM-OPP-.YYYY.-",
				)
			)
			if len(opps) >= 10_000:
				insert_rows("Opportunity", opp_cols, opps)
				insert_rows("Opportunity Stage Log", log_cols, logs)
				opps, logs = [], []
		insert_rows("Opportunity", opp_cols, opps)
		insert_rows("Opportunity Stage Log", log_cols, logs)
		self.counts["stage_logs"] = log_count
		return self.size.opportunities

	# -- plan: Sales Tasks and ERPNext targets ----------------------------------------------------------

	def sales_tasks(self):
		"""An approved task for every salesperson, team and region, for the measured and current quarter."""
		tag = self.tag
		task_cols = [
			*STD, "assignee_type", "assignee", "is_group", "template", "workflow_state", "period_type", "year",
			"quarter", "period_label", "from_date", "to_date",
		]
		target_cols = [*STD, "parent", "parenttype", "parentfield", "indicator", "weight", "target", "unit", "higher_is_better"]
		units = dict(frappe.get_all("KPI Indicator", filters={"name": ("in", [n for n, _w in INDICATORS])}, fields=["name", "unit"], as_list=True))
		tasks, targets = [], []
		self.task_names = {}
		count = 0
		assignees = [(p, 0) for p in self.leaves] + [(t, 1) for t in self.teams] + [(r, 1) for r in self.regions]
		per_leaf = {"Net Sales": 3_000_000, "New Customers": 3, "Repeat Customers": 8, "Opportunities Advanced": 12}
		for start, end, label, year, quarter in (self.quarter, self.current):
			names = []
			for assignee, is_group in assignees:
				count += 1
				name = f"{tag}-TASK-{count:06d}"
				names.append(name)
				factor = len(self.members.get(assignee, [None])) if is_group else 1
				if assignee in self.regions:
					factor = len(self.leaves) // len(self.regions)
				tasks.append(
					(*std(name, self.now, 1), "Sales Person", assignee, is_group, TEMPLATE, "Approved", "Quarter", year, str(quarter), label, start, end)
				)
				for idx, (indicator, weight) in enumerate(INDICATORS, start=1):
					targets.append(
						(
							*std(f"{name}-{idx}", self.now, 1, idx), name, "Sales Task", "targets", indicator, weight,
							per_leaf[indicator] * factor, units.get(indicator), 1,
						)
					)
			self.task_names[label] = names
		if frappe.db.has_column("Sales Task", "company"):  # tasks belong to a company where the site has it
			task_cols.append("company")
			tasks = [(*row, self.company) for row in tasks]
		insert_rows("Sales Task", task_cols, tasks)
		insert_rows("Sales Task Target", target_cols, targets)
		return len(tasks)

	def targets(self):
		"""ERPNext's Target Details: every salesperson's yearly amount, spread evenly over the months."""
		cols = [*STD, "parent", "parenttype", "parentfield", "item_group", "fiscal_year", "target_qty", "target_amount", "distribution_id"]
		rows = [
			(*std(f"{self.tag}-TD-{index + 1:05d}", self.now, 0, 1), person, "Sales Person", "targets", None, self.fiscal_year, 0, 12_000_000, DISTRIBUTION)
			for index, person in enumerate(self.leaves)
		]
		return insert_rows("Target Detail", cols, rows)

	def channel_documents(self):
		"""Deal registrations and monthly sell-through reports of the dealers, submitted."""
		rng, tag = self.rng, self.tag
		reg_cols = [
			*STD, "naming_series", "dealer", "dealer_name", "registration_date", "status", "expected_close_date",
			"company_name", "territory", "total_amount", "protected_from", "protected_until", "approved_on", "name_key",
		]
		reg_item_cols = [*STD, "parent", "parenttype", "parentfield", "item_code", "item_name", "qty", "rate", "amount"]
		str_cols = [*STD, "dealer", "dealer_name", "period", "territory", "total_qty", "total_amount"]
		str_item_cols = [*STD, "parent", "parenttype", "parentfield", "item_code", "item_name", "qty", "amount", "end_customer", "city", "stock_on_hand"]
		regs, reg_items, reports, report_items = [], [], [], []
		months = [date(self.as_of.year, self.as_of.month, 1)]
		for _m in range(5):
			previous = months[-1] - timedelta(days=1)
			months.append(date(previous.year, previous.month, 1))
		count = 0
		for dealer, _parent, _group, _l, _r, _customer, _person, territory, _tier in self.dealer_rows:
			for number in range(8):
				count += 1
				name = f"{tag}-DR-{count:06d}"
				day = self.as_of - timedelta(days=rng.randint(0, 300))
				status = rng.choice(("Pending Approval", "Approved", "Approved", "Rejected", "Expired"))
				code, _group_name, price = rng.choice(self.items)
				qty = rng.randint(1, 20)
				approved = status in ("Approved", "Expired")
				regs.append(
					(
						*std(name, datetime.combine(day, datetime.min.time()), 1), "DR-.YYYY.-", dealer, dealer, day, status,
						day + timedelta(days=90), f"{tag} 项目客户 {count}", territory, qty * price,
						day if approved else None, day + timedelta(days=90) if approved else None,
						day if approved else None, f"{tag.lower()}项目客户{count}",
					)
				)
				reg_items.append((*std(f"{name}-1", self.now, 1, 1), name, "Deal Registration", "items", code, code, qty, price, qty * price))
			for month in months:
				count += 1
				name = f"{tag}-STR-{count:06d}"
				code, _group_name, price = rng.choice(self.items)
				qty = rng.randint(1, 30)
				reports.append((*std(name, self.now, 1), dealer, dealer, month, territory, qty, qty * price))
				report_items.append((*std(f"{name}-1", self.now, 1, 1), name, "Sell Through Report", "items", code, code, qty, qty * price, f"{tag} 终端客户", "", 0))
		insert_rows("Deal Registration", reg_cols, regs)
		insert_rows("Deal Registration Item", reg_item_cols, reg_items)
		insert_rows("Sell Through Report", str_cols, reports)
		insert_rows("Sell Through Report Item", str_item_cols, report_items)
		self.counts["sell_through_reports"] = len(reports)
		return len(regs)

	# -- users: documents, a few dozen ------------------------------------------------------------------

	def users(self):
		"""A Sales Manager, a team manager (Sales User; the team's Sales Person through Employee), three
		telesales agents and 20 dealer portal users (one per dealer of the first 20)."""
		tag = tag_lower = self.tag.lower()
		made = 0

		def user(email, first_name, roles, user_type="System User"):
			nonlocal made
			if not frappe.db.exists("User", email):
				doc = frappe.get_doc(
					{
						"doctype": "User",
						"email": email,
						"first_name": first_name,
						"user_type": user_type,
						"send_welcome_email": 0,
						"new_password": PASSWORD,
						"roles": [{"role": role} for role in roles],
					}
				)
				doc.flags.no_welcome_mail = True
				doc.insert(ignore_permissions=True)
				made += 1
			return email

		self.manager_user = user(f"{tag_lower}.manager@{USER_DOMAIN}", "Bench Manager", ["Sales Manager", "Sales User"])
		self.restricted_user = user(f"{tag_lower}.team@{USER_DOMAIN}", "Bench Team Lead", ["Sales User"])
		employee = frappe.db.get_value("Employee", {"user_id": self.restricted_user})
		if not employee:
			employee = frappe.get_doc(
				{
					"doctype": "Employee",
					"first_name": "Bench Team Lead",
					"gender": "Male",
					"date_of_birth": "1985-01-01",
					"date_of_joining": "2015-01-01",
					"company": self.company,
					"user_id": self.restricted_user,
					"status": "Active",
				}
			).insert(ignore_permissions=True).name
		frappe.db.set_value("Sales Person", self.teams[0], "employee", employee)
		for number in range(3 if self.portal_user_count >= 20 else 1):
			user(f"{tag_lower}.telesales{number + 1}@{USER_DOMAIN}", f"Bench Agent {number + 1}", ["Telesales Agent"])
		self.portal_users = []
		portal_cols = [*STD, "parent", "parenttype", "parentfield", "user", "full_name"]
		rows = []
		for index, dealer in enumerate(row[0] for row in self.dealer_rows[: self.portal_user_count]):
			email = user(f"{tag_lower}.dealer{index + 1}@{USER_DOMAIN}", f"Dealer {index + 1}", ["Dealer"], "Website User")
			self.portal_users.append(email)
			if not frappe.db.exists("Dealer Portal User", {"user": email}):
				rows.append((*std(f"{tag}-DPU-{index + 1:03d}", self.now, 0, 1), dealer, "Dealer", "portal_users", email, f"Dealer {index + 1}"))
		insert_rows("Dealer Portal User", portal_cols, rows)
		return made
