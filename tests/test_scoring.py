import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales_reengineering.core import scoring
from sales_reengineering.core.scoring import (
	DEFAULT_CAP,
	MAX_ATTAINMENT,
	KpiRow,
	ScoringError,
	apply_method,
	attainment,
	round_half_up,
	score_card,
	validate_steps,
	validate_weights,
)

CORE = Path(__file__).resolve().parent.parent / "sales_reengineering" / "core"


# --- attainment -------------------------------------------------------------------------------


@pytest.mark.parametrize(
	("actual", "target", "higher", "expected"),
	[
		(120, 100, True, 1.2),
		(50, 200, True, 0.25),
		(0, 100, True, 0.0),
		(0, 0, True, 1.0),  # zero target is met trivially
		(5, 0, True, 1.0),
		(80, 100, False, 1.25),  # lower is better: target / actual
		(200, 100, False, 0.5),
		(0, 0, False, 1.0),
		(3, 0, False, 0.0),
		(0, 5, False, MAX_ATTAINMENT),  # perfect lower-is-better result
	],
)
def test_attainment_rules(actual, target, higher, expected):
	assert attainment(actual, target, higher) == pytest.approx(expected)


def test_attainment_none_when_not_measured():
	assert attainment(None, 100) is None
	assert attainment(10, None) is None


def test_attainment_safety_ceiling():
	assert attainment(1_000_000, 1) == MAX_ATTAINMENT
	assert attainment(1e300, 1e-300) == MAX_ATTAINMENT
	assert attainment(0, 5, False, ceiling=1.2) == 1.2


def test_attainment_accepts_int_flags_and_decimals():
	from decimal import Decimal

	assert attainment(Decimal("50"), Decimal("100"), 1) == 0.5
	assert attainment(50, 100, 0) == 2.0


@pytest.mark.parametrize(
	("actual", "target", "higher"),
	[
		(-1, 100, True),
		(10, -5, True),
		(float("nan"), 1, True),
		(float("inf"), 1, True),
		("10", 100, True),
		(True, 100, True),
		(10, 100, "yes"),
		(10, 100, 2),
	],
)
def test_attainment_rejects_bad_input(actual, target, higher):
	with pytest.raises(ScoringError):
		attainment(actual, target, higher)


def test_scoring_error_is_value_error():
	assert issubclass(ScoringError, ValueError)


# --- methods ----------------------------------------------------------------------------------


def test_capped_and_linear_methods():
	assert apply_method(1.5, "capped", cap=1.2) == 1.2
	assert apply_method(0.7, "capped") == 0.7
	assert apply_method(1.5, "linear") == 1.5
	assert apply_method(50.0, "linear") == MAX_ATTAINMENT
	assert apply_method(None) == 0.0


STEPS = [(1.0, 1.0), (0.8, 0.6), (1.2, 1.3)]


@pytest.mark.parametrize(
	("value", "expected"),
	[(0.79, 0.0), (0.8, 0.6), (0.99, 0.6), (1.0, 1.0), (1.19, 1.0), (1.5, 1.2)],
)
def test_stepped_method_picks_highest_threshold_reached(value, expected):
	# (1.2, 1.3) is limited to the cap 1.2
	assert apply_method(value, "stepped", cap=1.2, steps=STEPS) == expected


def test_validate_steps_sorts_and_rejects():
	assert validate_steps(STEPS) == [(0.8, 0.6), (1.0, 1.0), (1.2, 1.3)]
	for bad in (None, [], [(1.0,)], [(1.0, 1.0), (1.0, 0.5)], [(-0.1, 1.0)], ["ab"]):
		with pytest.raises(ScoringError):
			validate_steps(bad)


@pytest.mark.parametrize("kwargs", [{"method": "magic"}, {"cap": 0}, {"cap": -1}, {"method": "stepped"}])
def test_apply_method_rejects_bad_configuration(kwargs):
	with pytest.raises(ScoringError):
		apply_method(1.0, **kwargs)


# --- score card -------------------------------------------------------------------------------


def card():
	return [
		{"indicator": "Sales Amount", "weight": 60, "target": 1000, "actual": 1500},
		{"indicator": "New Customers", "weight": 30, "target": 10, "actual": 8},
		{"indicator": "Complaints", "weight": 10, "target": 2, "actual": 0, "higher_is_better": False},
	]


def test_score_card_capped():
	result = score_card(card())
	# 60 * 1.2 + 30 * 0.8 + 10 * 1.2 = 108 -> / 100 * 100
	assert result.total == 108.0
	assert result.beat_target
	assert [row.attainment for row in result.rows] == [1.5, 0.8, MAX_ATTAINMENT]
	assert [row.score_ratio for row in result.rows] == [1.2, 0.8, 1.2]
	assert sum(row.weighted_score for row in result.rows) == pytest.approx(result.raw_total)
	assert result.method == "capped" and result.cap == DEFAULT_CAP


def test_score_card_linear_and_stepped():
	assert score_card(card(), method="linear").total == pytest.approx(60 * 1.5 + 30 * 0.8 + 10 * 10)
	stepped = score_card(card(), method="stepped", steps=[(0.8, 0.5), (1.0, 1.0)])
	assert stepped.total == 60 * 1.0 + 30 * 0.5 + 10 * 1.0


def test_score_card_normalises_weights_not_totalling_100():
	rows = [KpiRow("A", 1, 100, 100), KpiRow("B", 1, 100, 50)]
	assert score_card(rows).total == 75.0


def test_score_card_rounds_half_up_only_at_the_end():
	rows = [KpiRow("A", 1, 3, 1), KpiRow("B", 2, 3, 2)]
	result = score_card(rows)
	# (1 * 1/3 + 2 * 2/3) / 3 * 100 = 55.555...
	assert result.raw_total == pytest.approx(500 / 9)
	assert result.total == 55.56


def test_score_card_accepts_objects():
	class Row:
		indicator, weight, target, actual = "Visits", 100, 20, 10

	result = score_card([Row()])
	assert result.total == 50.0
	assert result.rows[0].higher_is_better is True


def test_score_card_missing_actual_zero_or_skip():
	rows = [KpiRow("A", 50, 100, 100), KpiRow("B", 50, 100, None)]
	assert score_card(rows).total == 50.0
	skipped = score_card(rows, missing="skip")
	assert skipped.total == 100.0
	assert skipped.rows[1].counted is False and skipped.rows[1].weighted_score == 0.0
	with pytest.raises(ScoringError):
		score_card([KpiRow("B", 50, 100, None)], missing="skip")
	with pytest.raises(ScoringError):
		score_card(rows, missing="ignore")


def test_score_card_zero_weight_row_does_not_count():
	rows = [KpiRow("A", 100, 100, 100), KpiRow("B", 0, 100, 0)]
	assert score_card(rows).total == 100.0


@pytest.mark.parametrize(
	"rows",
	[
		[],
		[KpiRow("A", -10, 100, 100)],
		[KpiRow("A", 0, 100, 100)],
		[KpiRow("A", 100, 100, -1)],
		[{"indicator": "A", "weight": 100, "target": 100}],
		[object()],
	],
)
def test_score_card_rejects_bad_rows(rows):
	with pytest.raises(ScoringError):
		score_card(rows)


def test_validate_weights():
	assert validate_weights([50, 30, 20]) == 100
	assert validate_weights([33.3, 33.3, 33.4]) == pytest.approx(100)
	assert validate_weights([0.1] * 1000) == pytest.approx(100)
	for bad in ([50, 49.9], [100, 1e-6], [], [120, -20], [float("nan")]):
		with pytest.raises(ScoringError):
			validate_weights(bad)


def test_round_half_up():
	assert round_half_up(0.125) == 0.13
	assert round_half_up(2.675) == 2.68
	assert round_half_up(108.0) == 108.0
	assert round_half_up(1.005, 2) == 1.01


# --- properties -------------------------------------------------------------------------------

values = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
rows_strategy = st.lists(
	st.builds(
		KpiRow,
		indicator=st.text(min_size=1, max_size=5),
		weight=st.floats(min_value=0.01, max_value=1000),
		target=values,
		actual=values,
		higher_is_better=st.booleans(),
	),
	min_size=1,
	max_size=8,
)


@given(rows_strategy, st.floats(min_value=0.1, max_value=3))
def test_property_capped_score_bounded_by_cap(rows, cap):
	result = score_card(rows, cap=cap)
	assert 0 <= result.total <= round_half_up(cap * 100, 2)
	assert all(0 <= row.score_ratio <= cap for row in result.rows)


@given(values, values, st.booleans())
def test_property_attainment_bounded(actual, target, higher):
	assert 0 <= attainment(actual, target, higher) <= MAX_ATTAINMENT


# --- purity -----------------------------------------------------------------------------------


def test_core_modules_do_not_import_frappe():
	files = sorted(CORE.glob("*.py"))
	assert {path.name for path in files} >= {"scoring.py", "ranking.py", "conflict.py", "quota.py"}
	for path in files:
		tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
		for node in ast.walk(tree):
			if isinstance(node, ast.Import):
				names = [alias.name for alias in node.names]
			elif isinstance(node, ast.ImportFrom):
				names = [node.module or ""]
			else:
				continue
			assert not any(name == "frappe" or name.startswith("frappe.") for name in names), path.name


def test_scoring_module_exports():
	assert set(scoring.__all__) <= set(dir(scoring))
