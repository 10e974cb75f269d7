"""When will a customer buy again? Pure functions, no Frappe.

A customer's purchase days are the distinct posting dates of its submitted, non-return invoices. From
them:

* the **typical interval** is the *median* gap between consecutive purchase days. The median, not the
  mean: one long pause (a budget freeze, a lost year) would pull a mean far from the customer's habit,
  while the median stays on what the customer usually does. It is known only with at least
  ``min_purchases`` purchase days (default 3, i.e. two gaps), since one gap says little about a habit;
* the **predicted next purchase** is the last purchase day plus the typical interval (rounded to whole
  days);
* the customer is **overdue** on ``as_of`` when more than ``multiple`` times the typical interval has
  passed since the last purchase, i.e. ``as_of`` is past ``overdue_from`` = last purchase + interval x
  multiple (``multiple`` >= 1; 1 means "the day after the predicted date");
* the customer is **lapsed** when it has made no purchase for at least ``dormant_days`` days, whatever its
  interval (that also catches customers with too few purchases for a prediction).

A customer that never bought has no prediction: telesales works *repeat* business.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from sales_reengineering.core.customer_intelligence_dormancy import Dormancy, DormancyError

__all__ = [
	"Prediction",
	"PredictionError",
	"classify",
	"predict_next_purchase",
	"purchase_gaps",
]

PredictionError = DormancyError


@dataclass(frozen=True)
class Prediction:
	last_purchase: date
	purchase_days: int
	interval: float | None  # the median gap in days, None with too few purchase days
	next_purchase: date | None  # last purchase + interval, None without an interval


def purchase_gaps(days: Iterable[date]) -> list[int]:
	"""Days between consecutive distinct purchase days, in date order."""
	ordered = sorted(set(days))
	return [(later - earlier).days for earlier, later in zip(ordered, ordered[1:])]


def predict_next_purchase(days: Iterable[date], min_purchases: int = 3) -> Prediction | None:
	"""The prediction from a customer's purchase days (any order, duplicates allowed); None when it
	never bought."""
	if min_purchases < 2:
		raise PredictionError(f"min_purchases must be at least 2, got {min_purchases!r}")
	distinct = sorted(set(days))
	if not distinct:
		return None
	last = distinct[-1]
	if len(distinct) < min_purchases:
		return Prediction(last, len(distinct), None, None)
	interval = float(median(purchase_gaps(distinct)))
	return Prediction(last, len(distinct), interval, last + timedelta(days=round(interval)))


def classify(
	as_of: date,
	last_purchase: date | None,
	interval: float | None,
	dormant_days: int,
	multiple: float = 1.5,
) -> Dormancy:
	"""Whether a customer with this last purchase and typical interval should be called on `as_of`:
	``reason`` "no_purchase" (lapsed) or "overdue" (see the module docstring)."""
	if dormant_days < 1:
		raise PredictionError(f"dormant_days must be at least 1, got {dormant_days!r}")
	if multiple < 1:
		raise PredictionError(f"the overdue multiple must be at least 1, got {multiple!r}")
	if last_purchase is None:
		return Dormancy(False, None, None, None)
	since = (as_of - last_purchase).days
	if since < 0:
		raise PredictionError("the last purchase cannot be after as_of")
	if since >= dormant_days:
		return Dormancy(True, "no_purchase", since, interval)
	if interval and since > interval * multiple:
		return Dormancy(True, "overdue", since, interval)
	return Dormancy(False, None, since, interval)
