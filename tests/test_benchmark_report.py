"""The benchmark's doubling table (pure: the report reads the runs' JSON, no site)."""

from sales_reengineering.benchmarks.report import doubling


def run(size, scorecards, erpnext, reminders, report):
	return {
		"size": size,
		"scorecards": {
			"compute_and_save": {"median_s": scorecards, "queries": 41, "peak_mb": 6.9},
			"evaluate": {"median_s": scorecards / 2, "runs_s": [scorecards / 2, scorecards / 4, scorecards]},
		},
		"erpnext_report": erpnext,
		"reports": {"Task Attainment": {"manager": {"median_s": report, "queries": 9}, "restricted": {"not_permitted": True}}},
		"jobs": {"reminders_first": reminders},
	}


def line(table: str, label: str) -> list[str]:
	row = next(r for r in table.splitlines() if r.startswith(f"| {label} |"))
	return [cell.strip() for cell in row.strip("|").split("|")]


def test_ratio_queries_and_peak_of_each_step():
	table = doubling(
		run("half", 40.0, {"s": 400.0, "timed_out": False, "queries": 585}, {"s": 100.0, "queries": 10}, 2.0),
		run("large", 86.0, {"s": 600.0, "timed_out": True, "cap_s": 600}, {"s": 250.0, "queries": 20}, 4.4),
	)
	assert table.splitlines()[0].startswith("| Step | half s | large s | time × | fastest × |")
	# one run each: no fastest run to compare
	assert line(table, "(a) scorecards computed and saved") == ["(a) scorecards computed and saved", "40.0", "86.0", "2.15", "–", "41 → 41", "6.9 → 6.9"]
	# several runs: the fastest of each size (10 and 21.5 s) next to the medians' ratio
	assert line(table, "(a) scorecards evaluated")[1:5] == ["20.0", "43.0", "2.15", "2.15"]
	assert line(table, "(f) reminders first")[3] == "2.50"
	assert line(table, "(d) Task Attainment, manager")[3] == "2.20"


def test_a_timeout_is_a_lower_bound_and_a_step_run_by_nobody_is_left_out():
	table = doubling(
		run("half", 40.0, {"s": 400.0, "timed_out": False}, {"timed_out": True, "cap_s": 900}, 2.0),
		run("large", 80.0, {"s": 600.0, "timed_out": True, "cap_s": 600}, {"timed_out": True, "cap_s": 900}, 4.0),
	)
	erpnext = line(table, "(c) ERPNext target variance")
	assert erpnext[1:4] == ["400.0", "> 600", "≥ 1.50"]
	# cut at its cap on both sizes: no ratio can be given
	assert line(table, "(f) reminders first")[1:4] == ["> 900", "> 900", "–"]
	assert "team manager" not in table  # not permitted at either size
