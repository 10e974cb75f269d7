from datetime import date

import pytest

from sales_reengineering.core.channel_hierarchy import (
	GENERAL_AGENT,
	LEVELS,
	PROVINCIAL_DEALER,
	SUB_DEALER,
	is_group_level,
	parent_level_error,
	protection_end,
)


def test_general_agent_is_a_root():
	assert parent_level_error(GENERAL_AGENT, None) is None
	assert parent_level_error(GENERAL_AGENT, GENERAL_AGENT) == "no_parent_allowed"
	assert parent_level_error(GENERAL_AGENT, PROVINCIAL_DEALER) == "no_parent_allowed"


def test_provincial_dealer_sits_under_a_general_agent():
	assert parent_level_error(PROVINCIAL_DEALER, GENERAL_AGENT) is None
	assert parent_level_error(PROVINCIAL_DEALER, None) == "parent_required"
	assert parent_level_error(PROVINCIAL_DEALER, PROVINCIAL_DEALER) == "wrong_parent_level"
	assert parent_level_error(PROVINCIAL_DEALER, SUB_DEALER) == "wrong_parent_level"


def test_sub_dealer_sits_under_a_provincial_dealer():
	assert parent_level_error(SUB_DEALER, PROVINCIAL_DEALER) is None
	assert parent_level_error(SUB_DEALER, GENERAL_AGENT) == "wrong_parent_level"
	assert parent_level_error(SUB_DEALER, SUB_DEALER) == "wrong_parent_level"
	assert parent_level_error(SUB_DEALER, "") == "parent_required"


def test_unknown_level():
	assert parent_level_error("Reseller", GENERAL_AGENT) == "unknown_level"
	assert parent_level_error(None, None) == "unknown_level"


def test_group_levels():
	assert [is_group_level(level) for level in LEVELS] == [True, True, False]
	assert not is_group_level("Reseller")


def test_protection_end_counts_the_first_day():
	assert protection_end(date(2026, 1, 1), 1) == date(2026, 1, 1)
	assert protection_end(date(2026, 1, 31), 30) == date(2026, 3, 1)


@pytest.mark.parametrize("days", [0, -5])
def test_protection_needs_a_positive_length(days):
	with pytest.raises(ValueError):
		protection_end(date(2026, 1, 1), days)


from sales_reengineering.core.channel_hierarchy import DEMOTE, KEEP, PROMOTE, next_tier, propose_tier_change


def test_propose_tier_change():
	assert propose_tier_change(130, None, 120, 80) == PROMOTE
	assert propose_tier_change(130, 105, 120, 80) == PROMOTE
	assert propose_tier_change(130, 95, 120, 80) == KEEP, "a weak scorecard blocks promotion"
	assert propose_tier_change(130, 70, 120, 80) == DEMOTE
	assert propose_tier_change(79.9, None, 120, 80) == DEMOTE
	assert propose_tier_change(100, None, 120, 80) == KEEP
	assert propose_tier_change(None, 50, 120, 80) == KEEP


def test_thresholds_must_be_ordered():
	with pytest.raises(ValueError):
		propose_tier_change(100, None, 80, 80)


def test_next_tier():
	ladder = ["Silver", "Gold", "Platinum"]
	assert next_tier("Silver", PROMOTE, ladder) == "Gold"
	assert next_tier("Platinum", PROMOTE, ladder) == "Platinum"
	assert next_tier("Gold", DEMOTE, ladder) == "Silver"
	assert next_tier("Silver", DEMOTE, ladder) == "Silver"
	assert next_tier("Gold", KEEP, ladder) == "Gold"
	assert next_tier(None, PROMOTE, ladder) == "Silver"
	assert next_tier(None, DEMOTE, ladder) is None
	assert next_tier("Gold", PROMOTE, []) == "Gold"
