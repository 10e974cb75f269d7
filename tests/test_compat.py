"""scripts/compat.py's verdict: which results fail the compatibility suite, with and without the app, and
the known-failures file it reads (the repository's own file must parse and name only chosen modules)."""

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("compat", ROOT / "scripts" / "compat.py")
compat = importlib.util.module_from_spec(_spec)
sys.modules["compat"] = compat  # dataclasses look their module up there
_spec.loader.exec_module(compat)

MOD = "erpnext.selling.doctype.sales_order.test_sales_order"
T = MOD + ".TestSalesOrder."
LIST = f"""
# comment
[fail without the app]
{T}test_rates: offline, no exchange rates
[fail only with the app, by design]
{T}test_warehouse_user: the ownership rule
"""


def known():
	return compat.parse_known_failures(LIST)


def check(results, mode):
	return compat.verdict(results, known(), mode, [MOD])


def test_parse_sections_and_reasons():
	parsed = known()
	assert parsed[compat.WITHOUT_APP] == {T + "test_rates": "offline, no exchange rates"}
	assert parsed[compat.APP_ONLY] == {T + "test_warehouse_user": "the ownership rule"}


@pytest.mark.parametrize(
	"text, message",
	[
		(f"{T}test_a: reason", "before any section"),
		("[fail sometimes]", "unknown section"),
		(f"[fail without the app]\n{T}test_a", "expected"),
		(f"[fail without the app]\n{T}test_a: ", "expected"),
		(f"[fail without the app]\n{T}test_a: x\n[fail only with the app, by design]\n{T}test_a: y", "twice"),
	],
)
def test_parse_refuses_malformed_lists(text, message):
	with pytest.raises(compat.ListError, match=message):
		compat.parse_known_failures(text)


def test_with_app_known_failures_and_design_failures_pass_the_run():
	v = check({T + "test_rates": "fail", T + "test_warehouse_user": "error", T + "test_ok": "pass"}, "with-app")
	assert v.ok, v.problems


def test_with_app_an_unlisted_failure_fails_the_run():
	v = check({T + "test_rates": "fail", T + "test_warehouse_user": "fail", T + "test_new": "error"}, "with-app")
	assert v.problems == [f"fails with the app and is not a known failure: {T}test_new"]


def test_with_app_a_design_failure_that_passes_fails_the_run():
	v = check({T + "test_rates": "fail", T + "test_warehouse_user": "pass"}, "with-app")
	assert len(v.problems) == 1 and "by design, but passes" in v.problems[0]


def test_with_app_a_known_failure_that_passes_is_only_noted():
	v = check({T + "test_rates": "pass", T + "test_warehouse_user": "fail"}, "with-app")
	assert v.ok and len(v.notes) == 1 and "test_rates" in v.notes[0]


def test_without_app_the_list_is_honest():
	v = check({T + "test_rates": "fail", T + "test_warehouse_user": "pass", T + "test_ok": "pass"}, "without-app")
	assert v.ok, v.problems


@pytest.mark.parametrize(
	"results, problem",
	[
		# a listed failure passes without the app: the list claims too much
		({T + "test_rates": "pass", T + "test_warehouse_user": "pass"}, "listed as failing without the app, but passes"),
		# a failure without the app that the list does not name
		({T + "test_rates": "fail", T + "test_warehouse_user": "pass", T + "test_x": "fail"}, "not listed"),
		# a "by design" failure fails without the app too: not the app's design
		({T + "test_rates": "fail", T + "test_warehouse_user": "fail"}, "listed as failing only with the app"),
	],
)
def test_without_app_a_dishonest_list_fails(results, problem):
	v = check(results, "without-app")
	assert len(v.problems) == 1 and problem in v.problems[0], v.problems


@pytest.mark.parametrize("mode", ["with-app", "without-app"])
def test_a_listed_test_that_did_not_run_fails_the_run(mode):
	v = check({T + "test_rates": "fail"}, mode)
	assert any("listed but not run" in p and "test_warehouse_user" in p for p in v.problems)


def test_entries_of_modules_not_run_are_not_checked():
	assert compat.verdict({}, known(), "with-app", ["erpnext.crm.doctype.lead.test_lead"]).ok


def test_a_class_set_up_error_belongs_to_its_module():
	assert compat._module_of(f"setUpClass ({MOD}.TestSalesOrder)") == MOD
	assert compat._module_of(T + "test_x") == MOD


def test_the_repositorys_list_parses_and_names_only_chosen_modules():
	parsed = compat.parse_known_failures((ROOT / "scripts" / "compat_known_failures.txt").read_text())
	for tests in parsed.values():
		for test_id in tests:
			assert compat._module_of(test_id) in compat.MODULES, test_id


def test_ci_only_entries_count_in_cis_modules_only():
	opp = "erpnext.crm.doctype.opportunity.test_opportunity.TestOpportunity.test_opportunity_status"
	parsed = compat.parse_known_failures(f"[fail without the app, in the quick modules only]\n{opp}: rate")
	in_ci = {opp: "error"}
	assert compat.verdict(in_ci, parsed, "without-app", compat.QUICK_MODULES).ok
	assert compat.verdict(in_ci, parsed, "with-app", compat.QUICK_MODULES).ok
	# with all modules it passes without the app, so there it is an ordinary test again
	assert compat.verdict({opp: "pass"}, parsed, "without-app", compat.MODULES).ok
	assert not compat.verdict(in_ci, parsed, "with-app", compat.MODULES).ok
	assert not compat.verdict({opp: "pass"}, parsed, "without-app", compat.QUICK_MODULES).ok


def test_all_modules_entries_count_with_all_modules_only():
	so = T + "test_make_sales_invoice"
	parsed = compat.parse_known_failures(f"[fail without the app, with all modules only]\n{so}: leak")
	assert compat.verdict({so: "error"}, parsed, "without-app", compat.MODULES).ok
	assert compat.verdict({so: "pass"}, parsed, "without-app", compat.QUICK_MODULES).ok
	assert not compat.verdict({so: "error"}, parsed, "without-app", compat.QUICK_MODULES).ok


def test_other_module_sets_tolerate_order_dependent_entries_either_way():
	opp = "erpnext.crm.doctype.opportunity.test_opportunity.TestOpportunity.test_opportunity_status"
	parsed = compat.parse_known_failures(f"[fail without the app, in the quick modules only]\n{opp}: rate")
	some = ["erpnext.crm.doctype.opportunity.test_opportunity"]
	for mode in ("with-app", "without-app"):
		assert compat.verdict({opp: "error"}, parsed, mode, some).ok
		assert compat.verdict({opp: "pass"}, parsed, mode, some).ok
	assert not compat.verdict({opp: "error", opp + "_x": "error"}, parsed, "with-app", some).ok


def test_a_flaky_test_may_pass_or_fail_in_any_run():
	flaky = "erpnext.accounts.doctype.sales_invoice.test_sales_invoice.TestSalesInvoice.test_x"
	parsed = compat.parse_known_failures(f"[flaky: may pass or fail, with or without the app]\n{flaky}: dates")
	for outcome in ("pass", "fail", "error"):
		for mode in ("with-app", "without-app"):
			assert compat.verdict({flaky: outcome}, parsed, mode, compat.MODULES).ok
	# listed but not run is still reported
	assert not compat.verdict({}, parsed, "with-app", compat.MODULES).ok
