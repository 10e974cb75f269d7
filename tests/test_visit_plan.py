"""Matching a weekly visit plan against the visits logged (core.visit_plan, pure)."""

from datetime import date, datetime

from sales_reengineering.core.visit_plan import MISSED, PLANNED, VISITED, Line, Visit, figures, match

MONDAY = date(2026, 11, 2)


def line(name, party, day=3, person="A", party_type="Customer"):
	return Line(name, person, MONDAY, party_type, party, date(2026, 11, day))


def visit(event, party, day=3, hour=10, person="A", party_type="Customer"):
	return Visit(event, person, party_type, party, datetime(2026, 11, day, hour))


def test_a_visit_to_the_planned_customer_in_the_week_fulfils_the_line():
	matches, unplanned = match([line("L1", "C1")], [visit("E1", "C1", day=5)], date(2026, 11, 20))
	assert matches["L1"].status == VISITED and matches["L1"].event == "E1"
	assert unplanned == set()


def test_other_customer_other_week_or_other_person_do_not_match():
	visits = [
		visit("E1", "C2"),  # another customer
		visit("E2", "C1", day=10),  # the next week
		visit("E3", "C1", person="B"),  # another salesperson
		visit("E4", "C1", party_type="Dealer"),  # a dealer of the same name
	]
	matches, unplanned = match([line("L1", "C1")], visits, date(2026, 11, 20))
	assert matches["L1"] == matches["L1"].__class__(None, None, MISSED)
	assert unplanned == {"E1", "E2", "E3", "E4"}


def test_one_visit_fulfils_one_line_the_closest_to_its_date():
	lines = [line("L1", "C1", day=2), line("L2", "C1", day=6)]
	visits = [visit("E1", "C1", day=6), visit("E2", "C1", day=2)]
	matches, unplanned = match(lines, visits, date(2026, 11, 20))
	assert (matches["L1"].event, matches["L2"].event) == ("E2", "E1")
	matches, _ = match(lines, [visit("E1", "C1", day=6)], date(2026, 11, 20))
	assert matches["L1"].status == MISSED and matches["L2"].event == "E1"


def test_an_unvisited_line_is_planned_until_the_week_is_over():
	matches, _ = match([line("L1", "C1")], [], date(2026, 11, 8))
	assert matches["L1"].status == PLANNED
	matches, _ = match([line("L1", "C1")], [], date(2026, 11, 9))
	assert matches["L1"].status == MISSED


def test_figures_count_lines_by_status_and_unplanned_events_once():
	lines = [line("L1", "C1"), line("L2", "C2"), line("L3", "C3", person="B")]
	# E2 names two customers neither of whom is planned: one unplanned visit
	visits = [visit("E1", "C1"), visit("E2", "C8"), visit("E2", "C9")]
	matches, unplanned = match(lines, visits, date(2026, 11, 5))
	result = figures(lines, visits, matches, unplanned)
	a, b = result["A"], result["B"]
	assert (a.planned, a.visited, a.pending, a.missed, a.unplanned) == (2, 1, 1, 0, 1)
	assert a.completion == 50.0
	assert (b.planned, b.visited, b.completion) == (1, 0, 0.0)
