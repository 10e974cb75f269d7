"""When is a customer dormant? Pure functions, no Frappe.

A customer is dormant on ``as_of`` when either

* it has made no purchase for at least ``dormant_days`` days (``reason = "no_purchase"``), or
* it has a typical reorder interval and is overdue against it: the days since its last purchase
  exceed ``tolerance`` times that interval (``reason = "overdue"``).

The typical reorder interval is the mean gap between its first and last purchase days,
``(last - first) / (purchase_days - 1)``, and is known only with at least ``min_purchases`` distinct
purchase days (default 3, i.e. two gaps), since one gap says little about a habit.  A customer that
never bought is not dormant: telesales works *repeat* business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["Dormancy", "DormancyError", "dormancy", "typical_interval"]


class DormancyError(ValueError):
	"""Invalid dormancy input."""


@dataclass(frozen=True)
class Dormancy:
	dormant: bool
	reason: str | None
	days_since_last: int | None
	typical_interval: float | None


def typical_interval(
	first: date | None, last: date | None, purchase_days: int, min_purchases: int = 3
) -> float | None:
	"""Mean days between purchases, or None when there are fewer than ``min_purchases`` purchase days."""
	if first is None or last is None or purchase_days < max(min_purchases, 2):
		return None
	if last < first:
		raise DormancyError("the last purchase cannot be before the first")
	return (last - first).days / (purchase_days - 1)


def dormancy(
	as_of: date,
	first: date | None,
	last: date | None,
	purchase_days: int,
	dormant_days: int,
	tolerance: float = 1.5,
	min_purchases: int = 3,
) -> Dormancy:
	"""Classify one customer (see the module docstring)."""
	if dormant_days < 1:
		raise DormancyError(f"dormant_days must be at least 1, got {dormant_days!r}")
	if tolerance < 1:
		raise DormancyError(f"tolerance must be at least 1, got {tolerance!r}")
	if purchase_days < 0:
		raise DormancyError(f"purchase_days must not be negative, got {purchase_days!r}")
	if last is None or purchase_days == 0:
		return Dormancy(False, None, None, None)
	since = (as_of - last).days
	if since < 0:
		raise DormancyError("the last purchase cannot be after as_of")
	interval = typical_interval(first, last, purchase_days, min_purchases)
	if since >= dormant_days:
		return Dormancy(True, "no_purchase", since, interval)
	if interval and since > interval * tolerance:
		return Dormancy(True, "overdue", since, interval)
	return Dormancy(False, None, since, interval)
