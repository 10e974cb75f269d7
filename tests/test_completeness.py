import pytest

from sales_reengineering.core.completeness import (
	CompletenessError,
	Rule,
	any_item_with,
	completeness,
	field_present,
	get_path,
	is_missing,
	min_items,
	rule,
)

RECORD = {
	"customer_name": "华为技术有限公司",
	"tax_id": "  ",
	"industry": None,
	"credit_limit": 0,
	"is_key_account": False,
	"billing": {"city": "深圳", "pincode": ""},
	"contacts": [{"name": "Zhang", "email_id": ""}, {"name": "Li", "email_id": "li@example.com"}],
	"addresses": [{"city": "深圳"}, {}],
	"tags": [],
}


@pytest.mark.parametrize(
	("value", "missing"),
	[
		(None, True),
		("", True),
		("  \t\n", True),
		("\u3000", True),
		([], True),
		({}, True),
		((), True),
		(set(), True),
		("x", False),
		(0, False),
		(False, False),
		([None], False),
	],
)
def test_is_missing(value, missing):
	assert is_missing(value) is missing


def test_get_path():
	assert get_path(RECORD, "billing.city") == "深圳"
	assert get_path(RECORD, "billing.street") is None
	assert get_path(RECORD, "industry.name") is None
	assert get_path(RECORD, "customer_name.x") is None


def test_field_present_rules_and_weight_normalisation():
	rules = [
		("customer_name", 3),
		("tax_id", 1),
		("credit_limit", 1),
		("industry", 1),
		("city", 2, "billing.city"),
	]
	score, missing = completeness(RECORD, rules)
	# met: 3 + 1 + 2 = 6 of 8
	assert score == 75.0
	assert missing == ["tax_id", "industry"]


def test_nested_list_rules():
	rules = [
		("contact_email", 10, {"list": "contacts", "field": "email_id"}),
		("contact_phone", 10, {"list": "contacts", "field": "phone"}),
		("two_addresses", 5, {"list": "addresses", "min_count": 2}),
		("one_address", 5, {"kind": "min_items", "list": "addresses", "min_count": 1}),
		("two_emails", 5, {"list": "contacts", "min_count": 2, "field": "email_id"}),
		("tags", 5, {"kind": "min_items", "list": "tags"}),
		("no_list", 5, {"list": "missing_list", "field": "x"}),
	]
	score, missing = completeness(RECORD, rules)
	assert missing == ["contact_phone", "two_addresses", "two_emails", "tags", "no_list"]
	assert score == round(15 / 45 * 100, 2)


def test_helper_constructors_and_predicates():
	rules = [
		Rule("name", 1, field_present("customer_name")),
		Rule("email", 1, any_item_with("contacts", "email_id")),
		Rule("addr", 1, min_items("addresses", 1, "city")),
		rule("key_account", 1, lambda record: record["is_key_account"]),
	]
	assert completeness(RECORD, rules) == (75.0, ["key_account"])


def test_empty_rules_mean_complete():
	assert completeness({}, []) == (100.0, [])


def test_zero_weight_rule_reported_but_not_scored():
	score, missing = completeness(RECORD, [("customer_name", 1), ("industry", 0)])
	assert score == 100.0
	assert missing == ["industry"]


def test_rounding_to_two_decimals():
	assert completeness({"a": 1}, [("a", 1), ("b", 1), ("c", 1)]) == (33.33, ["b", "c"])
	assert completeness({"a": 1, "b": 1}, [("a", 1), ("b", 1), ("c", 1)])[0] == 66.67


@pytest.mark.parametrize(
	"rules",
	[
		[("a", 0), ("b", 0)],
		[("a", -1)],
		[("a", float("nan"))],
		[("a", "10")],
		[("a", 1), ("a", 2)],
		[("", 1)],
		[("a", 1, 42)],
		[("a", 1, {"kind": "regex"})],
		[("a", 1, {"list": "contacts", "min_count": -1})],
		[("a", 1, {"list": "contacts", "min_count": 1.5})],
		[("a", 1, {"list": "", "field": "x"})],
		[("a",)],
		["a"],
	],
)
def test_rejects_bad_rules(rules):
	with pytest.raises(CompletenessError):
		completeness(RECORD, rules)


def test_list_rule_on_non_list_value_is_an_error():
	with pytest.raises(CompletenessError):
		completeness({"contacts": "Zhang"}, [("c", 1, {"list": "contacts", "field": "email_id"})])


def test_predicate_errors_propagate():
	def broken(record):
		raise KeyError("boom")

	with pytest.raises(KeyError):
		completeness(RECORD, [("x", 1, broken)])
