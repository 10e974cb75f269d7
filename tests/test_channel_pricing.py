import pytest

from sales_reengineering.core.channel_pricing import (
	FLOOR_PRICE,
	MAXIMUM_DISCOUNT,
	floor_rate,
	is_below_floor,
	pick_policy,
)

ITEM_POLICY = {"item_code": "SRV-1", "policy_type": FLOOR_PRICE, "floor_price": 900}
GROUP_POLICY = {"item_group": "Servers", "policy_type": MAXIMUM_DISCOUNT, "max_discount": 10}
PARENT_POLICY = {"item_group": "Hardware", "policy_type": FLOOR_PRICE, "floor_price": 50}


def test_item_policy_wins_over_group():
	assert pick_policy("SRV-1", ["Servers", "Hardware"], [GROUP_POLICY, ITEM_POLICY]) is ITEM_POLICY


def test_nearest_group_wins():
	policies = [PARENT_POLICY, GROUP_POLICY]
	assert pick_policy("SRV-2", ["Servers", "Hardware"], policies) is GROUP_POLICY
	assert pick_policy("SW-1", ["Software", "Hardware"], policies) is PARENT_POLICY


def test_no_policy():
	assert pick_policy("SW-1", ["Software"], [ITEM_POLICY, GROUP_POLICY]) is None
	assert pick_policy("SW-1", [], []) is None


def test_floor_rate():
	assert floor_rate(ITEM_POLICY, None) == 900
	assert floor_rate(GROUP_POLICY, 1000) == 900
	assert floor_rate(GROUP_POLICY, None) is None
	with pytest.raises(ValueError):
		floor_rate({"policy_type": "Other"}, 10)


def test_below_floor_ignores_rounding():
	assert is_below_floor(899.99, 900)
	assert not is_below_floor(899.999, 900)
	assert not is_below_floor(900, 900)
	assert not is_below_floor(1, None)
