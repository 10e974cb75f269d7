"""Ranking with ties.

Rules
    * Items are ordered by their value (highest first with ``reverse=True``, the default).
    * Equal values are tied.  Values are compared exactly, so rank on the *rounded* score
      (``ScoreResult.total``) rather than on raw floats.
    * Tied items are listed in ascending order of their name (secondary key, default the ``name``
      field; items without a name keep their input order) so that the output is deterministic.
    * ``None`` (no score) is always placed after every scored item, regardless of ``reverse``;
      all ``None`` items form one tie group.
    * Tie methods: ``"competition"`` gives 1, 2, 2, 4 (a tie uses up the following ranks);
      ``"dense"`` gives 1, 2, 2, 3; ``"ordinal"`` gives 1, 2, 3, 4 (ties broken by name).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from numbers import Real
from typing import Any, TypeVar

__all__ = ["BEAT_TARGET", "METHODS", "RankingError", "rank", "top_performers"]

T = TypeVar("T")

BEAT_TARGET = 100.0
"""A score at or above this value means the target was beaten (score cards are in percent)."""

METHODS = ("competition", "dense", "ordinal")


class RankingError(ValueError):
	"""Invalid ranking input (unknown method, non-numeric or NaN value, missing key)."""


_MISSING = object()


def _lookup(item: Any, field: str) -> Any:
	"""Read ``field`` from a mapping or an object; return ``_MISSING`` when absent."""
	if isinstance(item, dict) or hasattr(item, "keys"):
		try:
			return item[field]
		except (KeyError, TypeError):
			return _MISSING
	return getattr(item, field, _MISSING)


def _getter(key: str | Callable[[Any], Any]) -> Callable[[Any], Any]:
	if callable(key):
		return key

	def get(item: Any) -> Any:
		value = _lookup(item, key)
		if value is _MISSING:
			raise RankingError(f"item {item!r} has no field {key!r}")
		return value

	return get


def _value(raw: Any) -> float | None:
	if raw is None:
		return None
	if isinstance(raw, bool) or not isinstance(raw, Real | Decimal):
		raise RankingError(f"ranking values must be numbers or None, got {raw!r}")
	value = float(raw)
	if math.isnan(value):
		raise RankingError("ranking values must not be NaN")
	return value


def _name(item: Any, name: str | Callable[[Any], Any] | None) -> str:
	if name is None:
		return ""
	value = name(item) if callable(name) else _lookup(item, name)
	return "" if value is _MISSING or value is None else str(value)


def rank(
	items: Iterable[T],
	key: str | Callable[[T], Any],
	reverse: bool = True,
	method: str = "competition",
	name: str | Callable[[T], Any] | None = "name",
) -> list[tuple[int, T]]:
	"""Rank ``items`` by ``key`` and return ``[(rank, item), ...]`` in rank order.

	``key`` is a field name (mapping key or attribute) or a callable returning a number or ``None``.
	``name`` is the secondary key that orders tied items ascending (field name or callable; ``None``
	keeps input order).  See the module docstring for the tie rules.  Raises :class:`RankingError`
	for an unknown method, a missing key field, or a value that is not a number/None or is NaN.
	"""
	if method not in METHODS:
		raise RankingError(f"unknown ranking method {method!r}; expected one of {', '.join(METHODS)}")
	get = _getter(key)
	entries = [(_value(get(item)), _name(item, name), index, item) for index, item in enumerate(items)]

	def order(entry: tuple[float | None, str, int, T]) -> tuple:
		value, label, index, _ = entry
		if value is None:
			return (1, 0.0, label, index)
		return (0, -value if reverse else value, label, index)

	entries.sort(key=order)
	return _assign(entries, method)


def _assign(entries: Sequence[tuple[float | None, str, int, T]], method: str) -> list[tuple[int, T]]:
	ranked: list[tuple[int, T]] = []
	current = 0
	for position, (value, _, _, item) in enumerate(entries, start=1):
		tied = position > 1 and value == entries[position - 2][0]
		if method == "ordinal" or not tied:
			current = position if method != "dense" else (current + 1)
		ranked.append((current, item))
	return ranked


def top_performers(
	ranked: Iterable[tuple[int, T]],
	min_score: float = BEAT_TARGET,
	key: str | Callable[[T], Any] = "score",
) -> list[tuple[int, T]]:
	"""Return the ``(rank, item)`` pairs whose score (``key``) is ≥ ``min_score``, in input order.

	With the default ``min_score`` of 100 this is the "beat target" list.  Items without a score
	(``None``) are never included.
	"""
	get = _getter(key)
	threshold = _value(min_score)
	if threshold is None:
		raise RankingError("min_score must be a number")
	result = []
	for position, item in ranked:
		value = _value(get(item))
		if value is not None and value >= threshold:
			result.append((position, item))
	return result
