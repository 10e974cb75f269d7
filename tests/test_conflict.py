# ruff: noqa: RUF001  (full-width characters are the point of these tests)
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales_reengineering.core.conflict import (
	PROVINCES,
	Conflict,
	ConflictError,
	Protection,
	credit_code_check_char,
	find_conflicts,
	is_valid_credit_code,
	normalize_company_name,
	normalize_credit_code,
)

# Real codes; each was checked with credit_code_check_char before being kept here.
VALID_CODES = ["91350100M000100Y43", "91110108551385082Q", "91440300708461136T", "9144030071526726XG"]


def test_there_are_34_provincial_divisions():
	assert len(PROVINCES) == 34 == len(set(PROVINCES))


# --- company names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
	"name",
	[
		"北京华为技术有限公司",
		"华为技术（北京）有限公司",
		"华为技术(北京)有限公司",
		"华为技术有限公司",
		"华为技术【上海】有限公司",
		"华为技术（内蒙古自治区）有限公司",
		"北京市华为技术有限公司",
		" 华为技术 股份有限公司 ",
		"华为技术有限责任公司",
		"华为技术集团",
		"广东省华为技术公司",
		"华为·技术，有限公司。",
		"华为技术\u3000有限公司",
	],
)
def test_company_name_variants_normalise_to_the_same_key(name):
	assert normalize_company_name(name) == "华为技术"


@pytest.mark.parametrize(
	("name", "expected"),
	[
		("北京有限公司", "北京"),  # province is the whole remaining name: kept
		("北京市", "北京市"),
		("上海", "上海"),
		("北京上海贸易", "贸易"),
		("北京银行股份有限公司", "北京银行"),  # region is part of the identity
		("上海银行", "上海银行"),
		("浙江大学", "浙江大学"),
		("北京市人民医院", "北京市人民医院"),
		("浙江移动", "浙江移动"),
		("中国平安保险（集团）股份有限公司", "中国平安保险"),
		("浙江吉利控股集团有限公司", "吉利控股"),
		("内蒙古伊利实业集团股份有限公司", "伊利实业"),
		("广西壮族自治区玉柴机器股份有限公司", "玉柴机器"),
		("深圳市腾讯计算机系统有限公司", "深圳市腾讯计算机系统"),  # cities are not prefixes
		("海尔集团公司", "海尔"),
		("Lenovo (Beijing) Co., Ltd.", "lenovo"),
		("Huawei Technologies Co., Ltd", "huaweitechnologies"),
		("ＡＢＣ　Ｔｅｃｈ　Ｉｎｃ．", "abctech"),
		("Group Inc", "group"),
		("Acme (Holdings) Corp", "acmeholdings"),
		("有限公司", ""),
		("", ""),
		(None, ""),
		("  ，。 ", ""),
	],
)
def test_company_name_normalisation(name, expected):
	assert normalize_company_name(name) == expected


def test_company_name_rejects_non_strings():
	with pytest.raises(ConflictError):
		normalize_company_name(123)


@given(st.text(max_size=30))
def test_property_name_normalisation_idempotent(text):
	once = normalize_company_name(text)
	assert normalize_company_name(once) == once


@given(
	st.text(alphabet="北京上海市省华为技术有限公司集团股份责任()（）【】 ,.，。、·abcoltdinc", max_size=25)
)
def test_property_name_normalisation_idempotent_on_company_like_text(text):
	once = normalize_company_name(text)
	assert normalize_company_name(once) == once
	assert " " not in once


# --- credit codes -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_credit_codes(code):
	assert credit_code_check_char(code[:17]) == code[17]
	assert is_valid_credit_code(code)


@pytest.mark.parametrize("code", VALID_CODES)
def test_changed_check_char_is_invalid(code):
	for char in "0123456789ABCDEFGHJKLMNPQRTUWXY":
		if char != code[17]:
			assert not is_valid_credit_code(code[:17] + char)


@pytest.mark.parametrize(
	"code",
	[
		"91350100M000100Y4",  # 17 characters
		"91350100M000100Y433",  # 19 characters
		"91350100M000I00Y43",  # I is not in the charset
		"",
		None,
		12345,
		"911100001000013428",  # wrong check character (C expected)
	],
)
def test_invalid_credit_codes(code):
	assert not is_valid_credit_code(code)


def test_normalize_credit_code():
	assert normalize_credit_code(" 9135-0100 m000100y43\n") == "91350100M000100Y43"
	assert normalize_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"
	assert normalize_credit_code("91350100\u2014M000100Y43") == "91350100M000100Y43"
	assert normalize_credit_code(None) == ""
	assert is_valid_credit_code("９１３５０１００－ｍ０００１００ｙ４３")
	with pytest.raises(ConflictError):
		normalize_credit_code(91350100)


def test_check_char_rejects_bad_body():
	for body in ("123", "91350100M000100YI", None):
		with pytest.raises(ConflictError):
			credit_code_check_char(body)


# --- conflicts --------------------------------------------------------------------------------

AS_OF = date(2025, 6, 1)


def existing():
	return [
		{"owner": "DEALER-A", "customer": "CUST-001", "name": "Foo", "protected_until": date(2025, 12, 31)},
		{"owner": "DEALER-B", "credit_code": "91350100m000100y43", "name": "Bar"},
		{"owner": "direct:Wang", "name": "北京华为技术有限公司", "protected_until": "2025-06-01"},
		{"owner": "DEALER-C", "name": "华为技术有限公司", "protected_until": date(2025, 5, 31)},  # expired
		{"owner": "DEALER-D", "credit_code": "91350100M000100Y44", "name": "Baz"},  # invalid code
	]


def test_find_conflicts_priorities_and_filters():
	candidate = {
		"owner": "DEALER-X",
		"customer": "CUST-001",
		"credit_code": "91350100-M000100Y43",
		"name": "华为技术（北京）有限公司",
	}
	conflicts = find_conflicts(candidate, existing(), as_of=AS_OF)
	assert [(c.reason, c.owner) for c in conflicts] == [
		("customer", "DEALER-A"),
		("credit_code", "DEALER-B"),
		("name", "direct:Wang"),  # protected_until == as_of is still protected
	]
	assert conflicts[1].matched == "91350100M000100Y43"
	assert conflicts[2].matched == "华为技术"
	assert conflicts[2].protected_until == date(2025, 6, 1)
	assert conflicts[0].existing is not None and isinstance(conflicts[0], Conflict)


def test_highest_priority_reason_only():
	other = [{"owner": "B", "customer": "C1", "credit_code": VALID_CODES[0], "name": "Same Co"}]
	candidate = Protection(customer="C1", credit_code=VALID_CODES[0], name="Same Co", owner="A")
	conflicts = find_conflicts(candidate, other, as_of=AS_OF)
	assert [c.reason for c in conflicts] == ["customer"]


def test_same_owner_is_ignored():
	candidate = {"owner": "direct:Wang", "name": "华为技术有限公司"}
	assert find_conflicts(candidate, existing(), as_of=AS_OF) == []


def test_unknown_owner_is_never_the_same_owner():
	candidate = {"owner": None, "name": "Foo"}
	items = [{"owner": None, "name": "Foo"}]
	assert [c.reason for c in find_conflicts(candidate, items, as_of=AS_OF)] == ["name"]


def test_same_ref_is_the_candidate_itself():
	items = [{"ref": "PROT-1", "owner": "A", "name": "Foo"}]
	assert find_conflicts({"ref": "PROT-1", "owner": "B", "name": "Foo"}, items, as_of=AS_OF) == []


def test_expired_protection_ignored_and_dates_accepted():
	items = [
		{"owner": "A", "name": "Foo", "protected_until": datetime(2025, 5, 31, 23, 59)},
		{"owner": "B", "name": "Foo", "protected_until": None},
		{"owner": "C", "name": "Foo", "protected_until": ""},
	]
	conflicts = find_conflicts({"owner": "X", "name": "Foo Co., Ltd."}, items, as_of=AS_OF)
	assert [c.owner for c in conflicts] == ["B", "C"]


def test_invalid_codes_and_empty_names_never_match():
	items = [{"owner": "A", "credit_code": "ABC", "name": "有限公司"}]
	candidate = {"owner": "B", "credit_code": "ABC", "name": "公司"}
	assert find_conflicts(candidate, items, as_of=AS_OF) == []


def test_company_name_field_preferred_for_frappe_documents():
	items = [{"name": "PROT-0001", "company_name": "华为技术有限公司", "owner": "A"}]
	candidate = {"name": "PROT-0002", "company_name": "北京华为技术有限公司", "owner": "B"}
	assert [c.reason for c in find_conflicts(candidate, items, as_of=AS_OF)] == ["name"]


def test_objects_are_accepted():
	class Doc:
		customer = None
		credit_code = VALID_CODES[1]
		name = "X"
		owner = "A"
		protected_until = None

	candidate = Protection(credit_code=VALID_CODES[1].lower(), owner="B")
	assert [c.reason for c in find_conflicts(candidate, [Doc()], as_of=AS_OF)] == ["credit_code"]


def test_bad_dates_rejected():
	with pytest.raises(ConflictError):
		find_conflicts({"owner": "A"}, [{"owner": "B", "protected_until": "soon"}], as_of=AS_OF)
	with pytest.raises(ConflictError):
		find_conflicts({"owner": "A"}, [], as_of="tomorrow")


def test_default_as_of_is_today():
	items = [{"owner": "A", "name": "Foo", "protected_until": date(2000, 1, 1)}]
	assert find_conflicts({"owner": "B", "name": "Foo"}, items) == []
