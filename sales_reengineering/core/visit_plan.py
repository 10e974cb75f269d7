"""Matching a week's visit plan against the visits actually logged (pure: no Frappe).

A plan line is (salesperson, week, party type, party, planned date). A visit is an activity of the
salesperson's user in that week naming the same Customer or Dealer (a visit logged against an opportunity
names the opportunity's customer). Each visit fulfils at most one line of its party and each line takes
at most one visit: the pairs closest in time are taken first (earlier planned date, then earlier visit,
on a tie). Visits of the week that fulfil no line are unplanned.

A line without a visit is "Missed" once its week is over, "Planned" until then.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

PLANNED, VISITED, MISSED = "Planned", "Visited", "Missed"


@dataclass(frozen=True)
class Line:
	name: str
	sales_person: str
	week_start: date
	party_type: str
	party: str
	planned_date: date


@dataclass(frozen=True)
class Visit:
	event: str
	sales_person: str
	party_type: str
	party: str
	starts_on: datetime


@dataclass(frozen=True)
class Match:
	event: str | None
	visited_on: datetime | None
	status: str


def week_start_of(day: date) -> date:
	if isinstance(day, datetime):
		day = day.date()
	return day - timedelta(days=day.weekday())


def match(lines: list[Line], visits: list[Visit], today: date) -> tuple[dict[str, Match], set[str]]:
	"""({line name: Match}, names of the events that fulfil no line) for the weeks of `lines` and
	`visits`. `visits` may name one event several times (one per party it names)."""
	pool: dict[tuple, list[Visit]] = defaultdict(list)
	for visit in sorted(visits, key=lambda v: (v.starts_on, v.event)):
		pool[(visit.sales_person, week_start_of(visit.starts_on), visit.party_type, visit.party)].append(visit)

	# every (line, visit) pair of the same key, closest first; taken greedily, each side once
	pairs = []
	for line in lines:
		target = datetime.combine(line.planned_date, datetime.min.time())
		key = (line.sales_person, week_start_of(line.week_start), line.party_type, line.party)
		for position, visit in enumerate(pool.get(key, ())):
			distance = abs((visit.starts_on - target).total_seconds())
			pairs.append((distance, line.planned_date, line.name, position, visit))
	pairs.sort(key=lambda pair: pair[:4])
	taken_lines: dict[str, Visit] = {}
	taken_visits: set[tuple] = set()
	for _distance, _day, name, _position, visit in pairs:
		visit_key = (visit.event, visit.party_type, visit.party)
		if name in taken_lines or visit_key in taken_visits:
			continue
		taken_lines[name] = visit
		taken_visits.add(visit_key)

	result: dict[str, Match] = {}
	for line in lines:
		if visit := taken_lines.get(line.name):
			result[line.name] = Match(visit.event, visit.starts_on, VISITED)
		else:
			over = today >= week_start_of(line.week_start) + timedelta(days=7)
			result[line.name] = Match(None, None, MISSED if over else PLANNED)

	matched_events = {visit.event for visit in taken_lines.values()}
	unplanned = {visit.event for visit in visits} - matched_events
	return result, unplanned


@dataclass
class Figures:
	planned: int = 0
	visited: int = 0
	missed: int = 0
	pending: int = 0
	unplanned: int = 0

	@property
	def completion(self) -> float | None:
		"""Percent of the planned visits made; None without a plan."""
		return round(100.0 * self.visited / self.planned, 1) if self.planned else None

	def add(self, other: Figures) -> None:
		self.planned += other.planned
		self.visited += other.visited
		self.missed += other.missed
		self.pending += other.pending
		self.unplanned += other.unplanned


def figures(
	lines: list[Line], visits: list[Visit], matches: dict[str, Match], unplanned: set[str]
) -> dict[str, Figures]:
	"""{salesperson: Figures}: lines by status, and the unplanned visits (distinct events)."""
	result: dict[str, Figures] = defaultdict(Figures)
	for line in lines:
		row = result[line.sales_person]
		row.planned += 1
		status = matches[line.name].status
		if status == VISITED:
			row.visited += 1
		elif status == MISSED:
			row.missed += 1
		else:
			row.pending += 1
	owner_of = {visit.event: visit.sales_person for visit in visits}
	for event in unplanned:
		result[owner_of[event]].unplanned += 1
	return dict(result)
