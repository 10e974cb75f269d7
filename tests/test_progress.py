from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales_reengineering.core.progress import (
	OpportunityWeek,
	Outcome,
	ProgressError,
	StageEvent,
	iso_week_bounds,
	stage_progress,
	stage_progress_from_events,
)

MONDAY = date(2025, 3, 3)
NEXT_MONDAY = date(2025, 3, 10)


@pytest.mark.parametrize(
	"day",
	[date(2025, 3, 3), date(2025, 3, 5), date(2025, 3, 9), datetime(2025, 3, 9, 23, 59, 59)],
)
def test_iso_week_bounds(day):
	assert iso_week_bounds(day) == (MONDAY, NEXT_MONDAY)


def test_iso_week_bounds_across_year_end():
	assert iso_week_bounds(date(2025, 1, 1)) == (date(2024, 12, 30), date(2025, 1, 6))
	with pytest.raises(ProgressError):
		iso_week_bounds("2025-01-01")


def test_snapshot_progress():
	result = stage_progress(
		[
			OpportunityWeek("OPP-1", 1, 2),
			OpportunityWeek("OPP-2", 2, 2),
			OpportunityWeek("OPP-3", 3, 1),  # moved back: stuck
			OpportunityWeek("OPP-4", 4, None, "won"),  # won counts as progress
			{"name": "OPP-5", "stage_at_start": 2, "stage_at_end": 4, "outcome": "Lost", "extra": 1},
			OpportunityWeek("OPP-6", 2),  # unchanged
		]
	)
	assert result.total == 6
	assert result.progressed == ("OPP-1", "OPP-4")
	assert result.stuck == ("OPP-2", "OPP-3", "OPP-6")
	assert result.lost == ("OPP-5",)
	assert result.rate == pytest.approx(2 / 6)
	assert result.percent == 33.33


def test_no_open_opportunities_gives_none_not_zero():
	result = stage_progress([])
	assert result.rate is None and result.percent is None and result.total == 0
	empty = stage_progress_from_events({}, [], MONDAY, NEXT_MONDAY)
	assert empty.rate is None


def test_all_stuck_gives_zero():
	assert stage_progress([OpportunityWeek("A", 1, 1)]).rate == 0.0


@pytest.mark.parametrize(
	"items",
	[
		[OpportunityWeek("A", "one")],
		[OpportunityWeek("A", 1, float("nan"))],
		[OpportunityWeek("A", True)],
		[OpportunityWeek("A", 1, 2, "abandoned")],
		[OpportunityWeek("A", 1), OpportunityWeek("A", 2)],
		[{"name": "A"}],
		["A"],
	],
)
def test_snapshot_rejects_bad_input(items):
	with pytest.raises(ProgressError):
		stage_progress(items)


def at(day, hour=10):
	return datetime.combine(MONDAY + timedelta(days=day), datetime.min.time()) + timedelta(hours=hour)


def test_event_replay():
	start = {"A": 1, "B": 2, "C": 3, "D": 1, "E": 2, "F": 1}
	events = [
		StageEvent("A", at(1), 2),  # up
		StageEvent("B", at(1), 3),  # up then back down: net no progress
		StageEvent("B", at(3), 2),
		StageEvent("C", at(2), outcome=Outcome.WON),
		StageEvent("D", at(2), 3),
		{"opportunity": "D", "at": at(4), "outcome": "lost"},  # lost after moving up
		StageEvent("E", at(-1), 4),  # before the week: ignored
		StageEvent("E", NEXT_MONDAY, 4),  # at week_end (exclusive): ignored
		StageEvent("NEW", at(1), 5),  # created during the week: not in population
		StageEvent("F", MONDAY, 2),  # exactly at week_start (date = 00:00): counted
	]
	result = stage_progress_from_events(start, events, MONDAY, NEXT_MONDAY)
	assert result.total == 6
	assert result.progressed == ("A", "C", "F")
	assert result.stuck == ("B", "E")
	assert result.lost == ("D",)
	assert result.rate == 0.5


def test_events_applied_in_time_order_not_input_order():
	events = [StageEvent("A", at(3), 1), StageEvent("A", at(1), 5)]
	result = stage_progress_from_events({"A": 1}, events, MONDAY, NEXT_MONDAY)
	assert result.stuck == ("A",)


def test_reopened_after_loss_is_judged_on_stage():
	events = [
		StageEvent("A", at(1), outcome="lost"),
		StageEvent("A", at(2), 3, outcome="open"),
	]
	assert stage_progress_from_events({"A": 1}, events, MONDAY, NEXT_MONDAY).progressed == ("A",)


@pytest.mark.parametrize(
	("start", "end", "events"),
	[
		(NEXT_MONDAY, MONDAY, []),
		(MONDAY, MONDAY, []),
		("2025-03-03", NEXT_MONDAY, []),
		(datetime(2025, 3, 3, tzinfo=timezone.utc), NEXT_MONDAY, []),
		(MONDAY, NEXT_MONDAY, [StageEvent("A", "tuesday", 2)]),
		(MONDAY, NEXT_MONDAY, [StageEvent("A", at(1), "two")]),
		(MONDAY, NEXT_MONDAY, [StageEvent("A", at(1), outcome="cancelled")]),
		(MONDAY, NEXT_MONDAY, [{"opportunity": "A"}]),
	],
)
def test_event_replay_rejects_bad_input(start, end, events):
	with pytest.raises(ProgressError):
		stage_progress_from_events({"A": 1}, events, start, end)


@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), st.sampled_from(list(Outcome))), max_size=20))
def test_property_partition(rows):
	items = [OpportunityWeek(f"O{i}", s, e, o) for i, (s, e, o) in enumerate(rows)]
	result = stage_progress(items)
	assert len(result.progressed) + len(result.stuck) + len(result.lost) == result.total == len(items)
	if items:
		assert 0.0 <= result.rate <= 1.0
	else:
		assert result.rate is None
