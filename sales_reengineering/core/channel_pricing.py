"""Channel price floors (pure, no Frappe).

A policy sets, for an item or an item group and a channel level, either a floor price or a maximum
discount off the list price. The most specific policy wins: an item's own policy before its item
group's, and a nearer item group before a farther one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

FLOOR_PRICE = "Floor Price"
MAXIMUM_DISCOUNT = "Maximum Discount"


def _get(item: Any, field: str) -> Any:
	return item.get(field) if isinstance(item, Mapping) else getattr(item, field, None)


def pick_policy(item_code: str, item_groups: Sequence[str], policies: Iterable[Any]) -> Any | None:
	"""The policy for `item_code`: its own, else the one of the nearest group in `item_groups` (the
	item's group first, then its ancestors). Policies carry ``item_code`` or ``item_group``."""
	by_item, by_group = None, {}
	for policy in policies:
		if _get(policy, "item_code"):
			if _get(policy, "item_code") == item_code and by_item is None:
				by_item = policy
		elif _get(policy, "item_group"):
			by_group.setdefault(_get(policy, "item_group"), policy)
	if by_item is not None:
		return by_item
	return next((by_group[group] for group in item_groups if group in by_group), None)


def floor_rate(policy: Any, list_rate: float | None) -> float | None:
	"""The lowest allowed rate under `policy`; None when it cannot be known (a discount policy and no
	list price)."""
	if _get(policy, "policy_type") == FLOOR_PRICE:
		return float(_get(policy, "floor_price") or 0)
	if _get(policy, "policy_type") == MAXIMUM_DISCOUNT:
		if not list_rate:
			return None
		return round(float(list_rate) * (1 - float(_get(policy, "max_discount") or 0) / 100), 6)
	raise ValueError(f"unknown policy type {_get(policy, 'policy_type')!r}")


def is_below_floor(rate: float, floor: float | None, tolerance: float = 0.005) -> bool:
	"""True when `rate` is under `floor` by more than rounding (`tolerance`)."""
	return floor is not None and float(rate) < floor - tolerance
