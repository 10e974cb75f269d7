import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales_reengineering.core.proration import ProrationError, is_prorated, prorate_target


@pytest.mark.parametrize("unit", ["Count", "Currency", "Number"])
def test_summed_quantities_are_divided_by_three_for_a_month(unit):
	assert prorate_target(300, unit, "Sum") == 100
	assert prorate_target(10, unit, "Sum") == pytest.approx(10 / 3)


@pytest.mark.parametrize(
	("unit", "rollup"),
	[
		("Percent", "Sum"),
		("Rating", "Sum"),
		("Percent", "Average"),
		("Count", "Average"),
		("Currency", "Average"),
	],
)
def test_levels_keep_their_target(unit, rollup):
	assert prorate_target(80, unit, rollup) == 80
	assert not is_prorated(unit, rollup)


def test_missing_rollup_counts_as_sum_and_two_months_of_a_quarter():
	assert is_prorated("Count", None)
	assert prorate_target(90, "Count", None, months=2) == 60
	assert prorate_target(90, "Count", "Sum", months=3) == 90
	assert prorate_target(120, "Currency", "Sum", months=1, period_months=12) == 10


def test_zero_target_stays_zero():
	assert prorate_target(0, "Currency", "Sum") == 0


@pytest.mark.parametrize(
	"kwargs",
	[
		{"target": -1},
		{"target": "10"},
		{"target": True},
		{"target": 10, "months": 0},
		{"target": 10, "months": 4},
		{"target": 10, "months": 1.5},
		{"target": 10, "period_months": 0},
	],
)
def test_rejections(kwargs):
	with pytest.raises(ProrationError):
		prorate_target(unit="Count", rollup_method="Sum", **kwargs)


@given(
	st.floats(min_value=0, max_value=1e12, allow_nan=False), st.sampled_from(["Count", "Currency", "Number"])
)
def test_three_months_add_up_to_the_quarter(target, unit):
	assert sum(prorate_target(target, unit, "Sum") for _ in range(3)) == pytest.approx(target)
