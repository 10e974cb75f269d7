from datetime import date

import pytest

from sales_reengineering.core.customer_intelligence_dormancy import DormancyError, dormancy, typical_interval

AS_OF = date(2026, 6, 30)


def test_typical_interval_needs_enough_purchases():
	assert typical_interval(date(2026, 1, 1), date(2026, 3, 2), 3) == 30
	assert typical_interval(date(2026, 1, 1), date(2026, 1, 31), 2) is None
	assert typical_interval(date(2026, 1, 1), date(2026, 1, 31), 2, min_purchases=2) == 30
	assert typical_interval(None, None, 0) is None


def test_no_purchase_for_n_days():
	result = dormancy(AS_OF, date(2025, 1, 1), date(2025, 12, 1), 2, dormant_days=180)
	assert (result.dormant, result.reason, result.days_since_last) == (True, "no_purchase", 211)


def test_exactly_n_days_is_dormant_one_less_is_not():
	last = date(2026, 6, 20)
	assert dormancy(AS_OF, last, last, 1, dormant_days=10).dormant
	assert not dormancy(AS_OF, last, last, 1, dormant_days=11).dormant


def test_overdue_against_own_interval():
	# bought about every 30 days; 46 days since the last order is beyond 1.5 x 30.33
	result = dormancy(AS_OF, date(2026, 2, 13), date(2026, 5, 15), 4, dormant_days=180)
	assert result.typical_interval == pytest.approx(30.33, abs=0.01)
	assert (result.dormant, result.reason) == (True, "overdue")
	assert not dormancy(AS_OF, date(2026, 2, 13), date(2026, 5, 31), 4, dormant_days=180).dormant


def test_never_bought_is_not_dormant():
	result = dormancy(AS_OF, None, None, 0, dormant_days=30)
	assert not result.dormant and result.days_since_last is None


@pytest.mark.parametrize(
	"kwargs",
	[
		{"dormant_days": 0},
		{"dormant_days": 30, "tolerance": 0.5},
		{"dormant_days": 30, "purchase_days": -1},
	],
)
def test_bad_input(kwargs):
	args = {"as_of": AS_OF, "first": date(2026, 1, 1), "last": date(2026, 2, 1), "purchase_days": 2, **kwargs}
	with pytest.raises(DormancyError):
		dormancy(**args)


def test_future_purchase_is_rejected():
	with pytest.raises(DormancyError):
		dormancy(AS_OF, date(2026, 7, 1), date(2026, 7, 2), 2, dormant_days=30)
	with pytest.raises(DormancyError):
		typical_interval(date(2026, 2, 1), date(2026, 1, 1), 3)
