"""Weekly stage-progress rate of a salesperson's opportunities.

Definition
    The population is the opportunities that were **open at the start of the week**
    (``week_start``, inclusive).  Opportunities created during the week are not counted.  Each of
    them is classified by its state at the end of the week (``week_end``, exclusive):

    * **progressed** - won during the week, or still open with a stage order at the end of the week
      strictly greater than at the start.  The comparison is net: a move up that was undone within
      the same week is not progress.
    * **lost** - lost or closed without a win during the week (even if the stage moved up first).
      These count in the denominator but not as progress.
    * **stuck** - still open with no net upward stage move (same or lower stage).

    ``rate = len(progressed) / total`` as an unrounded ratio (0.0 .. 1.0); it is ``None`` - not
    ``0`` - when no opportunity was open at the start of the week.  ``percent`` is the rate * 100
    rounded half-up to 2 decimals.

Weeks are ISO weeks: Monday 00:00 (inclusive) to the next Monday 00:00 (exclusive), see
:func:`iso_week_bounds`.  Timestamps must be naive (server local time, as Frappe stores them).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from numbers import Real
from typing import Any

from .scoring import round_half_up

__all__ = [
	"OpportunityWeek",
	"Outcome",
	"ProgressError",
	"ProgressResult",
	"StageEvent",
	"iso_week_bounds",
	"stage_progress",
	"stage_progress_from_events",
]


class ProgressError(ValueError):
	"""Invalid progress input (bad stage order, outcome, week bounds, duplicate opportunity ...)."""


class Outcome(str, Enum):
	"""State of an opportunity at the end of the week."""

	OPEN = "open"
	WON = "won"
	LOST = "lost"
	CLOSED = "closed"
	"""Closed without a win; treated like ``LOST``."""


@dataclass(frozen=True)
class OpportunityWeek:
	"""Snapshot of one opportunity open at week start; ``stage_at_end`` None means unchanged."""

	name: str
	stage_at_start: float
	stage_at_end: float | None = None
	outcome: Outcome | str = Outcome.OPEN


@dataclass(frozen=True)
class StageEvent:
	"""A change of an opportunity at ``at``: a new stage order and/or a new outcome."""

	opportunity: str
	at: date | datetime
	stage_order: float | None = None
	outcome: Outcome | str | None = None


@dataclass(frozen=True)
class ProgressResult:
	"""Weekly progress of one salesperson (names in input order)."""

	total: int
	progressed: tuple[str, ...]
	stuck: tuple[str, ...]
	lost: tuple[str, ...]
	rate: float | None

	@property
	def percent(self) -> float | None:
		"""``rate * 100`` rounded half-up to 2 decimals, ``None`` when there was nothing open."""
		return None if self.rate is None else round_half_up(self.rate * 100, 2)


def iso_week_bounds(day: date | datetime) -> tuple[date, date]:
	"""Return ``(monday, next_monday)`` of the ISO week containing ``day`` (end exclusive)."""
	if isinstance(day, datetime):
		day = day.date()
	if not isinstance(day, date):
		raise ProgressError(f"expected a date, got {day!r}")
	monday = day - timedelta(days=day.weekday())
	return monday, monday + timedelta(days=7)


def _stage(value: Any, name: str) -> float:
	if isinstance(value, bool) or not isinstance(value, Real | Decimal):
		raise ProgressError(f"stage order of {name!r} must be a number, got {value!r}")
	stage = float(value)
	if not math.isfinite(stage):
		raise ProgressError(f"stage order of {name!r} must be finite, got {value!r}")
	return stage


def _outcome(value: Any, name: str) -> Outcome:
	try:
		return Outcome(value.lower() if isinstance(value, str) else value)
	except ValueError:
		raise ProgressError(f"unknown outcome {value!r} for {name!r}") from None


def _classify(start: float, end: float, outcome: Outcome) -> str:
	if outcome is Outcome.WON:
		return "progressed"
	if outcome in (Outcome.LOST, Outcome.CLOSED):
		return "lost"
	return "progressed" if end > start else "stuck"


def _result(classified: list[tuple[str, str]]) -> ProgressResult:
	names = [name for name, _ in classified]
	if len(set(names)) != len(names):
		raise ProgressError("opportunity names must be unique")
	groups: dict[str, list[str]] = {"progressed": [], "stuck": [], "lost": []}
	for name, group in classified:
		groups[group].append(name)
	total = len(classified)
	return ProgressResult(
		total=total,
		progressed=tuple(groups["progressed"]),
		stuck=tuple(groups["stuck"]),
		lost=tuple(groups["lost"]),
		rate=len(groups["progressed"]) / total if total else None,
	)


def _from_mapping(cls: type, item: Mapping[str, Any]) -> Any:
	"""Build ``cls`` from the mapping's keys that are fields of ``cls`` (other keys are ignored)."""
	names = {field.name for field in fields(cls)}
	try:
		return cls(**{key: value for key, value in item.items() if key in names})
	except TypeError as exc:
		raise ProgressError(f"invalid {cls.__name__} {dict(item)!r}: {exc}") from None


def _snapshot(item: OpportunityWeek | Mapping[str, Any]) -> OpportunityWeek:
	if isinstance(item, OpportunityWeek):
		return item
	if isinstance(item, Mapping):
		return _from_mapping(OpportunityWeek, item)
	raise ProgressError(f"expected an OpportunityWeek or a mapping, got {item!r}")


def stage_progress(opportunities: Iterable[OpportunityWeek | Mapping[str, Any]]) -> ProgressResult:
	"""Compute the weekly progress from start/end snapshots of the opportunities open at week start.

	Each item is an :class:`OpportunityWeek` or a mapping with the same keys.  See the module
	docstring for the classification.  Raises :class:`ProgressError` for non-numeric stage orders,
	unknown outcomes or duplicate names.
	"""
	classified = []
	for item in map(_snapshot, opportunities):
		start = _stage(item.stage_at_start, item.name)
		end = start if item.stage_at_end is None else _stage(item.stage_at_end, item.name)
		classified.append((item.name, _classify(start, end, _outcome(item.outcome, item.name))))
	return _result(classified)


def _moment(value: Any, what: str) -> datetime:
	if isinstance(value, datetime):
		moment = value
	elif isinstance(value, date):
		moment = datetime.combine(value, time.min)
	else:
		raise ProgressError(f"{what} must be a date or datetime, got {value!r}")
	if moment.tzinfo is not None:
		raise ProgressError(f"{what} must be a naive date/datetime, got {value!r}")
	return moment


def _event(item: StageEvent | Mapping[str, Any]) -> StageEvent:
	if isinstance(item, StageEvent):
		return item
	if isinstance(item, Mapping):
		return _from_mapping(StageEvent, item)
	raise ProgressError(f"expected a StageEvent or a mapping, got {item!r}")


def stage_progress_from_events(
	start_stages: Mapping[str, float],
	events: Iterable[StageEvent | Mapping[str, Any]],
	week_start: date | datetime,
	week_end: date | datetime,
) -> ProgressResult:
	"""Compute the weekly progress by replaying stage-change events.

	``start_stages`` maps each opportunity open at ``week_start`` to its stage order at that moment
	(this defines the population).  Events with ``week_start <= at < week_end`` are applied in time
	order (input order for equal timestamps); an event sets the stage order and/or the outcome.
	Events for other opportunities or outside the week are ignored.  A date bound or a date ``at``
	means 00:00 of that day.  Raises :class:`ProgressError` when ``week_start >= week_end``, for
	timezone-aware moments, non-numeric stage orders or unknown outcomes.
	"""
	start, end = _moment(week_start, "week_start"), _moment(week_end, "week_end")
	if start >= end:
		raise ProgressError("week_start must be before week_end")
	stages = {name: _stage(stage, name) for name, stage in start_stages.items()}
	current = dict(stages)
	outcomes = dict.fromkeys(stages, Outcome.OPEN)
	timed = [
		(_moment(event.at, "event time"), index, event) for index, event in enumerate(map(_event, events))
	]
	for moment, _, event in sorted(timed, key=lambda entry: (entry[0], entry[1])):
		if event.opportunity not in stages or not start <= moment < end:
			continue
		if event.stage_order is not None:
			current[event.opportunity] = _stage(event.stage_order, event.opportunity)
		if event.outcome is not None:
			outcomes[event.opportunity] = _outcome(event.outcome, event.opportunity)
	classified = [(name, _classify(stages[name], current[name], outcomes[name])) for name in stages]
	return _result(classified)
