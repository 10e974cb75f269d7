from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales_reengineering.core.next_purchase import (
	PredictionError,
	classify,
	predict_next_purchase,
	purchase_gaps,
)

AS_OF = date(2026, 6, 30)


def days(*offsets: int, start: date = date(2026, 1, 1)) -> list[date]:
	return [start + timedelta(days=offset) for offset in offsets]


def test_gaps_of_distinct_days_in_order():
	assert purchase_gaps(days(60, 0, 30, 30)) == [30, 30]
	assert purchase_gaps([]) == []


def test_median_interval_and_next_date():
	prediction = predict_next_purchase(days(0, 30, 60, 90))
	assert (prediction.interval, prediction.next_purchase) == (30, date(2026, 5, 1))
	assert prediction.last_purchase == date(2026, 4, 1) and prediction.purchase_days == 4


def test_one_long_pause_does_not_move_the_median():
	# monthly, then a 300-day pause: the mean gap would be 97.5 days, the habit is 30
	prediction = predict_next_purchase(days(0, 30, 60, 90, 390))
	assert prediction.interval == 30
	assert prediction.next_purchase == date(2026, 1, 1) + timedelta(days=420)
	# gaps 10, 50, 10: the median keeps the habit
	assert predict_next_purchase(days(0, 10, 60, 70)).interval == 10


def test_even_number_of_gaps_rounds_the_date():
	prediction = predict_next_purchase(days(0, 10, 25))  # gaps 10, 15 -> 12.5
	assert prediction.interval == 12.5
	assert prediction.next_purchase == date(2026, 1, 26) + timedelta(days=round(12.5))


def test_too_few_purchases_gives_no_interval():
	prediction = predict_next_purchase(days(0, 30))
	assert (prediction.interval, prediction.next_purchase, prediction.purchase_days) == (None, None, 2)
	assert predict_next_purchase(days(0, 30), min_purchases=2).interval == 30
	assert predict_next_purchase(days(0, 0, 0)).purchase_days == 1  # the same day counts once


def test_never_bought_and_bad_minimum():
	assert predict_next_purchase([]) is None
	with pytest.raises(PredictionError):
		predict_next_purchase(days(0), min_purchases=1)


def test_classify_lapsed_overdue_and_regular():
	assert classify(AS_OF, AS_OF - timedelta(days=200), None, 180).reason == "no_purchase"
	assert classify(AS_OF, AS_OF - timedelta(days=180), 30, 180).reason == "no_purchase"
	overdue = classify(AS_OF, AS_OF - timedelta(days=46), 30, 180)
	assert (overdue.dormant, overdue.reason, overdue.days_since_last) == (True, "overdue", 46)
	assert not classify(AS_OF, AS_OF - timedelta(days=45), 30, 180).dormant  # exactly 1.5 x
	assert classify(AS_OF, AS_OF - timedelta(days=31), 30, 180, multiple=1).reason == "overdue"
	assert not classify(AS_OF, AS_OF - timedelta(days=46), None, 180).dormant
	assert not classify(AS_OF, None, None, 180).dormant


def test_classify_rejects_bad_input():
	for kwargs in ({"dormant_days": 0}, {"dormant_days": 10, "multiple": 0.5}):
		with pytest.raises(PredictionError):
			classify(AS_OF, AS_OF, 30, **kwargs)
	with pytest.raises(PredictionError):
		classify(AS_OF, AS_OF + timedelta(days=1), 30, 10)


@given(st.lists(st.integers(min_value=0, max_value=2000), min_size=3, max_size=40))
def test_prediction_is_after_the_last_purchase_and_within_the_gaps(offsets):
	prediction = predict_next_purchase(days(*offsets))
	gaps = purchase_gaps(days(*offsets))
	if prediction.interval is None:
		assert len(set(offsets)) < 3
		return
	assert min(gaps) <= prediction.interval <= max(gaps)
	assert prediction.next_purchase >= prediction.last_purchase
