"""The deterministic plan of the S Company demo: what to create, computed without touching the database.

`build_plan(seed, scale, as_of)` returns the same `Plan` for the same arguments: every random choice
comes from `random.Random` instances seeded from `seed` (never the `random` module's globals), and every
date is relative to `as_of`. The loader (`loader.py`) writes the plan to the database; later modules
(dealer doctype, opportunity stage log) can rebuild a loaded company's plan with
`loader.get_demo_plan(company)` to read what the demo meant, e.g. which general agent supplies a dealer
(`DealerPlan.agent`) or the stage path of an opportunity (`OpportunityPlan.path`).

Document keys (`OPP-2025-00001` ...) are the names of the created documents without the company
abbreviation, which the loader prefixes (`SC-OPP-2025-00001`); they are numbered per year in date order.
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sales_reengineering.demo import data

PLAN_VERSION = 1
"""Bump when a change here alters the plan of a given seed/scale/day: a company loaded by another
version is then refused instead of being topped up with records of a different plan."""
MAX_SCALE = 5.0
HISTORY_DAYS = 730
NAME_ATTEMPTS = 200
"""Random draws of a customer name before falling back to a branch of a taken one."""
LEAD_DAYS = 120
"""Opportunities closed early in the history may have started up to this many days before it."""

# Counts at scale 1.0; `scale` multiplies them (masters stay full).
BASE_COUNTS: dict[str, int] = {
	"customers": 1000,
	"opportunities": 720,
	"stock_orders": 24,
	"returns": 20,
	"cancelled": 15,
	"contracts": 60,
}
SELL_IN_MONTHS = 6
"""Months of dealer sell-in: the month of `as_of` and the five before it."""
SELL_IN_CHANCE = 0.8
"""Chance that a provincial dealer buys in a given month (the general agents buy every month)."""
# Discount range (percent off list) per dealer tier of the dealer network (network.DEALER_TIERS)
SELL_IN_DISCOUNTS = {"General Agent": (20.0, 30.0), "Gold": (12.0, 20.0), "Silver": (5.0, 12.0)}
# Share of opportunities per outcome.
OUTCOME_SHARES: dict[str, float] = {
	"won": 0.39,
	"quote_lost": 0.08,
	"quote_open": 0.05,
	"lost_early": 0.27,
	"open_early": 0.21,
}
# Seasonality of closing dates (Chinese IT budgets: strong Q4 and June, weak around the Spring Festival).
MONTH_WEIGHTS = {
	1: 0.8,
	2: 0.55,
	3: 0.9,
	4: 0.95,
	5: 1.0,
	6: 1.3,
	7: 0.9,
	8: 0.85,
	9: 1.1,
	10: 0.9,
	11: 1.3,
	12: 1.8,
}
# Preferred product groups per industry.
GROUP_WEIGHTS: dict[str, dict[str, float]] = {
	"government": {"servers": 3, "storage": 3, "networking": 3},
	"finance": {"servers": 3, "storage": 5, "networking": 2},
	"education": {"servers": 2, "storage": 1, "networking": 5},
	"healthcare": {"servers": 3, "storage": 4, "networking": 2},
	"manufacturing": {"servers": 3, "storage": 2, "networking": 3},
	"internet": {"servers": 7, "storage": 2, "networking": 2},
	"telecom": {"servers": 3, "storage": 2, "networking": 6},
	"energy": {"servers": 3, "storage": 3, "networking": 3},
}
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


# --- Plan records --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TerritoryPlan:
	name: str
	parent: str
	is_group: bool
	manager: str | None = None
	"""Sales Person managing the territory (regional manager, or the first rep of a province)."""


@dataclass(frozen=True)
class SalesPersonPlan:
	name: str
	parent: str
	is_group: bool
	region: str | None
	territory: str | None
	"""The rep's province territory (the region territory for managers, None for the director)."""


@dataclass(frozen=True)
class ContactPlan:
	full_name: str
	designation: str
	email: str | None
	mobile: str | None


@dataclass(frozen=True)
class AddressPlan:
	line1: str
	line2: str | None
	city: str
	state: str
	pincode: str


@dataclass(frozen=True)
class CustomerPlan:
	name: str
	customer_group: str
	industry_type: str
	territory: str
	sales_person: str
	tax_id: str
	since: date
	contact: ContactPlan | None
	address: AddressPlan | None
	industry: str | None = None
	"""Key of `data.INDUSTRIES`; None for dealers."""
	dealer: str | None = None
	"""Key of the dealer (`data.DEALERS`) buying on this customer."""
	weight: float = 1.0


@dataclass(frozen=True)
class DealerPlan:
	key: str
	name: str
	partner_type: str
	territory: str
	commission_rate: float
	agent: str | None
	"""Sales Partner name of the supplying general agent; None for a general agent."""
	customer: str
	"""Customer name the dealer buys on."""


@dataclass(frozen=True)
class LinePlan:
	item_code: str
	qty: int
	list_price: float
	discount: float
	"""Discount on the list price, in percent."""

	@property
	def rate(self) -> float:
		return round(self.list_price * (1 - self.discount / 100), 2)

	@property
	def amount(self) -> float:
		return round(self.rate * self.qty, 2)


@dataclass(frozen=True)
class StageStep:
	at: datetime
	stage: str


@dataclass
class OpportunityPlan:
	key: str
	customer: str
	sales_person: str
	territory: str
	outcome: str
	"""won, quote_lost, quote_open, lost_early or open_early."""
	path: list[StageStep]
	lines: list[LinePlan]
	expected_closing: date
	lost_on: date | None = None
	lost_reason: str | None = None
	competitor: str | None = None
	quotation: str | None = None
	"""Key of the quotation made from this opportunity."""
	seq: int = field(default=0, repr=False, compare=False)
	"""Creation order in the generator; breaks ties when numbering keys."""

	@property
	def date(self) -> date:
		return self.path[0].at.date()

	@property
	def stage(self) -> str:
		return self.path[-1].stage

	@property
	def status(self) -> str:
		"""Final ERPNext status after the whole chain has been loaded."""
		return {
			"won": "Converted",
			"quote_lost": "Lost",
			"quote_open": "Quotation",
			"lost_early": "Lost",
			"open_early": "Open",
		}[self.outcome]

	@property
	def amount(self) -> float:
		return round(sum(line.amount for line in self.lines), 2)


@dataclass
class QuotationPlan:
	key: str
	opportunity: str
	date: date
	valid_till: date
	outcome: str
	"""ordered, lost or open."""
	lost_on: date | None = None
	lost_reason: str | None = None
	competitor: str | None = None
	seq: int = field(default=0, repr=False, compare=False)
	"""Creation order in the generator; breaks ties when numbering keys."""


@dataclass
class OrderPlan:
	key: str
	customer: str
	date: date
	delivery_date: date
	sales_team: list[tuple[str, float]]
	lines: list[LinePlan]
	quotation: str | None = None
	sales_partner: str | None = None
	invoice: str | None = None
	contract: str | None = None
	seq: int = field(default=0, repr=False, compare=False)
	"""Creation order in the generator; breaks ties when numbering keys."""

	@property
	def amount(self) -> float:
		return round(sum(line.amount for line in self.lines), 2)


@dataclass
class InvoicePlan:
	key: str
	order: str
	date: date
	due_date: date
	cancelled: bool = False
	"""Submitted, then cancelled on the same day and re-issued as an amendment (`<key>-1`)."""
	credit_note: str | None = None
	seq: int = field(default=0, repr=False, compare=False)
	"""Creation order in the generator; breaks ties when numbering keys."""


@dataclass
class ReturnPlan:
	key: str
	invoice: str
	date: date
	item_code: str
	qty: int
	seq: int = field(default=0, repr=False, compare=False)
	"""Creation order in the generator; breaks ties when numbering keys."""


@dataclass
class ContractPlan:
	key: str
	order: str
	customer: str
	start: date
	end: date
	renewal: date
	signed: bool
	contact: str | None
	seq: int = field(default=0, repr=False, compare=False)
	"""Creation order in the generator; breaks ties when numbering keys."""


@dataclass
class Plan:
	seed: int
	scale: float
	as_of: date
	territories: list[TerritoryPlan] = field(default_factory=list)
	sales_persons: list[SalesPersonPlan] = field(default_factory=list)
	dealers: list[DealerPlan] = field(default_factory=list)
	customers: list[CustomerPlan] = field(default_factory=list)
	opportunities: list[OpportunityPlan] = field(default_factory=list)
	quotations: list[QuotationPlan] = field(default_factory=list)
	orders: list[OrderPlan] = field(default_factory=list)
	invoices: list[InvoicePlan] = field(default_factory=list)
	returns: list[ReturnPlan] = field(default_factory=list)
	contracts: list[ContractPlan] = field(default_factory=list)
	sell_in_orders: list[OrderPlan] = field(default_factory=list)
	"""The dealers' monthly purchases (`DSO-` keys), each invoiced (`sell_in_invoices`, `DSINV-` keys)."""
	sell_in_invoices: list[InvoicePlan] = field(default_factory=list)

	@property
	def start(self) -> date:
		return self.as_of - timedelta(days=HISTORY_DAYS)

	@property
	def earliest(self) -> date:
		"""The first day any transaction of the plan can fall on."""
		return self.start - timedelta(days=LEAD_DAYS)

	def fiscal_years(self) -> list[int]:
		return list(range(self.earliest.year, self.as_of.year + 1))

	def dealers_of_agent(self, agent: str) -> list[DealerPlan]:
		return [dealer for dealer in self.dealers if dealer.agent == agent]


# --- Helpers -------------------------------------------------------------------------------------------


def credit_code_check_char(body: str) -> str:
	"""GB 32100-2015 check character of the first 17 characters of a unified social credit code."""
	total = sum(
		CREDIT_CODE_CHARSET.index(char) * weight
		for char, weight in zip(body, CREDIT_CODE_WEIGHTS, strict=True)
	)
	return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(body: str) -> str:
	"""GB 11714-1997 check character of an 8-digit organisation code body."""
	value = 11 - sum(int(char) * weight for char, weight in zip(body, ORG_CODE_WEIGHTS, strict=True)) % 11
	return {10: "X", 11: "0"}.get(value, str(value))


def make_credit_code(rng: random.Random, prefix: str, admin_code: str) -> str:
	org_body = f"{rng.randrange(10**8):08d}"
	body = f"{prefix}{admin_code}{org_body}{org_code_check_char(org_body)}"
	return body + credit_code_check_char(body)


def scaled(count: int, scale: float, minimum: int = 1) -> int:
	return max(minimum, round(count * scale))


def split_counts(total: int, shares: dict[str, float]) -> dict[str, int]:
	"""Largest-remainder split of `total` by `shares`, in the order of `shares`."""
	raw = {key: total * share for key, share in shares.items()}
	counts = {key: int(value) for key, value in raw.items()}
	rest = total - sum(counts.values())
	for key in sorted(raw, key=lambda key: raw[key] - counts[key], reverse=True)[:rest]:
		counts[key] += 1
	return counts


def seasonal_date(rng: random.Random, first: date, last: date) -> date:
	"""A date in [first, last], weighted by `MONTH_WEIGHTS`."""
	if last <= first:
		return first
	span = (last - first).days
	top = max(MONTH_WEIGHTS.values())
	while True:
		candidate = first + timedelta(days=rng.randint(0, span))
		if rng.random() * top <= MONTH_WEIGHTS[candidate.month]:
			return candidate


def at_office_hours(rng: random.Random, day: date) -> datetime:
	return datetime.combine(day, time(rng.randint(9, 17), rng.randrange(0, 60, 5)))


def number_keys(records: Sequence, prefix: str, get_date: Callable, set_key: Callable) -> None:
	"""Give `records` keys `<prefix>-<year>-<nnnnn>` numbered per year in date order."""
	per_year: dict[int, int] = defaultdict(int)
	for record in sorted(records, key=lambda record: (get_date(record), id_of(record))):
		year = get_date(record).year
		per_year[year] += 1
		set_key(record, f"{prefix}-{year}-{per_year[year]:05d}")


def id_of(record) -> int:
	return record.seq


# --- Masters -------------------------------------------------------------------------------------------


def province_territory(province: data.Province) -> str:
	return province.zh


def build_territories() -> list[TerritoryPlan]:
	reps_by_province = reps_per_province()
	territories = [TerritoryPlan(data.COUNTRY_TERRITORY, "All Territories", True, data.SALES_DIRECTOR)]
	for region in data.REGIONS:
		territories.append(
			TerritoryPlan(region.zh, data.COUNTRY_TERRITORY, True, data.REGIONAL_MANAGERS[region.key])
		)
		for province in data.PROVINCES:
			if province.region == region.key:
				territories.append(
					TerritoryPlan(province.zh, region.zh, False, reps_by_province[province.key][0])
				)
	return territories


def reps_per_province() -> dict[str, list[str]]:
	reps: dict[str, list[str]] = defaultdict(list)
	for rep, province in data.SALES_REPS:
		reps[province].append(rep)
	return reps


def build_sales_persons() -> list[SalesPersonPlan]:
	persons = [SalesPersonPlan(data.SALES_DIRECTOR, data.SALES_ROOT, True, None, data.COUNTRY_TERRITORY)]
	for region in data.REGIONS:
		manager = data.REGIONAL_MANAGERS[region.key]
		persons.append(SalesPersonPlan(manager, data.SALES_DIRECTOR, True, region.key, region.zh))
		for rep, province_key in data.SALES_REPS:
			province = data.PROVINCE_BY_KEY[province_key]
			if province.region == region.key:
				persons.append(SalesPersonPlan(rep, manager, False, region.key, province.zh))
	return persons


def build_dealers() -> list[DealerPlan]:
	agents = {agent.key: agent.name for agent in data.GENERAL_AGENTS}
	return [
		DealerPlan(
			key=dealer.key,
			name=dealer.name,
			partner_type=dealer.partner_type,
			territory=data.PROVINCE_BY_KEY[dealer.province].zh,
			commission_rate=dealer.commission_rate,
			agent=agents[dealer.agent] if dealer.agent else None,
			customer=dealer.name,
		)
		for dealer in data.DEALERS
	]


# --- Customers -----------------------------------------------------------------------------------------


class CustomerFactory:
	def __init__(self, rng: random.Random, as_of: date):
		self.rng = rng
		self.as_of = as_of
		self.names: set[str] = set()
		self.codes: set[str] = set()
		self.reps = reps_per_province()

	def contact(self, industry: str | None, domain: str, incomplete: str | None) -> ContactPlan | None:
		if incomplete == "contact":
			return None
		rng = self.rng
		surname, surname_py = rng.choice(data.SURNAMES)
		given = rng.sample(data.GIVEN_CHARS, rng.choice((1, 2, 2)))
		full_name = surname + "".join(char for char, _ in given)
		given_py = "".join(py for _, py in given)
		email = None if incomplete == "email" else f"{given_py}.{surname_py}@{domain}"
		mobile = (
			None
			if incomplete == "mobile"
			else rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
		)
		designations = data.DESIGNATIONS.get(industry or "", data.DESIGNATIONS["default"])
		return ContactPlan(full_name, rng.choice(designations), email, mobile)

	def address(self, province: data.Province, city: data.City, incomplete: str | None) -> AddressPlan | None:
		if incomplete == "address":
			return None
		rng = self.rng
		line1 = f"{rng.choice(data.ROADS)}{rng.randint(1, 999)}号"
		line2 = f"{rng.choice(data.BUILDINGS)}{rng.randint(2, 28)}层" if rng.random() < 0.6 else None
		city_name = city.zh if province.is_municipality else f"{city.zh}市"
		return AddressPlan(line1, line2, city_name, province.full_zh, city.postcode)

	def incomplete(self) -> str | None:
		roll = self.rng.random()
		if roll < 0.04:
			return "contact"
		if roll < 0.14:
			return "email"
		if roll < 0.22:
			return "address"
		if roll < 0.25:
			return "mobile"
		return None

	def credit_code(self, prefix: str, admin_code: str) -> str:
		while True:
			code = make_credit_code(self.rng, prefix, admin_code)
			if code not in self.codes:
				self.codes.add(code)
				return code

	def since(self, start: date) -> date:
		rng = self.rng
		if rng.random() < 0.55:
			return start - timedelta(days=rng.randint(30, 6 * 365))
		return start + timedelta(days=rng.randint(0, 540))

	def end_customer(self, province: data.Province, industry: data.Industry, start: date) -> CustomerPlan:
		rng = self.rng
		for _attempt in range(NAME_ATTEMPTS):
			city = province.capital if rng.random() < 0.6 else rng.choice(province.cities)
			name, domain = self.company_name(industry.key, province, city)
			if name not in self.names:
				break
		else:
			# a small province's names of one industry run out above scale 1 (Beijing has a handful of
			# hospitals): the next customer is a campus, branch or centre of one of them
			name = self.branch_name(name, industry.key)
		self.names.add(name)
		incomplete = self.incomplete()
		return CustomerPlan(
			name=name,
			customer_group=industry.customer_group,
			industry_type=industry.industry_type,
			territory=province_territory(province),
			sales_person=rng.choice(self.reps[province.key]),
			tax_id=self.credit_code(industry.credit_prefix, city.admin_code),
			since=self.since(start),
			contact=self.contact(industry.key, domain, incomplete),
			address=self.address(province, city, incomplete),
			industry=industry.key,
			weight=min(rng.paretovariate(1.6), 12.0),
		)

	def branch_name(self, name: str, industry: str) -> str:
		"""The first free `<name><branch>` (e.g. 北京市中医院东院区), numbered when all are taken."""
		branches = data.BRANCH_SUFFIXES.get(industry, data.BRANCH_SUFFIXES["default"])
		for number in itertools.count(1):
			for branch in branches:
				candidate = f"{name}{branch}" if number == 1 else f"{name}{branch}{number}"
				if candidate not in self.names:
					return candidate
		raise AssertionError("unreachable")  # pragma: no cover

	def company_name(self, industry: str, province: data.Province, city: data.City) -> tuple[str, str]:
		rng = self.rng
		brand, brand_py = rng.choice(data.BRANDS)
		pattern = rng.choice(data.NAME_PATTERNS[industry])
		city_zh = city.zh
		if province.is_municipality and "{city}市" in pattern:
			pattern = pattern.replace("{city}市", "{city}")
			city_zh = province.full_zh
		name = pattern.format(
			city=city_zh,
			prov=province.zh,
			provfull=province.full_zh,
			brand=brand,
			n=rng.choice(data.CHINESE_NUMERALS),
			agency=rng.choice(data.CITY_AGENCIES),
			pagency=rng.choice(data.PROVINCE_AGENCIES),
			product=rng.choice(data.MANUFACTURING_PRODUCTS),
		)
		city_py = city.en.lower().replace("'", "").replace(" ", "")
		domain = {
			"government": f"{city_py}.gov.cn",
			"education": f"{city_py}.edu.cn",
			"healthcare": f"{city_py}-hospital.cn",
		}.get(industry, f"{brand_py}.com.cn")
		return name, domain

	def dealer_customer(self, dealer: data.Dealer, start: date) -> CustomerPlan:
		province = data.PROVINCE_BY_KEY[dealer.province]
		self.names.add(dealer.name)
		return CustomerPlan(
			name=dealer.name,
			customer_group=data.DEALER_CUSTOMER_GROUP,
			industry_type="Technology",
			territory=province_territory(province),
			sales_person=self.reps[province.key][0],
			tax_id=self.credit_code("91", province.capital.admin_code),
			since=start - timedelta(days=self.rng.randint(365, 8 * 365)),
			contact=self.contact(None, f"{dealer.brand_pinyin}.com.cn", None),
			address=self.address(province, province.capital, None),
			dealer=dealer.key,
		)


def build_customers(seed: int, scale: float, as_of: date) -> list[CustomerPlan]:
	"""Dealer customers first (fixed), then the seeded end customers."""
	rng = random.Random(f"{seed}:customers")
	start = as_of - timedelta(days=HISTORY_DAYS)
	factory = CustomerFactory(rng, as_of)
	customers = [factory.dealer_customer(dealer, start) for dealer in data.DEALERS]
	provinces = list(data.PROVINCES)
	province_weights = [province.weight for province in provinces]
	industries = list(data.INDUSTRIES)
	industry_weights = [industry.weight for industry in industries]
	for _index in range(scaled(BASE_COUNTS["customers"], scale, minimum=5)):
		province = rng.choices(provinces, province_weights)[0]
		industry = rng.choices(industries, industry_weights)[0]
		customers.append(factory.end_customer(province, industry, start))
	return customers


# --- Opportunities -------------------------------------------------------------------------------------

STAGE_GAPS = {1: (4, 25), 2: (7, 35), 3: (5, 30), 4: (4, 25)}
"""Days spent in a stage before moving to the next one."""


class DealFactory:
	def __init__(self, plan: Plan, rng: random.Random):
		self.plan = plan
		self.rng = rng
		self.end_customers = [customer for customer in plan.customers if customer.industry]
		self.cum_weights = []
		total = 0.0
		for customer in self.end_customers:
			total += customer.weight
			self.cum_weights.append(total)
		self.reps_by_region: dict[str, list[str]] = defaultdict(list)
		for person in plan.sales_persons:
			if not person.is_group:
				self.reps_by_region[person.region].append(person.name)
		self.region_of = {person.name: person.region for person in plan.sales_persons}

	def customer(self, on: date) -> CustomerPlan:
		for _attempt in range(30):
			customer = self.rng.choices(self.end_customers, cum_weights=self.cum_weights)[0]
			if customer.since <= on:
				return customer
		return customer

	def stage_orders(self, outcome: str) -> list[int]:
		rng = self.rng
		if outcome == "won":
			orders = [1, 2, 3, 4, 5]
			if rng.random() < 0.12:
				orders = [1, 2, 3, 4, 3, 4, 5]
			if rng.random() < 0.15:
				orders.remove(2)
			return orders
		if outcome in ("quote_lost", "quote_open"):
			return [1, 2, 3] if rng.random() < 0.5 else [1, 2, 3, 4]
		return [1] if rng.random() < 0.45 else [1, 2]

	def gaps(self, orders: list[int]) -> list[int]:
		return [self.rng.randint(*STAGE_GAPS[order]) for order in orders[:-1]]

	def lines(self, customer: CustomerPlan) -> list[LinePlan]:
		rng = self.rng
		weights = GROUP_WEIGHTS[customer.industry]
		group = rng.choices(list(weights), list(weights.values()))[0]
		hardware = [item for item in data.ITEMS if item.group == group]
		chosen = rng.sample(hardware, rng.choice((1, 1, 1, 2, 2)))
		if rng.random() < 0.25:
			other = rng.choice([key for key in weights if key != group])
			chosen.append(rng.choice([item for item in data.ITEMS if item.group == other]))
		if rng.random() < 0.5:
			services = [item for item in data.ITEMS if item.group == "services"]
			chosen.extend(rng.sample(services, rng.choice((1, 1, 1, 2))))
		size = 0.6 + customer.weight / 4
		lines = []
		for item in chosen:
			low, high = item.qty
			qty = max(1, min(high * 2, round(rng.randint(low, high) * size)))
			lines.append(LinePlan(item.code, qty, item.price, 0.0))
		total = sum(line.list_price * line.qty for line in lines)
		discount = min(
			30.0,
			round(rng.uniform(0, 8) + (6 if total > 500_000 else 0) + (8 if total > 2_000_000 else 0), 1),
		)
		return [LinePlan(line.item_code, line.qty, line.list_price, discount) for line in lines]

	def opportunity(self, outcome: str, order: int) -> OpportunityPlan:
		rng = self.rng
		plan = self.plan
		orders = self.stage_orders(outcome)
		gaps = self.gaps(orders)
		tail = 0
		if outcome in ("won", "quote_lost", "lost_early"):
			tail = rng.randint(7, 45) if outcome != "won" else 0
			first = max(plan.start, plan.earliest + timedelta(days=sum(gaps) + tail))
			last = seasonal_date(rng, first, plan.as_of - timedelta(days=1))
			end = last - timedelta(days=tail)
		elif outcome == "quote_open":
			end = plan.as_of - timedelta(days=rng.randint(1, 40))
		else:
			end = plan.as_of - timedelta(days=rng.randint(1, 60))
		start = max(plan.earliest, end - timedelta(days=sum(gaps)))
		day = start
		path_days = [day]
		for gap in gaps:
			day = min(end, day + timedelta(days=gap))
			path_days.append(day)
		path = [
			StageStep(at_office_hours(rng, day), data.STAGE_BY_ORDER[stage].name)
			for day, stage in zip(path_days, orders, strict=True)
		]
		path = fix_step_order(path)
		customer = self.customer(start)
		opportunity = OpportunityPlan(
			key="",
			customer=customer.name,
			sales_person=customer.sales_person,
			territory=customer.territory,
			outcome=outcome,
			path=path,
			lines=self.lines(customer),
			expected_closing=path[-1].at.date() + timedelta(days=rng.randint(10, 60)),
		)
		if outcome == "won":
			opportunity.expected_closing = path[-1].at.date()
		if outcome in ("quote_lost", "lost_early"):
			opportunity.lost_on = end + timedelta(days=tail)
			opportunity.lost_reason = rng.choice(data.LOST_REASONS)
			if "竞争" in opportunity.lost_reason or "价格" in opportunity.lost_reason:
				opportunity.competitor = rng.choice(data.COMPETITORS)
		opportunity.seq = order
		return opportunity

	def sales_team(self, primary: str) -> list[tuple[str, float]]:
		rng = self.rng
		roll = rng.random()
		if roll >= 0.18:
			return [(primary, 100.0)]
		colleagues = [rep for rep in self.reps_by_region[self.region_of[primary]] if rep != primary]
		split = (60.0, 40.0) if roll < 0.12 else (50.0, 50.0)
		return [(primary, split[0]), (rng.choice(colleagues), split[1])]


def fix_step_order(path: list[StageStep]) -> list[StageStep]:
	"""Keep step times strictly increasing (two steps on the same day get later times)."""
	fixed = [path[0]]
	for step in path[1:]:
		at = step.at
		if at <= fixed[-1].at:
			at = fixed[-1].at + timedelta(minutes=30)
		fixed.append(StageStep(at, step.stage))
	return fixed


def build_deals(plan: Plan, seed: int, scale: float) -> None:
	rng = random.Random(f"{seed}:deals")
	factory = DealFactory(plan, rng)
	total = scaled(BASE_COUNTS["opportunities"], scale, minimum=10)
	counts = split_counts(total, OUTCOME_SHARES)
	counts["won"] = max(counts["won"], 4)
	outcomes = [outcome for outcome, count in counts.items() for _ in range(count)]
	rng.shuffle(outcomes)
	plan.opportunities = [factory.opportunity(outcome, order) for order, outcome in enumerate(outcomes)]
	number_keys(plan.opportunities, "OPP", lambda opp: opp.date, lambda opp, key: setattr(opp, "key", key))
	plan.opportunities.sort(key=lambda opp: opp.key)
	build_quotations(plan, rng)
	build_orders(plan, factory, rng, scale)
	build_invoices(plan, rng)
	build_returns_and_cancellations(plan, rng, scale)
	build_contracts(plan, rng, scale)


def build_quotations(plan: Plan, rng: random.Random) -> None:
	quotations = []
	for opportunity in plan.opportunities:
		if opportunity.outcome not in ("won", "quote_lost", "quote_open"):
			continue
		quoted_at = next(step.at for step in opportunity.path if step.stage == data.STAGE_BY_ORDER[3].name)
		quotation = QuotationPlan(
			key="",
			opportunity=opportunity.key,
			date=quoted_at.date(),
			valid_till=quoted_at.date() + timedelta(days=30),
			outcome={"won": "ordered", "quote_lost": "lost", "quote_open": "open"}[opportunity.outcome],
			lost_on=opportunity.lost_on,
			lost_reason=opportunity.lost_reason,
			competitor=opportunity.competitor,
		)
		quotation.seq = opportunity.seq
		quotations.append(quotation)
	number_keys(quotations, "QTN", lambda q: q.date, lambda q, key: setattr(q, "key", key))
	by_opportunity = {quotation.opportunity: quotation for quotation in quotations}
	for opportunity in plan.opportunities:
		if opportunity.key in by_opportunity:
			opportunity.quotation = by_opportunity[opportunity.key].key
	plan.quotations = sorted(quotations, key=lambda q: q.key)


def build_orders(plan: Plan, factory: DealFactory, rng: random.Random, scale: float) -> None:
	dealers_by_territory = {dealer.territory: dealer for dealer in plan.dealers}
	opportunities = {opportunity.key: opportunity for opportunity in plan.opportunities}
	orders = []
	for quotation in plan.quotations:
		if quotation.outcome != "ordered":
			continue
		opportunity = opportunities[quotation.opportunity]
		signed_on = opportunity.path[-1].at.date()
		dealer = dealers_by_territory.get(opportunity.territory)
		channel_share = 0.3 if dealer and dealer.agent else 0.15
		order = OrderPlan(
			key="",
			customer=opportunity.customer,
			date=signed_on,
			delivery_date=signed_on + timedelta(days=rng.randint(14, 45)),
			sales_team=factory.sales_team(opportunity.sales_person),
			lines=opportunity.lines,
			quotation=quotation.key,
			sales_partner=dealer.name if dealer and rng.random() < channel_share else None,
		)
		order.seq = opportunity.seq
		orders.append(order)
	orders.extend(stock_orders(plan, factory, rng, scale, start_order=len(plan.opportunities)))
	number_keys(orders, "SO", lambda order: order.date, lambda order, key: setattr(order, "key", key))
	plan.orders = sorted(orders, key=lambda order: order.key)


def stock_orders(plan: Plan, factory: DealFactory, rng: random.Random, scale: float, start_order: int):
	"""Sell-in orders of the general agents (they stock hardware for their provincial dealers)."""
	agents = [dealer for dealer in plan.dealers if dealer.agent is None]
	customers = {customer.name: customer for customer in plan.customers}
	hardware = [item for item in data.ITEMS if item.group != "services"]
	orders = []
	for index in range(scaled(BASE_COUNTS["stock_orders"], scale)):
		agent = agents[0] if rng.random() < 0.5 else agents[-1]
		on = seasonal_date(rng, plan.start + timedelta(days=5), plan.as_of - timedelta(days=1))
		discount = round(rng.uniform(28, 38), 1)
		lines = [
			LinePlan(item.code, rng.randint(item.qty[1], item.qty[1] * 3), item.price, discount)
			for item in rng.sample(hardware, rng.randint(2, 4))
		]
		order = OrderPlan(
			key="",
			customer=agent.customer,
			date=on,
			delivery_date=on + timedelta(days=rng.randint(7, 21)),
			sales_team=[(customers[agent.customer].sales_person, 100.0)],
			lines=lines,
			sales_partner=agent.name,
		)
		order.seq = start_order + index
		orders.append(order)
	return orders


def build_invoices(plan: Plan, rng: random.Random) -> None:
	invoices = []
	for order in plan.orders:
		posting = order.date + timedelta(days=rng.randint(3, 50))
		if posting > plan.as_of:
			continue
		invoice = InvoicePlan(key="", order=order.key, date=posting, due_date=posting + timedelta(days=30))
		invoice.seq = order.seq
		invoices.append(invoice)
	number_keys(invoices, "SINV", lambda inv: inv.date, lambda inv, key: setattr(inv, "key", key))
	by_order = {invoice.order: invoice for invoice in invoices}
	for order in plan.orders:
		if order.key in by_order:
			order.invoice = by_order[order.key].key
	plan.invoices = sorted(invoices, key=lambda inv: inv.key)


def build_returns_and_cancellations(plan: Plan, rng: random.Random, scale: float) -> None:
	orders = {order.key: order for order in plan.orders}
	candidates = [invoice for invoice in plan.invoices if invoice.date <= plan.as_of - timedelta(days=10)]
	picked = rng.sample(candidates, min(len(candidates), scaled(BASE_COUNTS["returns"], scale)))
	returns = []
	for invoice in picked:
		line = rng.choice(orders[invoice.order].lines)
		qty = max(1, round(line.qty * rng.choice((0.1, 0.25, 0.5, 1.0))))
		on = min(plan.as_of, invoice.date + timedelta(days=rng.randint(10, 90)))
		credit_note = ReturnPlan(key="", invoice=invoice.key, date=on, item_code=line.item_code, qty=qty)
		credit_note.seq = invoice.seq
		returns.append(credit_note)
	number_keys(returns, "CN", lambda ret: ret.date, lambda ret, key: setattr(ret, "key", key))
	by_invoice = {credit_note.invoice: credit_note for credit_note in returns}
	for invoice in plan.invoices:
		if invoice.key in by_invoice:
			invoice.credit_note = by_invoice[invoice.key].key
	plan.returns = sorted(returns, key=lambda ret: ret.key)
	rest = [invoice for invoice in plan.invoices if not invoice.credit_note]
	for invoice in rng.sample(rest, min(len(rest), scaled(BASE_COUNTS["cancelled"], scale))):
		invoice.cancelled = True


def build_contracts(plan: Plan, rng: random.Random, scale: float) -> None:
	customers = {customer.name: customer for customer in plan.customers}
	candidates = [order for order in plan.orders if order.quotation]
	biggest = sorted(candidates, key=lambda order: (-order.amount, order.key))
	contracts = []
	for order in biggest[: scaled(BASE_COUNTS["contracts"], scale)]:
		years = 3 if any(line.item_code == "SVC-MA3Y" for line in order.lines) else rng.choice((1, 2, 3))
		start = order.date
		end = date(start.year + years, start.month, min(start.day, 28)) - timedelta(days=1)
		contact = customers[order.customer].contact
		contract = ContractPlan(
			key="",
			order=order.key,
			customer=order.customer,
			start=start,
			end=end,
			renewal=end - timedelta(days=60),
			signed=(plan.as_of - start).days > 14 or rng.random() < 0.5,
			contact=contact.full_name if contact else None,
		)
		contract.seq = order.seq
		contracts.append(contract)
	number_keys(
		contracts, "CON", lambda contract: contract.start, lambda contract, key: setattr(contract, "key", key)
	)
	by_order = {contract.order: contract for contract in contracts}
	for order in plan.orders:
		if order.key in by_order:
			order.contract = by_order[order.key].key
	plan.contracts = sorted(contracts, key=lambda contract: contract.key)


# --- Dealer sell-in ------------------------------------------------------------------------------------


def sell_in_months(as_of: date) -> list[date]:
	"""First days of the `SELL_IN_MONTHS` months ending with the month of `as_of`, oldest first."""
	months = [as_of.replace(day=1)]
	while len(months) < SELL_IN_MONTHS:
		months.append((months[-1] - timedelta(days=1)).replace(day=1))
	return months[::-1]


def sell_in_dealers(plan: Plan, rng: random.Random, scale: float) -> list[DealerPlan]:
	"""Every dealer from scale 1; below it the demo's own dealers and a scaled sample of the others."""
	own = [dealer for dealer in plan.dealers if dealer.key in data.DEMO_DEALERS]
	others = [dealer for dealer in plan.dealers if dealer.key not in data.DEMO_DEALERS]
	count = min(len(others), max(0, round(len(others) * scale)))
	return own + rng.sample(others, count)


def dealer_tier(dealer: DealerPlan) -> str:
	"""The tier the dealer network gives a dealer (network.DEALER_TIERS): agents are Platinum, provincial
	dealers with a commission of at least `data.GOLD_COMMISSION` Gold, the others Silver."""
	if not dealer.agent:
		return "Platinum"
	return "Gold" if dealer.commission_rate >= data.GOLD_COMMISSION else "Silver"


def build_sell_in(plan: Plan, seed: int, scale: float) -> None:
	"""Each dealer's monthly stock purchase over the last `SELL_IN_MONTHS` months, invoiced by S Company
	on the dealer's customer: the general agents buy every month, the provincial dealers most months,
	with the general agent that supplies them as sales partner (it earns its commission on them). The
	demo's own dealers buy in the month of `as_of`, so their purchases this quarter are never nil."""
	rng = random.Random(f"{seed}:sell-in")
	customers = {customer.name: customer for customer in plan.customers}
	hardware = [item for item in data.ITEMS if item.group != "services"]
	orders, invoices = [], []
	months = sell_in_months(plan.as_of)
	for dealer in sell_in_dealers(plan, rng, scale):
		low, high = SELL_IN_DISCOUNTS["General Agent" if not dealer.agent else dealer_tier(dealer)]
		for month in months:
			current = month == months[-1]
			buys = not dealer.agent or rng.random() < SELL_IN_CHANCE
			if current and dealer.key in data.DEMO_DEALERS:
				buys = True
			if not buys:
				continue
			last = min(plan.as_of, (month + timedelta(days=32)).replace(day=1) - timedelta(days=1))
			on = month + timedelta(days=rng.randint(0, (last - month).days))
			size = 3 if not dealer.agent else 1
			discount = round(rng.uniform(low, high), 1)
			lines = [
				LinePlan(item.code, size * rng.randint(*item.qty), item.price, discount)
				for item in rng.sample(hardware, rng.randint(1, 3))
			]
			order = OrderPlan(
				key="",
				customer=dealer.customer,
				date=on,
				delivery_date=on + timedelta(days=rng.randint(3, 10)),
				sales_team=[(customers[dealer.customer].sales_person, 100.0)],
				lines=lines,
				sales_partner=dealer.agent or dealer.name,
			)
			order.seq = len(orders)
			orders.append(order)
	number_keys(orders, "DSO", lambda order: order.date, lambda order, key: setattr(order, "key", key))
	for order in orders:
		posting = min(plan.as_of, order.date + timedelta(days=rng.randint(0, 5)))
		invoice = InvoicePlan(key="", order=order.key, date=posting, due_date=posting + timedelta(days=30))
		invoice.seq = order.seq
		invoices.append(invoice)
	number_keys(invoices, "DSINV", lambda inv: inv.date, lambda inv, key: setattr(inv, "key", key))
	by_order = {invoice.order: invoice.key for invoice in invoices}
	for order in orders:
		order.invoice = by_order[order.key]
	plan.sell_in_orders = sorted(orders, key=lambda order: order.key)
	plan.sell_in_invoices = sorted(invoices, key=lambda invoice: invoice.key)


# --- Entry point ---------------------------------------------------------------------------------------


def build_plan(seed: int = 2026, scale: float = 1.0, as_of: date | None = None) -> Plan:
	"""The whole demo as data. Raises ValueError for a scale outside (0, MAX_SCALE]."""
	if not isinstance(scale, int | float) or not 0 < scale <= MAX_SCALE:
		raise ValueError(f"scale must be > 0 and <= {MAX_SCALE}, got {scale!r}")
	as_of = as_of or date.today()
	plan = Plan(seed=seed, scale=scale, as_of=as_of)
	plan.territories = build_territories()
	plan.sales_persons = build_sales_persons()
	plan.dealers = build_dealers()
	plan.customers = build_customers(seed, scale, as_of)
	build_deals(plan, seed, scale)
	build_sell_in(plan, seed, scale)
	return plan
