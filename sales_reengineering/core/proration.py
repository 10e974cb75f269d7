"""Proration of a target to a shorter period.

A monthly ranking of a person who only has a quarterly target scores the month's actuals against the
quarterly target prorated to the month.

Rules
    * Quantities that add up over time are divided by the share of the period: indicators rolled up
      with ``Sum`` in the units ``Count``, ``Currency`` or ``Number``.  A quarter → one month is
      ``target * 1 / 3``.
    * Levels that do not add up over time keep their target unchanged: indicators rolled up with
      ``Average``, and every ``Percent`` or ``Rating`` indicator whatever its rollup.
    * ``months`` must be between 1 and ``period_months`` (both whole numbers); a negative target or a
      bad month count raises :class:`ProrationError`.
"""

from __future__ import annotations

from decimal import Decimal
from numbers import Real

__all__ = ["LEVEL_ROLLUPS", "LEVEL_UNITS", "ProrationError", "is_prorated", "prorate_target"]

LEVEL_UNITS = frozenset({"Percent", "Rating"})
"""Units measuring a level (a rate or a rating): their target is the same for any period length."""

LEVEL_ROLLUPS = frozenset({"Average"})
"""Rollup methods of levels: an average over a quarter is also the expected average of a month."""


class ProrationError(ValueError):
	"""Invalid proration input (negative or non-numeric target, bad month counts)."""


def is_prorated(unit: str | None, rollup_method: str | None) -> bool:
	"""True when a target in `unit` rolled up with `rollup_method` scales with the period length."""
	return unit not in LEVEL_UNITS and (rollup_method or "Sum") not in LEVEL_ROLLUPS


def prorate_target(
	target: float, unit: str | None, rollup_method: str | None, months: int = 1, period_months: int = 3
) -> float:
	"""The part of `target` (set for `period_months` months) that applies to `months` of them."""
	if isinstance(target, bool) or not isinstance(target, Real | Decimal):
		raise ProrationError(f"the target must be a number, got {target!r}")
	if target < 0:
		raise ProrationError(f"the target must not be negative, got {target!r}")
	for value in (months, period_months):
		if isinstance(value, bool) or not isinstance(value, int):
			raise ProrationError(f"month counts must be whole numbers, got {value!r}")
	if not 1 <= months <= period_months:
		raise ProrationError(f"months must be between 1 and {period_months}, got {months}")
	if not is_prorated(unit, rollup_method):
		return float(target)
	return float(target) * months / period_months
