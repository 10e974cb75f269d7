"""Workflow state names are translated on the desk for every user, not only for those who may read the
Workflow State doctype (Frappe's Link formatter translates a link only then). Pure: reads hooks.py and
the desk script; every state the app ships has its zh.csv line (tests/test_translations.py and
sales_reengineering/tests/test_translations_site.py)."""

import ast
import re
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "sales_reengineering"
SCRIPT = "/assets/sales_reengineering/js/workflow_state.js"


def hook(name: str):
	tree = ast.parse((APP / "hooks.py").read_text(encoding="utf-8"))
	for node in tree.body:
		if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
			return ast.literal_eval(node.value)
	return None


def test_the_desk_loads_the_script():
	included = hook("app_include_js") or []
	assert SCRIPT in ([included] if isinstance(included, str) else included)
	assert (APP / "public" / "js" / "workflow_state.js").is_file()


def test_the_script_translates_workflow_state_links():
	source = (APP / "public" / "js" / "workflow_state.js").read_text(encoding="utf-8")
	assert re.search(r'link_formatters\["Workflow State"\]\s*=\s*\(value\)\s*=>[^;]*__\(value\)', source)
