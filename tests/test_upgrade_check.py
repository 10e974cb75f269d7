"""The comparison of the upgrade test (sales_reengineering/setup/upgrade_check.py): what counts as lost or
changed after an upgrade and after a second migrate. Pure: snapshots are plain dicts, no Frappe."""

import copy

import pytest

from sales_reengineering.setup import upgrade_check as uc


def snap(records, categories=None):
	return {"app_version": "x", "records": records, "categories": categories or {}}


BEFORE = snap(
	{
		"Dealer": {"D-1": {"name": "D-1", "dealer_name": "上海申联", "tier": "Gold"}},
		"Customer": {"C-1": {"name": "C-1", "customer_name": "Acme", "sr_sales_person": "SP-1"}},
		"Sales Reengineering Settings": {
			"Sales Reengineering Settings": {"stuck_opportunity_days": "21"}
		},
	},
	{"Dealer": {"*": "app"}, "Customer": {"C-1": "demo"}},
)


def after(change):
	new = copy.deepcopy(BEFORE)
	change(new["records"])
	return new


def test_identical_snapshots_pass_both_modes():
	assert uc.compare(BEFORE, copy.deepcopy(BEFORE), "upgrade") == []
	assert uc.compare(BEFORE, copy.deepcopy(BEFORE), "same") == []


def test_a_lost_record_fails_with_its_category():
	problems = uc.compare(BEFORE, after(lambda r: r["Dealer"].pop("D-1")), "upgrade")
	assert problems == ["Dealer 'D-1' (app): gone"]


def test_a_changed_value_fails():
	def change(r):
		r["Customer"]["C-1"]["sr_sales_person"] = "SP-2"

	problems = uc.compare(BEFORE, after(change), "upgrade")
	assert problems == ["Customer 'C-1' (demo): sr_sales_person 'SP-1' -> 'SP-2'"]


def test_a_lost_column_fails():
	problems = uc.compare(BEFORE, after(lambda r: r["Dealer"]["D-1"].pop("tier")), "upgrade")
	assert problems == ["Dealer 'D-1' (app): column tier gone (was 'Gold')"]


def test_an_empty_new_column_is_an_upgrade_but_not_a_second_migrate():
	def change(r):
		r["Dealer"]["D-1"]["region"] = None

	assert uc.compare(BEFORE, after(change), "upgrade") == []
	assert uc.compare(BEFORE, after(change), "same") == ["Dealer 'D-1' (app): new column region = None"]


def test_a_new_column_filled_on_old_records_needs_an_allowlist_entry(monkeypatch):
	def change(r):
		r["Customer"]["C-1"]["sr_segment"] = "Key Account"

	assert uc.compare(BEFORE, after(change), "upgrade") == [
		"Customer 'C-1' (demo): new column sr_segment = 'Key Account'"
	]
	monkeypatch.setattr(
		uc,
		"INTENDED_CHANGES",
		[{"since": "v9", "doctype": "Customer", "name": "*", "field": "sr_segment", "why": "test"}],
	)
	assert uc.compare(BEFORE, after(change), "upgrade") == []
	# the allowlist never excuses a second migrate
	assert uc.compare(BEFORE, after(change), "same") != []


def test_new_records_are_allowed_in_an_upgrade_only():
	def change(r):
		r["Dealer"]["D-2"] = {"name": "D-2"}

	assert uc.compare(BEFORE, after(change), "upgrade") == []
	assert uc.compare(BEFORE, after(change), "same") == ["Dealer 'D-2': new record"]


@pytest.mark.parametrize("value", ["21", 21, 21.0])
def test_an_edit_that_survives_passes_whatever_the_storage_type(value):
	settings = "Sales Reengineering Settings"
	edits = [[settings, settings, "stuck_opportunity_days", value]]
	assert uc.compare(BEFORE, copy.deepcopy(BEFORE), "upgrade", edits) == []


def test_a_lost_edit_fails_even_when_allowlisted(monkeypatch):
	monkeypatch.setattr(
		uc,
		"INTENDED_CHANGES",
		[{"since": "v9", "doctype": "*", "name": "*", "field": "*", "why": "everything"}],
	)

	def change(r):
		r["Sales Reengineering Settings"]["Sales Reengineering Settings"]["stuck_opportunity_days"] = "14"

	edits = [["Sales Reengineering Settings", "Sales Reengineering Settings", "stuck_opportunity_days", 21]]
	problems = uc.compare(BEFORE, after(change), "upgrade", edits)
	assert problems == [
		"administrator's edit lost: Sales Reengineering Settings 'Sales Reengineering Settings' "
		"stuck_opportunity_days = 21, now '14'"
	]


def test_every_intended_change_says_why_and_since_when():
	for entry in uc.INTENDED_CHANGES:
		assert {"since", "doctype", "name", "why"} <= set(entry)
		assert entry.get("field") or entry.get("kind") in ("removed", "removed-column")


def test_a_field_entry_never_excuses_a_lost_record(monkeypatch):
	monkeypatch.setattr(
		uc, "INTENDED_CHANGES", [{"since": "v9", "doctype": "*", "name": "*", "field": "*", "why": "t"}]
	)
	assert uc.compare(BEFORE, after(lambda r: r["Dealer"].pop("D-1")), "upgrade") == [
		"Dealer 'D-1' (app): gone"
	]
	monkeypatch.setattr(
		uc,
		"INTENDED_CHANGES",
		[{"since": "v9", "doctype": "Dealer", "name": "D-*", "kind": "removed", "why": "t"}],
	)
	assert uc.compare(BEFORE, after(lambda r: r["Dealer"].pop("D-1")), "upgrade") == []


def test_an_intended_change_applies_only_to_upgrades_from_before_its_release(monkeypatch):
	monkeypatch.setattr(
		uc,
		"INTENDED_CHANGES",
		[{"since": "v0.2.0", "doctype": "Dealer", "name": "*", "field": "tier", "why": "t"}],
	)

	def change(r):
		r["Dealer"]["D-1"]["tier"] = "Silver"

	for version, problems in (("0.1.0 (/x)", 0), ("0.2.0.dev0", 0), ("0.2.0", 1), ("0.3.1 (/y)", 1)):
		before = dict(BEFORE, app_version=version)
		assert len(uc.compare(before, after(change), "upgrade")) == problems, version


def test_version_order():
	assert uc.version_key("0.1.0") < uc.version_key("0.2.0.dev0") < uc.version_key("v0.2.0")
	assert uc.version_key("v0.2.0") < uc.version_key("0.10.0")
