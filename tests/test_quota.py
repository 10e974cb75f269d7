from datetime import date

import pytest

from sales_reengineering.core.quota import (
	BasisStep,
	QuotaError,
	QuotaParams,
	competition_intensity,
	quarter_of,
	shift_quarter,
	suggest_quota,
	trend_growth,
)

NEUTRAL = QuotaParams(
	trend_weight=0, purchasing_power_weight=0, competition_damping=0, max_growth=10, max_decline=1
)


def two_years(first=100.0, second=120.0):
	"""2023 at ``first`` per quarter, 2024 at ``second`` per quarter."""
	history = {(2023, q): first for q in range(1, 5)}
	history.update({(2024, q): second for q in range(1, 5)})
	return history


def test_quarter_helpers():
	assert quarter_of(date(2025, 1, 1)) == (2025, 1)
	assert quarter_of(date(2025, 6, 30)) == (2025, 2)
	assert quarter_of(date(2025, 12, 31)) == (2025, 4)
	assert shift_quarter((2025, 1), -1) == (2024, 4)
	assert shift_quarter((2024, 4), 1) == (2025, 1)
	assert shift_quarter((2025, 2), -8) == (2023, 2)
	for bad in ((2025, 5), (2025, 0), ("2025", 1), (2025,), 2025):
		with pytest.raises(QuotaError):
			shift_quarter(bad, 1)


def test_competition_intensity():
	assert competition_intensity(0) == 0.0
	assert competition_intensity(5) == 0.5
	assert competition_intensity(25) == 1.0
	assert competition_intensity(3, saturation=4) == 0.75
	for count, saturation in ((-1, 10), (1, 0), (1.5, -2)):
		with pytest.raises(QuotaError):
			competition_intensity(count, saturation)


def test_trend_growth():
	assert trend_growth(two_years(), (2025, 1)) == pytest.approx(0.2)
	assert trend_growth(two_years(), (2025, 2)) is None  # window (2023, 2)..(2025, 1) lacks 2025 Q1
	assert trend_growth(two_years(first=0), (2025, 1)) is None  # previous sum 0


def test_full_calculation_with_basis():
	params = QuotaParams(trend_weight=0.5, purchasing_power_weight=0.5, competition_damping=0.1)
	history = two_years()
	history[(2024, 1)] = 150.0  # same quarter last year
	suggestion = suggest_quota(history, (2025, 1), purchasing_power=1.2, competition=0.5, params=params)
	growth = (150 + 120 * 3) / 400 - 1  # 0.275
	factor = (1 + 0.5 * growth) * (1 + 0.5 * 0.2) * (1 - 0.1 * 0.5)
	assert suggestion.base == 150.0 and suggestion.base_source == "same_quarter_last_year"
	assert suggestion.amount == round(150 * factor)
	labels = [step.label for step in suggestion.basis]
	assert labels[0] == "Base: same quarter last year (2024 Q1)"
	assert suggestion.basis[1] == BasisStep("Trend: growth of the last 4 quarters vs the previous 4", growth)
	assert suggestion.basis[-1].value == suggestion.amount
	assert all(isinstance(step, tuple) and len(step) == 2 for step in suggestion.basis)
	assert not any("Clamped" in label for label in labels)


def test_clamps_growth_and_decline():
	high = suggest_quota(two_years(100, 400), (2025, 1), purchasing_power=2.0)
	assert high.amount == 520
	assert any(label.startswith("Clamped to maximum growth +30%") for label, _ in high.basis)
	low = suggest_quota(two_years(400, 100), (2025, 1), purchasing_power=0.5, competition=1.0)
	assert low.amount == 90
	assert any(label.startswith("Clamped to maximum decline -10%") for label, _ in low.basis)


def test_future_quarters_in_history_are_ignored():
	history = two_years()
	history[(2025, 1)] = 1_000_000.0
	assert suggest_quota(history, (2025, 1), params=NEUTRAL).amount == 120


def test_base_falls_back_to_recent_average():
	history = {(2024, 3): 100.0, (2024, 4): 200.0}
	suggestion = suggest_quota(history, (2025, 1), params=NEUTRAL)
	assert suggestion.base_source == "recent_average"
	assert suggestion.amount == 150
	assert "Trend: needs 8 recorded quarters" in suggestion.basis[1].label


def test_no_history_uses_fallback_or_zero():
	fallback = suggest_quota({}, (2025, 1), fallback_amount=5000, params=NEUTRAL)
	assert fallback.amount == 5000 and fallback.base_source == "fallback"
	nothing = suggest_quota({}, (2025, 1))
	assert nothing.amount == 0 and nothing.base_source == "none"
	old = suggest_quota({(2020, 1): 99.0}, (2025, 1))  # too old to be used
	assert old.base_source == "none"


def test_rounding_unit():
	params = QuotaParams(trend_weight=0, purchasing_power_weight=0, competition_damping=0, round_to=1000)
	assert suggest_quota({(2024, 1): 12_499.0}, (2025, 1), params=params).amount == 12_000
	assert suggest_quota({(2024, 1): 12_500.0}, (2025, 1), params=params).amount == 13_000
	cents = QuotaParams(trend_weight=0, purchasing_power_weight=0, competition_damping=0, round_to=0.01)
	assert suggest_quota({(2024, 1): 10.005}, (2025, 1), params=cents).amount == 10.01


@pytest.mark.parametrize(
	"kwargs",
	[
		{"history": {(2024, 1): -1.0}},
		{"history": {(2024, 5): 1.0}},
		{"history": {"2024Q1": 1.0}},
		{"history": [((2024, 1), 1.0)]},
		{"history": {(2024, 1): "100"}},
		{"purchasing_power": -0.1},
		{"competition": 1.5},
		{"competition": -0.1},
		{"fallback_amount": -1},
		{"quarter": (2025, 0)},
	],
)
def test_rejects_bad_input(kwargs):
	arguments = {"history": {(2024, 1): 1.0}, "quarter": (2025, 1)} | kwargs
	with pytest.raises(QuotaError):
		suggest_quota(**arguments)


@pytest.mark.parametrize(
	"kwargs",
	[
		{"trend_weight": 1.5},
		{"max_growth": -0.1},
		{"max_decline": 1.1},
		{"competition_damping": -1},
		{"purchasing_power_weight": 2},
		{"round_to": 0},
		{"round_to": float("inf")},
	],
)
def test_params_validation(kwargs):
	with pytest.raises(QuotaError):
		QuotaParams(**kwargs)
