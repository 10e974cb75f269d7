"""scripts/security_check.py: each rule fires on the unsafe form and stays quiet on the safe one, the
allowlist covers exactly what it names, and this checkout's app is clean (which is how CI enforces it:
this pure suite runs in CI)."""

import importlib.util
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("security_check", ROOT / "scripts" / "security_check.py")
security_check = importlib.util.module_from_spec(_spec)
sys.modules["security_check"] = security_check  # dataclasses look their module up there
_spec.loader.exec_module(security_check)

IGNORE = security_check.IGNORE_PERMISSIONS
SQL = security_check.SQL_FROM_VALUES
GET_WRITE = security_check.WHITELIST_GET_MUTATES


def findings(source: str, allowlist: str | None = None, path: str = "app/module.py") -> list:
	return security_check.check_source(textwrap.dedent(source), path=path, allowlist=allowlist)


def rules(source: str, **kwargs) -> list[str]:
	return [finding.rule for finding in findings(source, **kwargs)]


# --- ignore-permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"statement",
	[
		'frappe.get_doc({"doctype": "ToDo"}).insert(ignore_permissions=True)',
		"doc.save(ignore_permissions=True)",
		'frappe.get_list("Customer", ignore_permissions=True)',
		'frappe.delete_doc("Customer", name, ignore_permissions=True)',
		"doc.flags.ignore_permissions = True",
		"frappe.flags.ignore_permissions = True",
		# a caller-controlled bypass (crm's remove_assignments) is worse than a literal one
		"doc.insert(ignore_permissions=skip)",
	],
)
def test_ignore_permissions_fires(statement):
	source = f"import frappe\n\ndef act(doc, name, skip):\n\t{statement}\n"
	found = findings(source)
	assert [f.rule for f in found] == [IGNORE]
	assert found[0].line == 4
	assert found[0].function == "act"


@pytest.mark.parametrize(
	"statement",
	[
		"doc.insert()",
		"doc.insert(ignore_permissions=False)",
		"doc.flags.ignore_permissions = False",
		'frappe.get_list("Customer", filters={"owner": frappe.session.user})',
	],
)
def test_ignore_permissions_clean_forms(statement):
	assert rules(f"import frappe\n\ndef act(doc):\n\t{statement}\n") == []


def test_allowlist_covers_only_the_named_function_and_rule():
	source = """
	import frappe

	class Dealer:
		def grant(self, user):
			frappe.get_doc("User", user).save(ignore_permissions=True)

	def other(doc):
		doc.save(ignore_permissions=True)
		frappe.db.sql(f"select 1 from tabX where a = {doc.name}")
	"""
	listed = (
		"app/module.py::Dealer.grant  ignore-permissions  Only the portal roles, to this dealer's users.\n"
	)
	remaining = findings(source, allowlist=listed)
	assert [(f.function, f.rule) for f in remaining] == [("other", IGNORE), ("other", SQL)]
	# another rule in the listed function is not covered
	wrong_rule = "app/module.py::other  sql-from-values  reviewed\n"
	assert [f.rule for f in findings(source, allowlist=wrong_rule)] == [IGNORE, IGNORE]


def test_allowlist_lines_need_a_rule_and_a_reason():
	bad = "app/module.py::act ignore-permissions\napp/module.py::act no-such-rule because\n"
	found = findings("def act():\n\tpass\n", allowlist=bad)
	assert [f.rule for f in found] == [security_check.BAD_ALLOWLIST] * 2
	assert [f.line for f in found] == [1, 2]


# --- sql-from-values ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"statement",
	[
		"frappe.db.sql(f\"select name from tabCustomer where name = '{name}'\")",
		"frappe.db.sql(\"select name from tabCustomer where name = '%s'\" % name)",
		'frappe.db.sql("select name from tabCustomer where name = {0}".format(name))',
		'frappe.db.sql("select name from tabCustomer where name = \'" + name + "\'")',
		'frappe.db.sql_list(f"select name from tabCustomer where territory = {territory}")',
		'frappe.db.sql(query=f"select name from tabCustomer where name = {name}")',
		'frappe.db.sql(f"select name from tabCustomer where name = {frappe.db.escape(name)} and {cond}")',
		'frappe.db.sql(f"select name from `tab{doctype}`")',
		'frappe.qb.engine.run(f"select {name}")',
	],
)
def test_sql_from_values_fires(statement):
	source = f"import frappe\n\ndef read(name, territory, cond, doctype):\n\t{statement}\n"
	assert rules(source) == [SQL]


def test_sql_follows_a_query_built_in_steps():
	source = """
	import frappe

	def read(name):
		query = "select name from tabCustomer where 1=1"
		query += f" and name = {name}"
		return frappe.db.sql(query)
	"""
	found = findings(source)
	assert [f.rule for f in found] == [SQL]
	assert "`name`" in found[0].message


@pytest.mark.parametrize(
	"statement",
	[
		'frappe.db.sql("select name from tabCustomer")',
		'frappe.db.sql("select name from tabCustomer where name = %(name)s", {"name": name})',
		'frappe.db.sql("select name from tabCustomer where name = %s", (name,))',
		'frappe.db.sql(f"select name from tabCustomer where name = {frappe.db.escape(name)}")',
		'frappe.db.sql(f"select name from tabCustomer limit {cint(limit)}")',
		'frappe.db.sql(f"select name from `{TABLE}` where x = {frappe.db.VARCHAR_LEN}")',
		'frappe.db.sql_list("select name from tabCustomer where name in ({})".format('
		'", ".join(frappe.db.escape(n) for n in names)))',
		'frappe.db.sql("select name from tabCustomer where " + "disabled = 0")',
		"query.run(as_dict=True)",
	],
)
def test_sql_clean_forms(statement):
	source = (
		f'import frappe\n\nTABLE = "tabCustomer"\n\ndef read(name, names, limit, query):\n\t{statement}\n'
	)
	assert rules(source) == []


def test_sql_loop_over_constant_identifiers_is_clean():
	source = """
	import frappe

	def stamp():
		for doctype in ("Contact", "Address"):
			frappe.db.sql(f"update `tab{doctype}` set modified = now()")
	"""
	assert rules(source) == []


# --- whitelist-get-mutates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"decorator",
	["@frappe.whitelist()", "@frappe.whitelist", '@frappe.whitelist(methods=["GET", "POST"])'],
)
@pytest.mark.parametrize(
	"statement",
	[
		'frappe.get_doc("ToDo", name).save()',
		'frappe.get_doc({"doctype": "ToDo"}).insert()',
		'frappe.get_doc("Deal Registration", name).submit()',
		'frappe.delete_doc("ToDo", name)',
		'frappe.db.set_value("ToDo", name, "status", "Closed")',
		'frappe.db.delete("ToDo", {"name": name})',
		"frappe.db.sql(\"update tabToDo set status = 'Closed'\")",
		'frappe.qb.update(frappe.qb.DocType("ToDo")).set("status", "Closed").run()',
		'frappe.enqueue("app.module.job")',
		'frappe.get_doc("ToDo", name).db_set("status", "Closed")',
	],
)
def test_whitelisted_write_on_get_fires(decorator, statement):
	source = f"import frappe\n\n{decorator}\ndef act(name):\n\t{statement}\n"
	found = findings(source)
	assert [f.rule for f in found] == [GET_WRITE]
	assert found[0].function == "act"
	assert 'methods=["POST"]' in found[0].message


def test_write_found_through_helpers_and_controller_methods():
	source = """
	import frappe
	from frappe.model.document import Document

	@frappe.whitelist()
	def recompute(name):
		return _helper(name)

	def _helper(name):
		return _deeper(name)

	def _deeper(name):
		frappe.get_doc("ToDo", name).save()

	class Review(Document):
		@frappe.whitelist()
		def fill(self):
			self._store()

		def _store(self):
			self.save()
	"""
	found = findings(source)
	assert [(f.function, f.rule) for f in found] == [("recompute", GET_WRITE), ("Review.fill", GET_WRITE)]
	assert "calls _helper() -> calls _deeper() -> " in found[0].message


def test_write_found_through_another_module_of_the_app():
	helper = security_check.Module(
		"app/helpers.py",
		"import frappe\n\ndef close(name):\n\tfrappe.db.set_value('ToDo', name, 'a', 1)\n",
		"app.helpers",
	)
	endpoint = security_check.Module(
		"app/api.py",
		"import frappe\nfrom app.helpers import close\nfrom . import helpers\n\n"
		"@frappe.whitelist()\ndef one(name):\n\tclose(name)\n\n"
		"@frappe.whitelist()\ndef two(name):\n\thelpers.close(name)\n",
		"app.api",
	)
	found = security_check.all_findings([helper, endpoint])
	assert [(f.path, f.function) for f in found] == [("app/api.py", "one"), ("app/api.py", "two")]


@pytest.mark.parametrize(
	"source",
	[
		# POST only
		'import frappe\n\n@frappe.whitelist(methods=["POST"])\ndef act(name):\n\tfrappe.get_doc("ToDo", name).save()\n',
		# reads only
		'import frappe\n\n@frappe.whitelist()\ndef act(name):\n\treturn frappe.get_list("ToDo", filters={"name": name})\n',
		# list.insert(index, value) is not a document insert
		"import frappe\n\n@frappe.whitelist()\ndef act(rows):\n\trows.insert(0, {})\n\treturn rows\n",
		# writing, but not whitelisted
		'import frappe\n\ndef act(name):\n\tfrappe.get_doc("ToDo", name).save()\n',
	],
)
def test_whitelist_clean_forms(source):
	assert rules(source) == []


def test_portal_page_context_may_not_write():
	source = 'import frappe\n\ndef get_context(context):\n\tfrappe.get_doc({"doctype": "ToDo"}).insert()\n'
	assert rules(source, path="app/www/dealer/index.py") == [GET_WRITE]
	assert rules(source, path="app/dealer/page.py") == []


# --- the command ----------------------------------------------------------------------------------------


def make_app(tmp_path: Path, source: str, allowlist: str = "") -> Path:
	package = tmp_path / security_check.APP
	package.mkdir()
	(package / "module.py").write_text(textwrap.dedent(source))
	(package / "test_module.py").write_text("def test():\n\tdoc.save(ignore_permissions=True)\n")
	(tmp_path / "scripts").mkdir()
	(tmp_path / "scripts" / "security_allowlist.txt").write_text(allowlist)
	return tmp_path


def test_command_prints_path_line_rule_message_and_fails(tmp_path, capsys):
	root = make_app(tmp_path, "def act(doc):\n\tdoc.save(ignore_permissions=True)\n")
	assert security_check.main(["--root", str(root)]) == 1
	out = capsys.readouterr().out.splitlines()
	# test modules are not checked
	assert out == [
		f"{security_check.APP}/module.py:2: ignore-permissions: save(ignore_permissions=True) skips the "
		"permission check: filter to the party, then list it in the allowlist with the reason"
	]


def test_command_passes_with_the_reviewed_case_listed(tmp_path, capsys):
	entry = f"{security_check.APP}/module.py::act  ignore-permissions  Install step, no request input.\n"
	root = make_app(tmp_path, "def act(doc):\n\tdoc.save(ignore_permissions=True)\n", entry)
	assert security_check.main(["--root", str(root)]) == 0
	assert capsys.readouterr().out == ""


def test_command_reports_stale_entries(tmp_path, capsys):
	entry = f"{security_check.APP}/module.py::gone  ignore-permissions  Was reviewed once.\n"
	root = make_app(tmp_path, "def act(doc):\n\tdoc.save()\n", entry)
	assert security_check.main(["--root", str(root)]) == 1
	assert ": stale-allowlist: " in capsys.readouterr().out


def test_command_reports_unparsable_files(tmp_path, capsys):
	root = make_app(tmp_path, "def act(:\n")
	assert security_check.main(["--root", str(root)]) == 1
	assert f"{security_check.APP}/module.py:1: syntax-error: " in capsys.readouterr().out


# --- this checkout ----------------------------------------------------------------------------------------


def test_the_app_is_clean():
	"""New findings fail CI: fix them, or review them and list them in scripts/security_allowlist.txt."""
	found = security_check.check_tree(ROOT, ROOT / "scripts" / "security_allowlist.txt")
	assert not found, "\n" + "\n".join(str(f) for f in found)
