from dataclasses import dataclass
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales_reengineering.core.ranking import RankingError, rank, top_performers


def people(*pairs):
	return [{"name": name, "score": score} for name, score in pairs]


def ranks(ranked):
	return [(position, item["name"]) for position, item in ranked]


DATA = people(("Zhao", 90), ("Qian", 120), ("Sun", 100), ("Li", 100), ("Zhou", 80))


def test_competition_ranking_with_ties_ordered_by_name():
	assert ranks(rank(DATA, "score")) == [(1, "Qian"), (2, "Li"), (2, "Sun"), (4, "Zhao"), (5, "Zhou")]


def test_dense_ranking():
	assert ranks(rank(DATA, "score", method="dense")) == [
		(1, "Qian"),
		(2, "Li"),
		(2, "Sun"),
		(3, "Zhao"),
		(4, "Zhou"),
	]


def test_ordinal_ranking():
	assert [p for p, _ in rank(DATA, "score", method="ordinal")] == [1, 2, 3, 4, 5]


def test_ascending_ranking():
	assert ranks(rank(DATA, "score", reverse=False))[:2] == [(1, "Zhou"), (2, "Zhao")]


def test_all_tied_and_empty():
	tied = people(("B", 1), ("A", 1), ("C", 1))
	assert ranks(rank(tied, "score")) == [(1, "A"), (1, "B"), (1, "C")]
	assert ranks(rank(tied, "score", method="dense")) == [(1, "A"), (1, "B"), (1, "C")]
	assert rank([], "score") == []


def test_none_scores_are_last_as_one_group():
	data = people(("A", None), ("B", 5), ("C", None), ("D", 7))
	assert ranks(rank(data, "score")) == [(1, "D"), (2, "B"), (3, "A"), (3, "C")]
	assert ranks(rank(data, "score", reverse=False)) == [(1, "B"), (2, "D"), (3, "A"), (3, "C")]


def test_callable_key_objects_and_input_order_without_names():
	@dataclass
	class Card:
		person: str
		total: float

	cards = [Card("x", 1.0), Card("y", 2.0), Card("z", 2.0)]
	ranked = rank(cards, lambda card: card.total, name=None)
	assert [(p, c.person) for p, c in ranked] == [(1, "y"), (1, "z"), (3, "x")]
	by_person = rank(cards, "total", name="person")
	assert [(p, c.person) for p, c in by_person] == [(1, "y"), (1, "z"), (3, "x")]


@pytest.mark.parametrize(
	("items", "kwargs"),
	[
		(people(("A", 1)), {"method": "fractional"}),
		(people(("A", "high")), {}),
		(people(("A", float("nan"))), {}),
		(people(("A", True)), {}),
		([{"name": "A"}], {}),
	],
)
def test_rank_rejects_bad_input(items, kwargs):
	with pytest.raises(RankingError):
		rank(items, "score", **kwargs)


def test_top_performers_beat_target():
	data = people(("A", 100), ("B", 99.99), ("C", 130), ("D", None))
	ranked = rank(data, "score")
	assert ranks(top_performers(ranked)) == [(1, "C"), (2, "A")]
	assert ranks(top_performers(ranked, min_score=99.99)) == [(1, "C"), (2, "A"), (3, "B")]
	with pytest.raises(RankingError):
		top_performers(ranked, min_score=None)


@given(
	st.lists(st.integers(min_value=0, max_value=5), max_size=30), st.sampled_from(["competition", "dense"])
)
def test_property_rank_invariants(scores, method):
	items = [{"name": f"p{i:02d}", "score": score} for i, score in enumerate(scores)]
	ranked = rank(items, "score", method=method)
	positions = [position for position, _ in ranked]
	assert positions == sorted(positions)
	if ranked:
		assert positions[0] == 1
	for (p1, a), (p2, b) in pairwise(ranked):
		assert (p1 == p2) == (a["score"] == b["score"])
	if method == "dense":
		assert max(positions, default=0) == len(set(scores))
	else:
		for position, item in ranked:
			assert position == 1 + sum(score > item["score"] for score in scores)
