"""Markdown tables from the JSON of benchmark runs, side by side:

    python -m sales_reengineering.benchmarks.report /tmp/bench-small.json /tmp/bench-half.json ...

With two runs (half, then large) it also prints the doubling table: each step's time at both sizes, the
ratio, the query counts and the Python peak.

Plain Python (no site needed)."""

from __future__ import annotations

import json
import sys


def _s(measure) -> str:
	if not isinstance(measure, dict):
		return "–"
	if measure.get("timed_out"):
		return f"> {measure.get('cap_s')} s (cap)"
	if "error" in measure:
		return "error"
	if measure.get("not_permitted"):
		return "not permitted"
	value = measure.get("median_s", measure.get("s"))
	if value is None:
		return "–"
	text = f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
	runs = measure.get("runs_s") or []
	if len(runs) > 1 and min(runs) < value * 0.8:  # a noisy machine: the fastest run too
		text += f" (min {min(runs):.3g})"
	return text


def _q(measure) -> str:
	if not isinstance(measure, dict):
		return "–"
	return str(measure.get("queries", measure.get("queries_before_cap", "–")))


def _mb(measure) -> str:
	return f"{measure['peak_mb']}" if isinstance(measure, dict) and "peak_mb" in measure else "–"


def rows(results: list[dict]) -> list[tuple[str, list[str]]]:
	def get(result, *path):
		value = result
		for key in path:
			value = value.get(key, {}) if isinstance(value, dict) else {}
		return value

	lines = []

	def add(label, path, fmt=_s):
		lines.append((label, [fmt(get(r, *path)) for r in results]))

	add("(a) scorecards of the quarter, computed and saved", ("scorecards", "compute_and_save"))
	add("(a) … queries", ("scorecards", "compute_and_save"), _q)
	add("(a) … Python peak MB", ("scorecards", "compute_and_save"), _mb)
	add("(a) scorecards evaluated (no save)", ("scorecards", "evaluate"))
	add("(a) ranking, individuals (reuses saved scorecards)", ("scorecards", "ranking_individuals"))
	add("(a) ranking, teams", ("scorecards", "ranking_teams"))
	add("(b) floor: the indicators' aggregate SQL, run directly", ("floor",))
	lines.append(("(c) ERPNext Sales Person Target Variance (fiscal year, quarterly)", [
		(f"> {r['erpnext_report']['cap_s']} s (timeout)" if r.get("erpnext_report", {}).get("timed_out")
		 else f"{r.get('erpnext_report', {}).get('s', '–')} s") for r in results
	]))
	lines.append(("(c) … cross-check: ERPNext achieved − app net sales (quarter)", [
		str(r.get("erpnext_report", {}).get("cross_check", {}).get("difference", "–")) for r in results
	]))
	reports = sorted({name for r in results for name in r.get("reports", {})})
	for name in reports:
		add(f"(d) {name}, manager", ("reports", name, "manager"))
		add(f"(d) {name}, team manager", ("reports", name, "restricted"))
	for key, label in (
		("reminders_first", "(f) reminders, first run"),
		("reminders_second", "(f) reminders, second run"),
		("telesales_call_list", "(f) telesales call list"),
		("completeness_rescore", "(f) completeness rescore"),
		("handover_largest", "(f) largest handover"),
	):
		add(label, ("jobs", key))
		add(f"{label}: queries", ("jobs", key), _q)
	for url in ("/dealer", "/dealer/registrations", "/dealer/sell-through", "/dealer/register", "/api/method/ping", "/me", "/orders"):
		lines.append((f"(e) {url} p50 / p95 ms, 20 sessions", [
			(lambda m: f"{m.get('p50_ms', '–')} / {m.get('p95_ms', '–')}" if m else "–")(get(r, "portal", "urls", url))
			for r in results
		]))
	for key in ("workers_1", "workers_2"):
		lines.append((f"scorecard job, {key.replace('_', ' ')}", [str(get(r, "workers", key).get("s", "–")) + " s" if get(r, "workers", key) else "–" for r in results]))
	return lines


def render(results: list[dict]) -> str:
	header = "| | " + " | ".join(r.get("size", "?") for r in results) + " |"
	out = [header, "|---" * (len(results) + 1) + "|"]
	rowcounts = ["Sales Invoice Item", "Sales Invoice", "Customer", "Opportunity", "Sales Person", "Dealer", "Sales Task"]
	for name in rowcounts:
		out.append(f"| rows: {name} | " + " | ".join(f"{r.get('rows', {}).get(name, '–'):,}" if isinstance(r.get('rows', {}).get(name), int) else "–" for r in results) + " |")
	for label, values in rows(results):
		out.append(f"| {label} | " + " | ".join(values) + " |")
	return "\n".join(out)


def _seconds(measure):
	"""The time of a measurement (median, or the single run); the cap, marked, for a timeout."""
	if not isinstance(measure, dict) or "error" in measure or measure.get("not_permitted"):
		return None, False
	if measure.get("timed_out"):
		return measure.get("cap_s"), True
	return measure.get("median_s", measure.get("s")), False


def measurements(result: dict) -> list[tuple[str, dict]]:
	"""Every timed step of a run, by label, in the order of the main table."""
	out = []
	scorecards = result.get("scorecards", {})
	for key, label in (
		("compute_and_save", "(a) scorecards computed and saved"),
		("evaluate", "(a) scorecards evaluated"),
		("ranking_individuals", "(a) ranking, individuals"),
		("ranking_teams", "(a) ranking, teams"),
	):
		out.append((label, scorecards.get(key)))
	out.append(("(b) floor", result.get("floor")))
	out.append(("(c) ERPNext target variance", result.get("erpnext_report")))
	for name in sorted(result.get("reports", {})):
		for who, label in (("manager", "manager"), ("restricted", "team manager")):
			out.append((f"(d) {name}, {label}", result["reports"][name].get(who)))
	for key in ("reminders_first", "reminders_second", "telesales_call_list", "completeness_rescore", "handover_largest"):
		out.append((f"(f) {key.replace('_', ' ')}", result.get("jobs", {}).get(key)))
	for key in ("workers_1", "workers_2"):
		out.append((f"scorecard job, {key.replace('_', ' ')}", result.get("workers", {}).get(key)))
	return out


def _fastest(measure):
	"""The fastest timed run (on a loaded machine the least disturbed one), None without several runs."""
	runs = measure.get("runs_s") if isinstance(measure, dict) else None
	return min(runs) if runs and len(runs) > 1 else None


def doubling(small: dict, big: dict) -> str:
	"""The doubling table: time, queries and Python peak of each step at `small` and `big` (twice the
	data), and the ratios: of the medians, and of the fastest runs where both sizes had several (the
	least disturbed on a loaded machine). A timeout counts as its cap, so its ratio is a lower bound
	(marked ≥)."""
	big_steps = dict(measurements(big))
	out = [
		f"| Step | {small.get('size')} s | {big.get('size')} s | time × | fastest × | queries | peak MB |",
		"|---|---|---|---|---|---|---|",
	]
	for label, first in measurements(small):
		second = big_steps.get(label)
		a, a_cut = _seconds(first)
		b, b_cut = _seconds(second)
		if a is None and b is None:
			continue
		if a and b is not None and not a_cut:
			ratio = f"{'≥ ' if b_cut else ''}{b / a:.2f}"
		else:
			ratio = "–"

		def show(value, cut):
			if value is None:
				return "–"
			return f"> {value}" if cut else (f"{value:.3f}" if value < 10 else f"{value:.1f}")

		fast_a, fast_b = _fastest(first), _fastest(second)
		fastest = f"{fast_b / fast_a:.2f}" if fast_a and fast_b else "–"
		queries = " → ".join(_q(m) for m in (first, second))
		peak = " → ".join(_mb(m) for m in (first, second))
		out.append(f"| {label} | {show(a, a_cut)} | {show(b, b_cut)} | {ratio} | {fastest} | {queries} | {peak} |")
	return "\n".join(out)


if __name__ == "__main__":
	loaded = []
	for path in sys.argv[1:]:
		with open(path) as handle:
			loaded.append(json.load(handle))
	print(render(loaded))
	if len(loaded) == 2:
		print()
		print(doubling(*loaded))
