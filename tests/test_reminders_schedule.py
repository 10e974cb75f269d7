from datetime import date, datetime, time

from sales_reengineering.core.reminders_schedule import behind_pace, in_quiet_hours, period_key

QUIET = (time(22), time(8))


def test_quiet_hours_span_midnight():
	assert in_quiet_hours(datetime(2026, 3, 2, 22, 0), *QUIET)
	assert in_quiet_hours(datetime(2026, 3, 2, 23, 59), *QUIET)
	assert in_quiet_hours(datetime(2026, 3, 3, 0, 30), *QUIET)
	assert in_quiet_hours(datetime(2026, 3, 3, 7, 59), *QUIET)
	assert not in_quiet_hours(datetime(2026, 3, 3, 8, 0), *QUIET)
	assert not in_quiet_hours(datetime(2026, 3, 3, 21, 59), *QUIET)


def test_quiet_hours_within_a_day_and_none():
	assert in_quiet_hours(datetime(2026, 3, 3, 13, 0), time(12), time(14))
	assert not in_quiet_hours(datetime(2026, 3, 3, 14, 0), time(12), time(14))
	assert not in_quiet_hours(datetime(2026, 3, 3, 3, 0), time(0), time(0))


def test_period_key_not_due_yet():
	assert period_key(date(2026, 3, 10), date(2026, 3, 9), 7) is None


def test_period_key_once():
	assert period_key(date(2026, 3, 1), date(2026, 3, 1), 0) == "2026-03-01"
	assert period_key(date(2026, 3, 1), date(2026, 3, 20), 0) == "2026-03-01"


def test_period_key_repeats_by_cycle_and_catches_up():
	due = date(2026, 3, 1)
	assert period_key(due, date(2026, 3, 1), 7) == "2026-03-01#0"
	assert period_key(due, date(2026, 3, 7), 7) == "2026-03-01#0"
	assert period_key(due, date(2026, 3, 8), 7) == "2026-03-01#1"
	# a run missed on the 8th still finds cycle 1 on the 10th
	assert period_key(due, date(2026, 3, 10), 7) == "2026-03-01#1"


def test_behind_pace():
	start, end = date(2026, 1, 1), date(2026, 1, 31)
	assert behind_pace(40, start, end, date(2026, 1, 16))  # 16/31 elapsed = 51.6%
	assert not behind_pace(60, start, end, date(2026, 1, 16))
	assert not behind_pace(0, start, end, date(2025, 12, 31))
	assert behind_pace(99, start, end, date(2026, 2, 10))  # period over: full target due
