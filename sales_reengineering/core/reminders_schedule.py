"""Pure scheduling rules of the reminder engine: quiet hours and repeat cycles. No frappe import."""

from __future__ import annotations

from datetime import date, datetime, time


def in_quiet_hours(moment: datetime, start: time, end: time) -> bool:
	"""True when `moment` (site time) falls in the quiet window [start, end).

	The window may span midnight (22:00-08:00). start == end means no quiet hours."""
	now = moment.time()
	if start == end:
		return False
	if start < end:
		return start <= now < end
	return now >= start or now < end


def period_key(due: date, today: date, repeat_days: int) -> str | None:
	"""Which occurrence of a reminder is due on `today`, or None when it is not due yet.

	Without repeat there is one occurrence, keyed by its due date. With a repeat interval the
	occurrence is the repeat cycle `today` falls in, counted from the due date: a run that was
	missed for a few days still finds the cycle it missed (catch-up), and a second run on the same
	day finds the same key (idempotence)."""
	if due > today:
		return None
	if not repeat_days or repeat_days < 1:
		return due.isoformat()
	cycle = (today - due).days // repeat_days
	return f"{due.isoformat()}#{cycle}"


def behind_pace(score: float, from_date: date, to_date: date, today: date) -> bool:
	"""A task is behind pace when its score (% of target) is below the elapsed share of its period."""
	total = (to_date - from_date).days + 1
	if total <= 0 or today < from_date:
		return False
	elapsed = min((today - from_date).days + 1, total)
	return score < 100.0 * elapsed / total
