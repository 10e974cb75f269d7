"""ERPNext's own tests on a site with (or without) this app: the compatibility suite.

Run by scripts/compat.sh with the bench's Python, from the bench's `sites` directory:

    ../env/bin/python <checkout>/scripts/compat.py --site S --mode with-app|without-app \
        --known <checkout>/scripts/compat_known_failures.txt [--json out.json] [module ...]

It bootstraps the site the way ERPNext's CI does (frappe's ParallelTestRunner, which `bench
run-parallel-tests --app erpnext` uses): ERPNext's `before_tests` hook, test records for
`erpnext.tests.global_test_dependencies`, then for every test file its `test_dependencies` and the
records of its own DocType, and runs the file's tests. `bench run-tests --module` does only the
`test_dependencies` part and runs every installed app's `before_tests` (this app's too), which is why
this runner exists. The `payments` app (Payment Gateway), which ERPNext's CI installs, is not on this
bench: test records never follow links into it.

Then it compares the per-test results with the known-failures file (`verdict`, pure, tested in
tests/test_compat.py):
- with-app: any failure not listed fails the run; a test listed as failing only with the app by design
  that passes fails the run too (the list is out of date); a listed failure that passes is reported.
- without-app: proves the list honest. Every test listed as failing without the app must fail, every
  failure must be listed, and the tests listed as failing only with the app must pass.

Exit status: 0 when the verdict is clean, 1 otherwise, 2 on a usage or bootstrap error.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unittest
from dataclasses import dataclass, field
from pathlib import Path

# The chosen ERPNext test modules, in ERPNext's own order (the order of its CI: sorted paths). Order
# matters: ERPNext's tests leave records and settings behind for the ones after them. Each covers a
# doctype this app hooks into (hooks.py doc_events, permission hooks) or adds custom fields to
# (setup/custom_fields.py). ERPNext has no tests for Sales Person, Territory or Sales Stage (files
# without a test) nor for Contact and Address; those doctypes are exercised inside the modules below.
MODULES = [
	"erpnext.accounts.doctype.payment_entry.test_payment_entry",  # against orders and invoices
	"erpnext.accounts.doctype.pos_invoice.test_pos_invoice",  # doc_events (price floor), customer rule
	"erpnext.accounts.doctype.sales_invoice.test_sales_invoice",  # doc_events, custom fields, rule
	"erpnext.crm.doctype.contract.test_contract",  # doc_events, custom fields, customer rule
	"erpnext.crm.doctype.lead.test_lead",  # leads become customers and opportunities
	"erpnext.crm.doctype.opportunity.test_opportunity",  # doc_events, custom fields, customer rule
	"erpnext.selling.doctype.customer.test_customer",  # doc_events, custom fields, customer rule
	"erpnext.selling.doctype.quotation.test_quotation",  # doc_events (price floor), customer rule
	"erpnext.selling.doctype.sales_order.test_sales_order",  # doc_events, custom fields, customer rule
	"erpnext.setup.doctype.employee.test_employee",  # doc_events (Sales Person ownership)
	"erpnext.stock.doctype.delivery_note.test_delivery_note",  # customer rule
	"erpnext.support.doctype.issue.test_issue",  # custom fields (dealer support requests)
]
# CI (scripts/test.sh) runs all of them. --quick (SR_COMPAT_QUICK=1) runs only the modules of the
# customer, opportunity, quotation and order flow, where the app's hooks and rules act most, for a
# shorter run while developing: it leaves out the accounting, stock and support modules, the longest
# touched only by the customer rule, a validate hook and custom fields.
LONG = {
	"erpnext.accounts.doctype.payment_entry.test_payment_entry",
	"erpnext.accounts.doctype.pos_invoice.test_pos_invoice",
	"erpnext.accounts.doctype.sales_invoice.test_sales_invoice",
	"erpnext.stock.doctype.delivery_note.test_delivery_note",
	"erpnext.support.doctype.issue.test_issue",
}
QUICK_MODULES = [m for m in MODULES if m not in LONG]

WITHOUT_APP = "without-app"
WITHOUT_APP_QUICK = "without-app-quick"
WITHOUT_APP_ALL = "without-app-all"
APP_ONLY = "app-only"
FLAKY = "flaky"
SECTIONS = {
	"[fail without the app]": WITHOUT_APP,
	# order-dependent: they fail in one of the two runs (the quick seven, all ten) and pass in the other
	# (what the longer modules leave behind); checked as failures in that run, as ordinary tests in the other
	"[fail without the app, in the quick modules only]": WITHOUT_APP_QUICK,
	"[fail without the app, with all modules only]": WITHOUT_APP_ALL,
	"[fail only with the app, by design]": APP_ONLY,
	# neither outcome fails a run: seen both passing and failing in the same order, with and without the app
	"[flaky: may pass or fail, with or without the app]": FLAKY,
}
FAILED = ("fail", "error")


# --- the known-failures file and the verdict (pure: no frappe) --------------------------------------


class ListError(ValueError):
	pass


def parse_known_failures(text: str) -> dict[str, dict[str, str]]:
	"""{section: {test id: reason}} from the file's text. Lines: `<test id>: <reason>` under a section
	header; `#` starts a comment line. A test listed twice, a line outside a section or without a
	reason is an error."""
	known: dict[str, dict[str, str]] = {section: {} for section in SECTIONS.values()}
	section = None
	for number, raw in enumerate(text.splitlines(), 1):
		line = raw.strip()
		if not line or line.startswith("#"):
			continue
		if line.startswith("["):
			if line not in SECTIONS:
				raise ListError(f"line {number}: unknown section {line!r} (known: {', '.join(SECTIONS)})")
			section = SECTIONS[line]
			continue
		if section is None:
			raise ListError(f"line {number}: a test before any section header")
		test_id, sep, reason = line.partition(": ")
		test_id, reason = test_id.strip(), reason.strip()
		if not sep or not reason or " " in test_id:
			raise ListError(f"line {number}: expected '<test id>: <reason>', got {line!r}")
		also = [name for name, tests in known.items() if test_id in tests]
		# a by-design test may also stand in one order section (it fails without the app in that run)
		if also and {section, *also} not in ({APP_ONLY, WITHOUT_APP_QUICK}, {APP_ONLY, WITHOUT_APP_ALL}):
			raise ListError(f"line {number}: {test_id} is listed twice")
		known[section][test_id] = reason
	return known


def _module_of(test_id: str) -> str:
	# erpnext.x.test_y.TestY.test_z -> erpnext.x.test_y; "setUpClass (erpnext.x.test_y.TestY)" too
	if test_id.endswith(")") and " (" in test_id:
		test_id = test_id.split(" (", 1)[1][:-1] + ".x"
	return test_id.rsplit(".", 2)[0]


@dataclass
class Verdict:
	problems: list[str] = field(default_factory=list)  # each fails the run
	notes: list[str] = field(default_factory=list)  # reported, do not fail the run

	@property
	def ok(self) -> bool:
		return not self.problems


def verdict(results: dict[str, str], known: dict[str, dict[str, str]], mode: str, modules: list[str]) -> Verdict:
	"""Compare {test id: outcome} (outcome: pass, fail, error, skip) with the known failures. Only the
	entries of the modules that ran are checked."""
	ran = set(modules)
	listed = dict(known[WITHOUT_APP])
	if ran == set(QUICK_MODULES):
		listed.update(known[WITHOUT_APP_QUICK])
	if ran == set(MODULES):
		listed.update(known[WITHOUT_APP_ALL])
	without = {t: r for t, r in listed.items() if _module_of(t) in ran}
	# other sets of modules: the order-dependent entries may fail or pass
	tolerated = set()
	if ran not in (set(QUICK_MODULES), set(MODULES)):
		tolerated = {t for k in (WITHOUT_APP_QUICK, WITHOUT_APP_ALL) for t in known[k] if _module_of(t) in ran}
	# a by-design test that this run lists as failing without the app too is judged as that
	app_only = {t: r for t, r in known[APP_ONLY].items() if _module_of(t) in ran and t not in without}
	tolerated |= {t for t in known[FLAKY] if _module_of(t) in ran}
	failed = {t for t, outcome in results.items() if outcome in FAILED}
	v = Verdict()
	for test_id in sorted(set(without) | set(app_only) | {t for t in known[FLAKY] if _module_of(t) in ran}):
		if test_id not in results:
			v.problems.append(f"listed but not run (renamed or removed in ERPNext?): {test_id}")
	if mode == "with-app":
		for test_id in sorted(failed - set(without) - set(app_only) - tolerated):
			v.problems.append(f"fails with the app and is not a known failure: {test_id}")
		for test_id in sorted(app_only):
			if results.get(test_id) == "pass":
				v.problems.append(
					f"listed as failing only with the app, by design, but passes: {test_id} "
					"(the rule changed? take it off the list)"
				)
		for test_id in sorted(without):
			if results.get(test_id) == "pass":
				v.notes.append(f"known failure passed this time: {test_id} ({without[test_id]})")
	elif mode == "without-app":
		for test_id in sorted(failed - set(without) - tolerated):
			hint = " (listed as failing only with the app)" if test_id in app_only else ""
			v.problems.append(f"fails without the app and is not listed as failing without it: {test_id}{hint}")
		for test_id in sorted(without):
			if results.get(test_id) in ("pass", "skip"):
				outcome = "passes" if results[test_id] == "pass" else "is skipped"
				v.problems.append(f"listed as failing without the app, but {outcome}: {test_id}")
	else:
		raise ValueError(f"unknown mode {mode!r}")
	return v


# --- running the tests on a site (needs the bench's Python) -----------------------------------------


class RecordingResult(unittest.TextTestResult):
	"""unittest's result, plus {test id: outcome} and seconds per test."""

	def __init__(self, *args, **kwargs):
		super().__init__(*args, **kwargs)
		self.outcomes: dict[str, str] = {}
		self.seconds: dict[str, float] = {}
		self._started = 0.0

	def startTest(self, test):
		self._started = time.monotonic()
		super().startTest(test)

	def _record(self, test, outcome):
		test_id = test.id()
		self.seconds[test_id] = round(time.monotonic() - self._started, 3)
		# a subTest failure marks its test failed; never overwrite a failure with a later pass
		if self.outcomes.get(test_id) not in FAILED:
			self.outcomes[test_id] = outcome

	def addSuccess(self, test):
		super().addSuccess(test)
		self._record(test, "pass")

	def addFailure(self, test, err):
		super().addFailure(test, err)
		self._record(test, "fail")

	def addError(self, test, err):
		super().addError(test, err)
		self._record(test, "error")  # also setUpClass / setUpModule errors (_ErrorHolder)

	def addSkip(self, test, reason):
		super().addSkip(test, reason)
		self._record(test, "skip")

	def addExpectedFailure(self, test, err):
		super().addExpectedFailure(test, err)
		self._record(test, "pass")

	def addUnexpectedSuccess(self, test):
		super().addUnexpectedSuccess(test)
		self._record(test, "fail")

	def addSubTest(self, test, subtest, err):
		super().addSubTest(test, subtest, err)
		if err is not None:
			self._record(test, "error" if not issubclass(err[0], test.failureException) else "fail")


def versions(app: str) -> dict[str, str]:
	import erpnext
	import frappe

	found = {"Frappe": frappe.__version__, "ERPNext": erpnext.__version__}
	if app in frappe.get_installed_apps():
		found[app] = frappe.db.get_value("Installed Application", {"app_name": app}, "app_version") or "?"
	else:
		found[app] = "not installed"
	return found


def bootstrap() -> float:
	"""ERPNext's CI set-up: its before_tests, then its global test records. Seconds taken."""
	import frappe
	from frappe.test_runner import make_test_records

	started = time.monotonic()
	if not frappe.db.exists("DocType", "Payment Gateway"):
		# the payments app is not installed: mark its doctype done, so that no test record follows a
		# link into it (ERPNext's CI installs payments; none of the chosen modules tests it)
		frappe.local.test_objects["Payment Gateway"] = []
	for method in frappe.get_hooks("before_tests", app_name="erpnext"):
		frappe.get_attr(method)()
	for doctype in frappe.get_module("erpnext.tests").global_test_dependencies:
		make_test_records(doctype, commit=True)
	return time.monotonic() - started


def own_doctype(module) -> str | None:
	"""The DocType whose folder holds the test file (test_sales_order.py -> Sales Order)."""
	path = Path(module.__file__)
	if path.parent.parent.name != "doctype":
		return None
	definition = path.with_name(path.name.removeprefix("test_").replace(".py", ".json"))
	if not definition.exists():
		return None
	return json.loads(definition.read_text())["name"]


def run_module(name: str, result: RecordingResult) -> float:
	import frappe
	from frappe.test_runner import make_test_records

	started = time.monotonic()
	frappe.set_user("Administrator")
	module = frappe.get_module(name)
	for doctype in getattr(module, "test_dependencies", []):
		make_test_records(doctype, commit=True)
	doctype = own_doctype(module)
	if doctype:
		make_test_records(doctype, commit=True)
	unittest.TestLoader().loadTestsFromModule(module)(result)
	return time.monotonic() - started


def run(site: str, modules: list[str], app: str, stream) -> tuple[dict, dict[str, str]]:
	import frappe
	import frappe.utils.scheduler

	frappe.init(site=site, sites_path=".")
	frappe.connect()
	report: dict = {"site": site, "versions": versions(app), "modules": {}}
	print("Versions found: " + ", ".join(f"{k} {v}" for k, v in report["versions"].items()), flush=True)
	frappe.flags.in_test = True
	frappe.clear_cache()
	scheduler_was_disabled = frappe.utils.scheduler.is_scheduler_disabled(verbose=False)
	frappe.utils.scheduler.disable_scheduler()
	try:
		seconds = bootstrap()
		report["bootstrap_seconds"] = round(seconds, 1)
		print(f"Bootstrap (ERPNext's before_tests and global test records): {seconds:.0f} s", flush=True)
		if not modules:
			return report, {}
		result = RecordingResult(unittest.runner._WritelnDecorator(stream), descriptions=True, verbosity=1)
		for name in modules:
			before = dict(result.outcomes)
			seconds = run_module(name, result)
			mine = {t: o for t, o in result.outcomes.items() if t not in before}
			counts = {o: sum(1 for x in mine.values() if x == o) for o in ("pass", "fail", "error", "skip")}
			report["modules"][name] = {"seconds": round(seconds, 1), **counts}
			stream.flush()
			print(
				f"\n  {name}: {len(mine)} tests in {seconds:.0f} s: "
				+ ", ".join(f"{n} {o}" for o, n in counts.items() if n),
				flush=True,
			)
		result.printErrors()
	finally:
		if not scheduler_was_disabled:
			frappe.utils.scheduler.enable_scheduler()
		frappe.db.commit()
		frappe.destroy()
	report["results"] = result.outcomes
	report["seconds"] = result.seconds
	return report, result.outcomes


def main(argv=None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--site")
	parser.add_argument("--mode", required=True, choices=["with-app", "without-app"])
	parser.add_argument("--known", required=True, type=Path, help="the known-failures file")
	parser.add_argument("--json", type=Path, help="write every test's outcome and time here")
	parser.add_argument("--app", default="sales_reengineering")
	parser.add_argument(
		"--results", type=Path, help="judge the results a run wrote with --json again (no site needed)"
	)
	parser.add_argument(
		"--bootstrap-only", action="store_true", help="only ERPNext's before_tests and global test records"
	)
	parser.add_argument(
		"--quick", action="store_true", help=f"only the {len(QUICK_MODULES)} modules of the selling flow"
	)
	parser.add_argument("--all", action="store_true", help=f"all {len(MODULES)} chosen modules (the default)")
	parser.add_argument("modules", nargs="*", help=f"test modules (default: all {len(MODULES)})")
	args = parser.parse_args(argv)
	modules = args.modules or (QUICK_MODULES if args.quick and not args.all else MODULES)
	try:
		known = parse_known_failures(args.known.read_text())
	except (OSError, ListError) as exc:
		print(f"ERROR: {args.known}: {exc}", file=sys.stderr)
		return 2

	started = time.monotonic()
	if args.results:
		report = json.loads(args.results.read_text())
		results, modules = report["results"], list(report["modules"])
		print(f"Judging {args.results} again, with {args.known}")
	elif not args.site:
		parser.error("--site is needed unless --results is given")
	elif args.bootstrap_only:
		run(args.site, [], args.app, sys.stderr)
		return 0
	else:
		report, results = run(args.site, modules, args.app, sys.stderr)
		report["total_seconds"] = round(time.monotonic() - started, 1)
	installed = report["versions"][args.app] != "not installed"
	if installed != (args.mode == "with-app"):
		print(f"ERROR: --mode {args.mode}, but {args.app} is {report['versions'][args.app]} on {report['site']}")
		return 2
	v = verdict(results, known, args.mode, modules)
	report.update(mode=args.mode, problems=v.problems)
	if args.json:
		args.json.write_text(json.dumps(report, indent=1, sort_keys=True))

	counts = {o: sum(1 for x in results.values() if x == o) for o in ("pass", "fail", "error", "skip")}
	failed = sorted(t for t, o in results.items() if o in FAILED)
	print(f"\nERPNext compatibility suite, {args.mode}, on {report['site']}: {len(results)} tests in {len(modules)} "
		f"modules, {report['total_seconds']:.0f} s: " + ", ".join(f"{n} {o}" for o, n in counts.items()))
	print("Versions: " + ", ".join(f"{k} {v}" for k, v in report["versions"].items()))
	print(f"Failed ({len(failed)}):")
	for test_id in failed:
		where = (
			"known, without the app" if any(test_id in known[k] for k in (WITHOUT_APP, WITHOUT_APP_QUICK, WITHOUT_APP_ALL))
			else "by design, only with the app" if test_id in known[APP_ONLY]
			else "NOT LISTED"
		)
		print(f"  {results[test_id]:5} {test_id}  [{where}]")
	for note in v.notes:
		print(f"Note: {note}")
	for problem in v.problems:
		print(f"PROBLEM: {problem}")
	if v.ok:
		print(f"Compatibility suite ({args.mode}): OK")
		return 0
	print(f"Compatibility suite ({args.mode}): FAILED, {len(v.problems)} problem(s) above "
		f"(known failures: {args.known.name})")
	return 1


if __name__ == "__main__":
	sys.exit(main())
