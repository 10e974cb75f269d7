"""Quota suggestion for a coming quarter.

The suggestion is ``base * clamp(trend * purchasing_power * competition)`` rounded half-up to a
multiple of ``params.round_to``.  Only quarters *before* the target quarter are used.

base
    1. the amount of the same quarter last year, if recorded in ``history``;
    2. otherwise the mean of the recorded quarters among the 4 quarters before the target;
    3. otherwise ``fallback_amount`` (e.g. the territory's average per salesperson) when given;
    4. otherwise 0 - the suggestion is then 0 and must be set by hand.

trend factor
    ``growth = Σ(last 4 quarters) / Σ(previous 4 quarters) - 1`` where "last 4" are the 4 quarters
    before the target quarter and "previous 4" the 4 before those.  It needs all 8 quarters in
    ``history`` and a previous sum > 0; otherwise growth is taken as 0.
    ``trend = 1 + trend_weight * growth`` (not below 0).

purchasing-power factor
    ``1 + purchasing_power_weight * (index - 1)``; the index is 1.0 for an average territory.

competition factor
    ``1 - competition_damping * intensity`` with intensity in 0..1
    (see :func:`competition_intensity`).

clamp
    The combined factor is limited to ``[1 - max_decline, 1 + max_growth]``.

Every step is recorded in :attr:`QuotaSuggestion.basis` as a ``(label, value)`` pair.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real
from typing import Any, NamedTuple

__all__ = [
	"BasisStep",
	"QuotaError",
	"QuotaParams",
	"QuotaSuggestion",
	"competition_intensity",
	"quarter_of",
	"shift_quarter",
	"suggest_quota",
	"trend_growth",
]

Quarter = tuple[int, int]


class QuotaError(ValueError):
	"""Invalid quota input (negative amounts, bad quarter, parameters out of range ...)."""


class BasisStep(NamedTuple):
	"""One human-readable step of the calculation."""

	label: str
	value: float


def _number(value: Any, what: str, low: float = 0.0, high: float = math.inf) -> float:
	if isinstance(value, bool) or not isinstance(value, Real | Decimal):
		raise QuotaError(f"{what} must be a number, got {value!r}")
	number = float(value)
	if not math.isfinite(number) or not low <= number <= high:
		raise QuotaError(f"{what} must be between {low:g} and {high:g}, got {value!r}")
	return number


@dataclass(frozen=True)
class QuotaParams:
	"""Parameters of :func:`suggest_quota` (all validated on creation).

	``trend_weight`` 0..1, ``max_growth`` ≥ 0, ``max_decline`` 0..1, ``competition_damping`` 0..1,
	``purchasing_power_weight`` 0..1, ``round_to`` > 0 (rounding unit of the amount).
	"""

	trend_weight: float = 0.5
	max_growth: float = 0.3
	max_decline: float = 0.1
	competition_damping: float = 0.1
	purchasing_power_weight: float = 0.5
	round_to: float = 1.0

	def __post_init__(self) -> None:
		for name in ("trend_weight", "max_decline", "competition_damping", "purchasing_power_weight"):
			_number(getattr(self, name), name, 0.0, 1.0)
		_number(self.max_growth, "max_growth")
		if _number(self.round_to, "round_to") == 0:
			raise QuotaError("round_to must be greater than 0")


@dataclass(frozen=True)
class QuotaSuggestion:
	"""A suggested quota; ``base_source`` is one of ``same_quarter_last_year``,
	``recent_average``, ``fallback`` or ``none``."""

	quarter: Quarter
	amount: float
	base: float
	base_source: str
	basis: tuple[BasisStep, ...]


def _quarter(value: Any, what: str = "quarter") -> Quarter:
	if not isinstance(value, tuple | list) or len(value) != 2:
		raise QuotaError(f"{what} must be a (year, quarter) pair, got {value!r}")
	year, quarter = value
	if any(isinstance(part, bool) or not isinstance(part, int) for part in (year, quarter)):
		raise QuotaError(f"{what} must hold integers, got {value!r}")
	if not 1 <= quarter <= 4 or not 1 <= year <= 9999:
		raise QuotaError(f"{what} is out of range: {value!r}")
	return int(year), int(quarter)


def quarter_of(day: date) -> Quarter:
	"""Return the ``(year, quarter)`` containing ``day``."""
	if not isinstance(day, date):
		raise QuotaError(f"expected a date, got {day!r}")
	return day.year, (day.month - 1) // 3 + 1


def shift_quarter(quarter: Quarter, offset: int) -> Quarter:
	"""Return the quarter ``offset`` quarters after ``quarter`` (negative goes back)."""
	year, number = _quarter(quarter)
	index = year * 4 + (number - 1) + offset
	return index // 4, index % 4 + 1


def competition_intensity(report_count: int, saturation: int = 10) -> float:
	"""Normalise a count of competitor-move reports to 0..1: ``min(count / saturation, 1)``."""
	count = _number(report_count, "report_count")
	limit = _number(saturation, "saturation")
	if limit == 0:
		raise QuotaError("saturation must be greater than 0")
	return min(count / limit, 1.0)


def _history(history: Mapping[Any, Any]) -> dict[Quarter, float]:
	if not isinstance(history, Mapping):
		raise QuotaError(f"history must be a mapping of (year, quarter) to amount, got {history!r}")
	return {
		_quarter(key, "history key"): _number(value, f"amount of {key!r}") for key, value in history.items()
	}


def trend_growth(history: Mapping[Quarter, float], quarter: Quarter) -> float | None:
	"""Return ``Σ(last 4 quarters) / Σ(previous 4) - 1`` before ``quarter``, or ``None``.

	``None`` when any of the 8 quarters is missing from ``history`` or the previous sum is 0.
	"""
	clean = _history(history)
	window = [shift_quarter(quarter, -offset) for offset in range(1, 9)]
	if any(item not in clean for item in window):
		return None
	recent = math.fsum(clean[item] for item in window[:4])
	previous = math.fsum(clean[item] for item in window[4:])
	return None if previous == 0 else recent / previous - 1


def _label(quarter: Quarter) -> str:
	return f"{quarter[0]} Q{quarter[1]}"


def _base(
	history: dict[Quarter, float], quarter: Quarter, fallback: float | None
) -> tuple[float, str, BasisStep]:
	last_year = shift_quarter(quarter, -4)
	if last_year in history:
		value = history[last_year]
		return (
			value,
			"same_quarter_last_year",
			BasisStep(f"Base: same quarter last year ({_label(last_year)})", value),
		)
	recent = [history[q] for q in (shift_quarter(quarter, -n) for n in range(1, 5)) if q in history]
	if recent:
		value = math.fsum(recent) / len(recent)
		label = f"Base: average of the {len(recent)} recorded quarter(s) of the last 4"
		return value, "recent_average", BasisStep(label, value)
	if fallback is not None:
		return fallback, "fallback", BasisStep("Base: no history, fallback (territory average)", fallback)
	return 0.0, "none", BasisStep("Base: no history and no fallback", 0.0)


def _round_to(value: float, unit: float) -> float:
	step = Decimal(repr(unit))
	units = (Decimal(repr(value)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
	return float(units * step)


def _clamp(factor: float, params: QuotaParams) -> tuple[float, BasisStep | None]:
	low, high = 1 - params.max_decline, 1 + params.max_growth
	if factor > high:
		return high, BasisStep(f"Clamped to maximum growth +{params.max_growth:.0%}", high)
	if factor < low:
		return low, BasisStep(f"Clamped to maximum decline -{params.max_decline:.0%}", low)
	return factor, None


def suggest_quota(
	history: Mapping[Quarter, float],
	quarter: Quarter,
	purchasing_power: float = 1.0,
	competition: float = 0.0,
	params: QuotaParams | None = None,
	fallback_amount: float | None = None,
) -> QuotaSuggestion:
	"""Suggest the quota of ``quarter`` (see the module docstring for every step).

	``history`` maps ``(year, quarter)`` to a non-negative amount; ``purchasing_power`` is the
	territory index (≥ 0, 1.0 = average); ``competition`` the competitor intensity 0..1;
	``fallback_amount`` (≥ 0) the base used when there is no usable history.  Raises
	:class:`QuotaError` for negative or non-numeric inputs and out-of-range values.
	"""
	params = params or QuotaParams()
	target = _quarter(quarter)
	clean = {key: value for key, value in _history(history).items() if key < target}
	index = _number(purchasing_power, "purchasing_power")
	intensity = _number(competition, "competition", 0.0, 1.0)
	fallback = None if fallback_amount is None else _number(fallback_amount, "fallback_amount")

	base, source, base_step = _base(clean, target, fallback)
	growth = trend_growth(clean, target)
	trend = max(0.0, 1 + params.trend_weight * (growth or 0.0))
	power = 1 + params.purchasing_power_weight * (index - 1)
	rivalry = 1 - params.competition_damping * intensity
	combined = trend * power * rivalry
	factor, clamp_step = _clamp(combined, params)
	amount = _round_to(base * factor, params.round_to)

	steps = [base_step]
	if growth is None:
		steps.append(
			BasisStep("Trend: needs 8 recorded quarters and a non-zero earlier 4, growth taken as 0", 0.0)
		)
	else:
		steps.append(BasisStep("Trend: growth of the last 4 quarters vs the previous 4", growth))
	steps += [
		BasisStep(f"Trend factor = 1 + {params.trend_weight:g} * growth", trend),
		BasisStep(
			f"Purchasing-power factor = 1 + {params.purchasing_power_weight:g} * ({index:g} - 1)", power
		),
		BasisStep(f"Competition factor = 1 - {params.competition_damping:g} * {intensity:g}", rivalry),
		BasisStep("Combined factor", combined),
	]
	if clamp_step is not None:
		steps.append(clamp_step)
	steps.append(BasisStep(f"Suggested quota (rounded to {params.round_to:g})", amount))
	return QuotaSuggestion(quarter=target, amount=amount, base=base, base_source=source, basis=tuple(steps))
