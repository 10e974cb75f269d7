"""Weighted KPI scoring and attainment.

These functions are the reference definition of how a KPI score card is computed.

Attainment
    ``attainment = actual / target`` for indicators where a higher value is better (sales amount,
    visits, new customers) and ``attainment = target / actual`` where a lower value is better
    (complaints, days sales outstanding).  ``1.0`` means the target was met exactly (100 %).
    The edge cases are fixed rules, see :func:`attainment`.

Row score ratio
    The attainment is turned into a *score ratio* by the scoring method:

    * ``"capped"`` (default): ``min(attainment, cap)``; the default cap is ``1.2`` (120 %).
    * ``"linear"``: the attainment itself, only bounded by the safety ceiling
      :data:`MAX_ATTAINMENT` (10.0 = 1000 %) so that a tiny target cannot explode the card.
    * ``"stepped"``: ``steps`` is a list of ``(min_attainment, score_ratio)`` pairs; the pair with
      the highest ``min_attainment`` that the attainment reaches gives the score ratio, ``0.0`` when
      no threshold is reached.  The step's score ratio is also limited to ``cap``.

Total score
    ``total = Σ(weight * score_ratio) / Σ(weight) * 100``, rounded half-up to 2 decimals only at the
    very end.  With the capped method the total is therefore between 0 and ``cap * 100``.
    A card whose total is at least 100 "beat the target".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real
from typing import Any

__all__ = [
	"BEAT_TARGET",
	"DEFAULT_CAP",
	"MAX_ATTAINMENT",
	"METHODS",
	"KpiRow",
	"RowScore",
	"ScoreResult",
	"ScoringError",
	"apply_method",
	"attainment",
	"round_half_up",
	"score_card",
	"validate_steps",
	"validate_weights",
]


class ScoringError(ValueError):
	"""Invalid input for KPI scoring (negative values, bad weights, unknown method ...)."""


DEFAULT_CAP = 1.2
"""Default cap of the score ratio for the ``capped`` and ``stepped`` methods (120 %)."""

MAX_ATTAINMENT = 10.0
"""Safety ceiling of any attainment (1000 %); also the attainment of a perfect lower-is-better row."""

BEAT_TARGET = 100.0
"""A total score at or above this value means the target was beaten."""

WEIGHT_TOTAL = 100.0
WEIGHT_TOLERANCE = 1e-9
METHODS = ("capped", "linear", "stepped")
MISSING_MODES = ("zero", "skip")


def round_half_up(value: float, ndigits: int = 2) -> float:
	"""Round ``value`` to ``ndigits`` decimals, halves away from zero (commercial rounding).

	Uses the shortest decimal representation of the float, so ``round_half_up(0.125) == 0.13`` and
	``round_half_up(2.675) == 2.68`` (Python's built-in ``round`` gives 0.12 and 2.67).
	"""
	quantum = Decimal(1).scaleb(-ndigits)
	return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))


def _number(value: Any, what: str) -> float:
	"""Return ``value`` as a finite, non-negative float or raise :class:`ScoringError`."""
	if isinstance(value, bool) or not isinstance(value, Real | Decimal):
		raise ScoringError(f"{what} must be a number, got {value!r}")
	number = float(value)
	if not math.isfinite(number):
		raise ScoringError(f"{what} must be finite, got {value!r}")
	if number < 0:
		raise ScoringError(f"{what} must not be negative, got {value!r}")
	return number


def _positive(value: Any, what: str) -> float:
	number = _number(value, what)
	if number == 0:
		raise ScoringError(f"{what} must be greater than 0")
	return number


def _flag(value: Any, what: str = "higher_is_better") -> bool:
	"""Accept ``True``/``False`` and the integers ``1``/``0`` (Frappe Check fields)."""
	if isinstance(value, bool):
		return value
	if isinstance(value, int) and value in (0, 1):
		return bool(value)
	raise ScoringError(f"{what} must be a boolean or 0/1, got {value!r}")


def attainment(
	actual: float | None,
	target: float | None,
	higher_is_better: bool = True,
	*,
	ceiling: float = MAX_ATTAINMENT,
) -> float | None:
	"""Return the attainment ratio of ``actual`` against ``target`` (``1.0`` = 100 %).

	Rules, in order:

	* ``actual`` or ``target`` is ``None`` → ``None`` (the indicator was not measured).
	* a negative, non-finite or non-numeric value → :class:`ScoringError`.
	* higher is better, ``target == 0`` → ``1.0`` (a zero target is met trivially by any actual ≥ 0).
	* higher is better, ``target > 0`` → ``actual / target``.
	* lower is better, ``target == 0`` → ``1.0`` if ``actual == 0`` else ``0.0``.
	* lower is better, ``target > 0`` and ``actual == 0`` → ``ceiling`` (the best possible result;
	  the scoring method then limits it to its cap).
	* lower is better otherwise → ``target / actual``.

	The result is never greater than ``ceiling`` (default :data:`MAX_ATTAINMENT`, 10.0).  It is not
	rounded.
	"""
	if actual is None or target is None:
		return None
	actual_value = _number(actual, "actual")
	target_value = _number(target, "target")
	limit = _positive(ceiling, "ceiling")
	if _flag(higher_is_better):
		ratio = 1.0 if target_value == 0 else actual_value / target_value
	elif target_value == 0:
		ratio = 1.0 if actual_value == 0 else 0.0
	elif actual_value == 0:
		ratio = limit
	else:
		ratio = target_value / actual_value
	return min(ratio, limit)


def validate_steps(steps: Iterable[Sequence[float]] | None) -> list[tuple[float, float]]:
	"""Validate ``(min_attainment, score_ratio)`` pairs and return them sorted by threshold.

	Both numbers must be finite and non-negative, there must be at least one pair and the thresholds
	must be unique.  Raises :class:`ScoringError` otherwise.
	"""
	if steps is None:
		raise ScoringError("the stepped method needs a list of (min_attainment, score_ratio) steps")
	pairs: list[tuple[float, float]] = []
	for step in steps:
		if isinstance(step, str | bytes) or not isinstance(step, Sequence) or len(step) != 2:
			raise ScoringError(f"a step must be a (min_attainment, score_ratio) pair, got {step!r}")
		pairs.append((_number(step[0], "step min_attainment"), _number(step[1], "step score_ratio")))
	if not pairs:
		raise ScoringError("the stepped method needs at least one step")
	thresholds = [threshold for threshold, _ in pairs]
	if len(set(thresholds)) != len(thresholds):
		raise ScoringError("step thresholds must be unique")
	return sorted(pairs)


def _check_method(method: str, cap: float, steps: Iterable[Sequence[float]] | None) -> tuple:
	if method not in METHODS:
		raise ScoringError(f"unknown scoring method {method!r}; expected one of {', '.join(METHODS)}")
	cap_value = _positive(cap, "cap")
	pairs = validate_steps(steps) if method == "stepped" else []
	return cap_value, pairs


def _ratio(value: float, method: str, cap: float, pairs: list[tuple[float, float]]) -> float:
	if method == "linear":
		return min(value, MAX_ATTAINMENT)
	if method == "capped":
		return min(value, cap)
	reached = [ratio for threshold, ratio in pairs if value >= threshold]
	return min(reached[-1], cap) if reached else 0.0


def apply_method(
	value: float | None,
	method: str = "capped",
	cap: float = DEFAULT_CAP,
	steps: Iterable[Sequence[float]] | None = None,
) -> float:
	"""Turn one attainment into a score ratio with ``method`` (see the module docstring).

	``None`` (not measured) scores ``0.0``.  Raises :class:`ScoringError` for an unknown method, a
	cap ≤ 0, invalid steps or a negative attainment.
	"""
	cap_value, pairs = _check_method(method, cap, steps)
	if value is None:
		return 0.0
	return _ratio(_number(value, "attainment"), method, cap_value, pairs)


@dataclass(frozen=True)
class KpiRow:
	"""One indicator of a score card (a template row with its target and actual)."""

	indicator: str
	weight: float
	target: float | None
	actual: float | None
	higher_is_better: bool = True


@dataclass(frozen=True)
class RowScore:
	"""Result for one indicator.

	``attainment`` is unrounded and only limited by :data:`MAX_ATTAINMENT`; ``score_ratio`` is the
	attainment after the scoring method; ``weighted_score`` is the number of points the row adds to
	the total, ``weight * score_ratio / total_weight * 100`` (unrounded; 0 for skipped rows).
	``counted`` is False for rows left out of the weight total (``missing="skip"``).
	"""

	indicator: str
	weight: float
	target: float | None
	actual: float | None
	higher_is_better: bool
	attainment: float | None
	score_ratio: float
	weighted_score: float
	counted: bool = True


@dataclass(frozen=True)
class ScoreResult:
	"""A computed score card. ``total`` is ``raw_total`` rounded half-up to 2 decimals."""

	rows: tuple[RowScore, ...]
	total: float
	raw_total: float
	total_weight: float
	method: str
	cap: float

	@property
	def beat_target(self) -> bool:
		"""True when the rounded total is at least :data:`BEAT_TARGET` (100)."""
		return self.total >= BEAT_TARGET


_ROW_FIELDS = ("indicator", "weight", "target", "actual")


def _as_row(row: KpiRow | Mapping[str, Any] | Any) -> KpiRow:
	"""Accept a :class:`KpiRow`, a mapping or any object with the KpiRow attributes."""
	if isinstance(row, KpiRow):
		return row
	if isinstance(row, Mapping):
		missing = [name for name in _ROW_FIELDS if name not in row]
		if missing:
			raise ScoringError(f"score card row is missing {', '.join(missing)}: {row!r}")
		values = {name: row[name] for name in _ROW_FIELDS}
		values["higher_is_better"] = row.get("higher_is_better", True)
	else:
		try:
			values = {name: getattr(row, name) for name in _ROW_FIELDS}
		except AttributeError as exc:
			raise ScoringError(f"score card row {row!r} lacks a field: {exc}") from exc
		values["higher_is_better"] = getattr(row, "higher_is_better", True)
	return KpiRow(**values)


def _measure(kpi: KpiRow, missing: str) -> tuple[KpiRow, float, float | None, bool]:
	"""Return ``(kpi, weight, attainment, counted)`` for one row."""
	weight = _number(kpi.weight, f"weight of {kpi.indicator}")
	value = attainment(kpi.actual, kpi.target, kpi.higher_is_better)
	return kpi, weight, value, missing == "zero" or value is not None


def _row_score(
	kpi: KpiRow, weight: float, value: float | None, counted: bool, total_weight: float, how: tuple
) -> RowScore:
	ratio = 0.0 if value is None else _ratio(value, *how)
	return RowScore(
		indicator=kpi.indicator,
		weight=weight,
		target=kpi.target,
		actual=kpi.actual,
		higher_is_better=_flag(kpi.higher_is_better),
		attainment=value,
		score_ratio=ratio,
		weighted_score=weight * ratio / total_weight * 100 if counted else 0.0,
		counted=counted,
	)


def score_card(
	rows: Iterable[KpiRow | Mapping[str, Any] | Any],
	cap: float = DEFAULT_CAP,
	method: str = "capped",
	steps: Iterable[Sequence[float]] | None = None,
	missing: str = "zero",
) -> ScoreResult:
	"""Score a card: ``Σ(weight * score_ratio) / Σ(weight) * 100`` rounded half-up to 2 decimals.

	``rows`` are :class:`KpiRow` objects, dicts or objects with ``indicator``, ``weight``,
	``target``, ``actual`` and optional ``higher_is_better`` (default True).  Per row the attainment
	is :func:`attainment` and the score ratio is :func:`apply_method`.

	A row whose attainment is ``None`` (actual or target not set) scores 0 with ``missing="zero"``
	(the default) or is left out of both sums with ``missing="skip"``.

	Raises :class:`ScoringError` when there are no rows, a weight is negative, the counted weights
	total 0, a value is negative, or the method/cap/steps are invalid.
	"""
	if missing not in MISSING_MODES:
		raise ScoringError(f"missing must be one of {', '.join(MISSING_MODES)}, got {missing!r}")
	cap_value, pairs = _check_method(method, cap, steps)
	kpis = [_as_row(row) for row in rows]
	if not kpis:
		raise ScoringError("a score card needs at least one row")
	measured = [_measure(kpi, missing) for kpi in kpis]
	total_weight = math.fsum(weight for _, weight, _, counted in measured if counted)
	if total_weight <= 0:
		raise ScoringError("the total weight of the counted rows must be greater than 0")
	results = [
		_row_score(kpi, weight, value, counted, total_weight, (method, cap_value, pairs))
		for kpi, weight, value, counted in measured
	]
	raw_total = math.fsum(row.weight * row.score_ratio for row in results if row.counted) / total_weight * 100
	return ScoreResult(
		rows=tuple(results),
		total=round_half_up(raw_total, 2),
		raw_total=raw_total,
		total_weight=total_weight,
		method=method,
		cap=cap_value,
	)


def validate_weights(weights: Iterable[float]) -> float:
	"""Check template weights: each finite and ≥ 0, total exactly 100 (tolerance 1e-9).

	The total is computed with :func:`math.fsum`.  Returns the total; raises :class:`ScoringError`
	otherwise (also for an empty list).
	"""
	values = [_number(weight, "weight") for weight in weights]
	total = math.fsum(values)
	if abs(total - WEIGHT_TOTAL) > WEIGHT_TOLERANCE:
		raise ScoringError(f"weights must total {WEIGHT_TOTAL:g}, got {total:g}")
	return total
