"""Dealer hierarchy rules (pure, no Frappe).

S company's channel has three levels. A general agent is a root (it answers only to the company), a
provincial dealer buys from a general agent, and a sub-dealer buys from a provincial dealer.
"""

from __future__ import annotations

from datetime import date, timedelta

GENERAL_AGENT = "General Agent"
PROVINCIAL_DEALER = "Provincial Dealer"
SUB_DEALER = "Sub-Dealer"

LEVELS = (GENERAL_AGENT, PROVINCIAL_DEALER, SUB_DEALER)
"""Dealer levels, top of the chain first."""

PARENT_LEVEL: dict[str, str | None] = {
	GENERAL_AGENT: None,
	PROVINCIAL_DEALER: GENERAL_AGENT,
	SUB_DEALER: PROVINCIAL_DEALER,
}
"""level -> the level its parent must have (None: it has no parent)."""


def is_group_level(level: str) -> bool:
	"""A dealer of this level may have dealers under it."""
	return level in LEVELS and any(parent == level for parent in PARENT_LEVEL.values())


def parent_level_error(level: str | None, parent_level: str | None) -> str | None:
	"""Why a dealer of ``level`` may not sit under a parent of ``parent_level`` (None: no parent).

	Returns None when the placement is allowed, else one of ``"unknown_level"``,
	``"parent_required"``, ``"no_parent_allowed"`` and ``"wrong_parent_level"``."""
	if level not in PARENT_LEVEL:
		return "unknown_level"
	expected = PARENT_LEVEL[level]
	if expected is None:
		return "no_parent_allowed" if parent_level else None
	if not parent_level:
		return "parent_required"
	return None if parent_level == expected else "wrong_parent_level"


def protection_end(start: date, days: int) -> date:
	"""The last protected day of a protection that starts on ``start`` and lasts ``days`` days."""
	if days < 1:
		raise ValueError(f"a protection lasts at least one day, not {days}")
	return start + timedelta(days=days - 1)


PROMOTE, DEMOTE, KEEP = "Promote", "Demote", "Keep"


def propose_tier_change(
	attainment: float | None, kpi_score: float | None, promote_at: float, demote_below: float
) -> str:
	"""Promote, Demote or Keep a dealer from its purchase-target attainment and KPI score (both in %).

	Promote when attainment reaches `promote_at` and the KPI score, if there is one, is at least 100;
	demote when attainment or the KPI score falls below `demote_below`. No target: keep."""
	if promote_at <= demote_below:
		raise ValueError("the promotion threshold must be above the demotion threshold")
	if attainment is None:
		return KEEP
	if attainment < demote_below or (kpi_score is not None and kpi_score < demote_below):
		return DEMOTE
	if attainment >= promote_at and (kpi_score is None or kpi_score >= 100):
		return PROMOTE
	return KEEP


def next_tier(current: str | None, change: str, ladder: list[str]) -> str | None:
	"""The tier after `change` on `ladder` (lowest first). A dealer without a tier is promoted to the
	lowest tier; the ends of the ladder stay where they are."""
	if not ladder:
		return current
	if current not in ladder:
		return ladder[0] if change == PROMOTE else current
	index = ladder.index(current)
	if change == PROMOTE:
		return ladder[min(index + 1, len(ladder) - 1)]
	if change == DEMOTE:
		return ladder[max(index - 1, 0)]
	return current
