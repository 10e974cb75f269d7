"""Every user-facing string of the app has a Simplified Chinese translation in translations/zh.csv.

Pure: reads the app's files, never imports Frappe. It collects what Frappe shows a user:

- Python: the first argument of every `_("...")` / `frappe._("...")` / `_lt("...")` call (the demo
  loader's too: bench prints them), and the labels and descriptions of the built-in KPI indicators
  (`BuiltIn(key, label, ...)`), which the desk shows;
- JavaScript: every `__("...")` (doctype, report, list and client scripts);
- HTML (portal pages, e-mail templates): Jinja `_("...")` and the scripts' `__("...")`;
- DocType JSON: the doctype's name, every field's label and description, every Select option (so the
  built-in indicator keys like `net_sales` too: the desk shows an option through `__()`), connection
  group labels and action labels;
- Report, Workspace, Number Card, Dashboard Chart and Dashboard Chart Source JSON: their names, labels,
  link and shortcut labels, shortcut formats and workspace headers;
- hooks.py: the app title and the portal menu titles; modules.txt: the module names.

Shipped records that code creates at install (workflow states and actions, notifications, email
templates, indicator and reward-tier names) are checked on a real site by
`sales_reengineering/tests/test_translations_site.py`, which also runs Frappe's own extraction.
"""

import ast
import csv
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "sales_reengineering"
ZH = APP / "translations" / "zh.csv"

# folders whose files are not shown to users (the demo loader's messages are: bench prints them)
SKIP_DIRS = {"__pycache__", "node_modules", "tests"}
# JS/Jinja string literal after `__(` or `_(`; template literals only without `${}`
_LITERAL = r"""(?P<q>["'`])(?P<text>(?:\\.|(?!(?P=q)).)*?)(?P=q)"""
JS_CALL = re.compile(r"(?<![\w$.])__\(\s*" + _LITERAL, re.S)
JINJA_CALL = re.compile(r"(?<![\w$])_\(\s*" + _LITERAL, re.S)
TAG = re.compile(r"<[^>]+>")
JSON_DOCTYPES = {"DocType", "Report", "Workspace", "Number Card", "Dashboard Chart", "Dashboard Chart Source"}


def app_files(suffix: str) -> list[Path]:
	return sorted(
		path for path in APP.rglob(f"*{suffix}") if not SKIP_DIRS & set(path.relative_to(APP).parts[:-1])
	)


def is_test_file(path: Path) -> bool:
	return path.name.startswith("test_")


def unescape(text: str) -> str:
	return re.sub(r"\\(.)", r"\1", text)


def translatable(text: str) -> bool:
	"""Words a person reads: not empty, not only digits, placeholders or punctuation."""
	return bool(re.search(r"[A-Za-z]", re.sub(r"\{\w*\}", "", text or "")))


# --- extraction -----------------------------------------------------------------------------------------


def python_messages(path: Path) -> set[str]:
	tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
	found = set()
	for node in ast.walk(tree):
		if not isinstance(node, ast.Call) or not node.args:
			continue
		func = node.func
		name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
		first = node.args[0]
		if name in ("_", "_lt") and isinstance(first, ast.Constant) and isinstance(first.value, str):
			found.add(first.value)
		elif name == "BuiltIn":
			# BuiltIn(key, label, unit, higher_is_better, rollup, description, ...): the label names the
			# indicator record, the description is shown on its form
			for position in (1, 5):
				if len(node.args) > position and isinstance(node.args[position], ast.Constant):
					found.add(node.args[position].value)
			for keyword in node.keywords:
				if keyword.arg in ("label", "description") and isinstance(keyword.value, ast.Constant):
					found.add(keyword.value.value)
	return found


def script_messages(text: str, pattern: re.Pattern = JS_CALL) -> set[str]:
	return {
		unescape(match["text"])
		for match in pattern.finditer(text)
		if not (match["q"] == "`" and "${" in match["text"])
	}


def html_messages(path: Path) -> set[str]:
	text = path.read_text(encoding="utf-8")
	return script_messages(text, JS_CALL) | script_messages(text, JINJA_CALL)


def select_options(options: str) -> set[str]:
	return {line.strip() for line in (options or "").split("\n") if line.strip()}


def json_messages(path: Path) -> set[str]:
	try:
		doc = json.loads(path.read_text(encoding="utf-8"))
	except ValueError:
		return set()
	if not isinstance(doc, dict) or doc.get("doctype") not in JSON_DOCTYPES:
		return set()
	kind = doc["doctype"]
	found: set[str] = set()
	if kind == "DocType":
		found.add(doc["name"])
		for field in doc.get("fields", []):
			found.update(filter(None, (field.get("label"), field.get("description"))))
			# a naming series ("DR-.YYYY.-") is a pattern, not words
			if field.get("fieldtype") == "Select" and field.get("fieldname") != "naming_series":
				found.update(select_options(field.get("options")))
		for link in doc.get("links", []):
			found.update(filter(None, (link.get("group"),)))
		for action in doc.get("actions", []):
			found.update(filter(None, (action.get("label"), action.get("group"))))
	elif kind == "Report":
		found.add(doc["report_name"])
	elif kind == "Workspace":
		found.update(filter(None, (doc.get("label"), doc.get("title"))))
		for table in ("links", "shortcuts", "number_cards", "charts", "quick_lists", "custom_blocks"):
			for row in doc.get(table, []):
				found.update(filter(None, (row.get("label"),)))
				if row.get("format"):
					found.add(row["format"])
		for block in json.loads(doc.get("content") or "[]"):
			if block.get("type") in ("header", "paragraph"):
				found.add(TAG.sub("", block["data"]["text"]).strip())
	elif kind == "Number Card":
		found.add(doc["label"])
	elif kind == "Dashboard Chart":
		found.add(doc["chart_name"])
	elif kind == "Dashboard Chart Source":
		found.add(doc["source_name"])
	return found


def hooks_messages() -> set[str]:
	tree = ast.parse((APP / "hooks.py").read_text(encoding="utf-8"))
	found = set()
	for node in tree.body:
		if not isinstance(node, ast.Assign) or not isinstance(node.targets[0], ast.Name):
			continue
		name = node.targets[0].id
		if name == "app_title":
			found.add(node.value.value)
		elif name in ("portal_menu_items", "standard_portal_menu_items", "add_to_apps_screen"):
			for item in ast.literal_eval(node.value):
				found.add(item["title"])
	return found


def module_names() -> set[str]:
	return {line.strip() for line in (APP / "modules.txt").read_text().splitlines() if line.strip()}


def collect() -> dict[str, set[str]]:
	"""{message: {files it appears in}} over the whole app."""
	sources: dict[str, set[str]] = {}

	def add(messages, origin):
		for message in messages:
			# Frappe strips a message before it looks it up
			message = (message or "").strip()
			if translatable(message):
				sources.setdefault(message, set()).add(origin)

	for path in app_files(".py"):
		if not is_test_file(path):
			add(python_messages(path), str(path.relative_to(ROOT)))
	for path in app_files(".js"):
		add(script_messages(path.read_text(encoding="utf-8")), str(path.relative_to(ROOT)))
	for path in app_files(".html"):
		add(html_messages(path), str(path.relative_to(ROOT)))
	for path in app_files(".json"):
		add(json_messages(path), str(path.relative_to(ROOT)))
	add(hooks_messages(), "sales_reengineering/hooks.py")
	add(module_names(), "sales_reengineering/modules.txt")
	return sources


def read_translations() -> list[list[str]]:
	with ZH.open(encoding="utf-8", newline="") as handle:
		return list(csv.reader(handle))


def translated_keys() -> set[str]:
	"""Source texts with a non-empty translation; a context row ("text", "译文", "context") counts for
	its text too, since Frappe falls back from "text:context" to "text" only the other way round, and a
	context row is written for one place that needs it."""
	return {row[0] for row in read_translations() if len(row) >= 2 and row[1].strip()}


MESSAGES = collect()


# --- the checks -----------------------------------------------------------------------------------------


def test_extraction_finds_the_app_strings():
	"""The extractor itself works: it sees strings of every kind of source."""
	assert len(MESSAGES) > 800
	for expected in (
		"Dealer",  # doctype name
		"Deal Registrations",  # portal menu title in hooks.py
		"net_sales",  # a Select option (built-in indicator key)
		"Net Sales",  # a BuiltIn label
		"Channel",  # a module
		"Average KPI Score",  # a number card
	):
		assert expected in MESSAGES, expected


def test_extractors_on_samples():
	js = """frappe.msgprint(__("Saved {0}", [x])); __('It\\'s here'); __(`plain`); __(`has ${x}`);"""
	assert script_messages(js) == {"Saved {0}", "It's here", "plain"}
	html = """<b>{{ _("Tier") }}</b><script>__("Loaded.")</script>{{ frappe._("Also") }}{{ x_("no") }}"""
	assert html_messages_from_text(html) == {"Tier", "Loaded.", "Also"}
	assert not translatable("{0} ({1})")
	assert translatable("{0} days")


def html_messages_from_text(text: str) -> set[str]:
	return script_messages(text, JS_CALL) | script_messages(text, JINJA_CALL)


def test_translation_file_is_well_formed():
	"""Two (or three, with a context) columns, CRLF endings as Frappe writes them, no text twice with
	different translations."""
	raw = ZH.read_bytes()
	assert raw.count(b"\n") == raw.count(b"\r\n"), "zh.csv must use CRLF line endings only"
	seen: dict[str, str] = {}
	clashes = []
	for number, row in enumerate(read_translations(), start=1):
		assert len(row) in (2, 3), f"line {number}: {row}"
		key = row[0] if len(row) == 2 else f"{row[0]}:{row[2]}"
		if key in seen and seen[key] != row[1]:
			clashes.append(f"{key!r}: {seen[key]!r} / {row[1]!r}")
		seen[key] = row[1]
	assert not clashes, "translated twice, differently:\n" + "\n".join(clashes)


def test_every_user_facing_string_has_a_chinese_translation():
	keys = translated_keys()
	missing = sorted(message for message in MESSAGES if message not in keys)
	report = "\n".join(f"{message!r}  ({', '.join(sorted(MESSAGES[message])[:2])})" for message in missing)
	assert not missing, f"{len(missing)} of {len(MESSAGES)} strings have no zh translation:\n{report}"


@pytest.mark.parametrize("placeholder", [r"\{\d+(?::[^}]*)?\}", r"\{\{[^}]*\}\}"])
def test_translations_keep_their_placeholders(placeholder):
	"""A translation keeps every {0} of its source (and every Jinja {{ }}), or the message breaks."""
	wrong = [
		(row[0], row[1])
		for row in read_translations()
		if len(row) >= 2
		and row[1].strip()
		and set(re.findall(placeholder, row[0])) != set(re.findall(placeholder, row[1]))
	]
	assert not wrong, "\n".join(f"{source!r} -> {target!r}" for source, target in wrong)


def builtin_indicators() -> list[tuple[str, str]]:
	"""(key, label) of every built-in KPI indicator, from indicators.py."""
	tree = ast.parse((APP / "performance" / "indicators.py").read_text(encoding="utf-8"))
	return [
		(node.args[0].value, node.args[1].value)
		for node in ast.walk(tree)
		if isinstance(node, ast.Call)
		and getattr(node.func, "id", None) == "BuiltIn"
		and len(node.args) > 1
		and all(isinstance(arg, ast.Constant) for arg in node.args[:2])
	]


def test_indicator_keys_read_as_their_labels():
	"""The desk shows a built-in indicator's key (`net_sales`, a Select option) through `__()`: in
	English en.csv turns it into the indicator's label, in Chinese zh.csv into the label's translation,
	so no internal key ever reaches a user."""
	pairs = builtin_indicators()
	assert len(pairs) >= 20
	zh = {row[0]: row[1] for row in read_translations() if len(row) >= 2}
	with (APP / "translations" / "en.csv").open(encoding="utf-8", newline="") as handle:
		en = {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2}
	assert {key: en.get(key) for key, _label in pairs} == dict(pairs)
	assert {key: zh.get(key) for key, _label in pairs} == {key: zh.get(label) for key, label in pairs}
