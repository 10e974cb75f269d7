#!/usr/bin/env python3
"""Static security check of the app's Python code (plain Python, `ast` only: no frappe, no bench).

Three rules, each a door that a review once had to close by hand:

  ignore-permissions   `ignore_permissions=True` in a call, or `<x>.flags.ignore_permissions = True`
                       (also any non-False value: a caller-controlled bypass is worse). Every occurrence
                       must be reviewed: it is listed in the allowlist with the party filter or the reason
                       that makes it safe (an install step, a system job, a record the user just proved
                       access to).
  sql-from-values      frappe.db.sql / sql_list / sql_ddl / multisql (or `.run(query)`) whose query is an
                       f-string, `%` formatting, `.format()` or `+` concatenation that interpolates anything
                       other than constants, numbers (int/float/cint/flt) and `frappe.db.escape(...)`.
                       Pass values as `%(name)s` parameters instead, or use frappe.qb.
  whitelist-get-mutates  a whitelisted function or controller method that writes (insert, save, submit,
                       cancel, delete, db_set, db.set_value, db.delete, qb update/insert, SQL insert/update/
                       delete, enqueue, sendmail, ...), directly or through a function of this app that it
                       calls, but is not restricted to POST: `@frappe.whitelist(methods=["POST"])`. A GET
                       can be triggered by a link or an <img> on another site. A portal page's
                       `get_context` (under www/) is a GET too, and may not write either.

Findings print as `path:line: rule: message`; the exit code is 1 when there is any. A reviewed case is
listed in the allowlist (scripts/security_allowlist.txt), one per line:

    <path>::<function>  <rule>  <one-line justification>

keyed by file and function (`Class.method`, `outer.inner`, or `<module>`), not by line numbers, so that
edits elsewhere in a file do not disturb it. An entry covers that rule in that function. An entry that no
longer matches anything is itself reported (`stale-allowlist`), so that the list stays true.

Test modules (`test_*.py` and anything under a `tests/` folder) are not checked: they are not reachable
from a request.

Usage: python scripts/security_check.py [--allowlist FILE] [--root DIR] [PATH ...]
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
APP = "sales_reengineering"
DEFAULT_ALLOWLIST = REPO / "scripts" / "security_allowlist.txt"

IGNORE_PERMISSIONS = "ignore-permissions"
SQL_FROM_VALUES = "sql-from-values"
WHITELIST_GET_MUTATES = "whitelist-get-mutates"
STALE_ALLOWLIST = "stale-allowlist"
BAD_ALLOWLIST = "bad-allowlist"
SYNTAX_ERROR = "syntax-error"
RULES = (IGNORE_PERMISSIONS, SQL_FROM_VALUES, WHITELIST_GET_MUTATES)

SQL_RUNNERS = {"sql", "sql_list", "sql_ddl", "multisql"}
# calls that are numbers (or escaped) whatever their argument: safe inside SQL text
SAFE_CALLS = {"int", "float", "cint", "flt", "len"}
# attribute calls that write, whatever object they are called on
WRITE_METHODS = {
	"insert",
	"save",
	"submit",
	"cancel",
	"delete",
	"db_set",
	"db_insert",
	"db_update",
	"delete_doc",
	"rename_doc",
	"set_value",
	"set_single_value",
	"bulk_update",
	"enqueue",
	"enqueue_doc",
	"sendmail",
	"add_comment",
	"apply_workflow",
	"make_notification_logs",
	"truncate",
}
# frappe.qb.<x>(...) that start a writing query
QB_WRITES = {"update", "into"}
SQL_WRITE_WORDS = {"insert", "update", "delete", "replace", "alter", "drop", "create", "truncate", "rename"}
MAX_DEPTH = 12


@dataclass(frozen=True, order=True)
class Finding:
	path: str
	line: int
	rule: str
	message: str
	function: str = field(default="<module>", compare=False)

	def __str__(self) -> str:
		return f"{self.path}:{self.line}: {self.rule}: {self.message}"


# --- allowlist ------------------------------------------------------------------------------------------


@dataclass
class Allowlist:
	entries: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (path, function, rule) -> why
	errors: list[Finding] = field(default_factory=list)

	@classmethod
	def parse(cls, text: str, source: str = "allowlist") -> Allowlist:
		allow = cls()
		for number, raw in enumerate(text.splitlines(), 1):
			line = raw.strip()
			if not line or line.startswith("#"):
				continue
			parts = line.split(None, 2)
			key = parts[0] if parts else ""
			if len(parts) < 3 or "::" not in key or parts[1] not in RULES:
				allow.errors.append(
					Finding(
						source,
						number,
						BAD_ALLOWLIST,
						"expected `<path>::<function>  <rule>  <justification>` with a rule out of "
						+ ", ".join(RULES),
					)
				)
				continue
			path, function = key.split("::", 1)
			allow.entries[(path, function, parts[1])] = parts[2]
		return allow

	@classmethod
	def load(cls, path: Path | None) -> Allowlist:
		if path is None or not path.exists():
			return cls()
		return cls.parse(path.read_text(encoding="utf-8"), str(path))

	def allows(self, finding: Finding) -> bool:
		return (finding.path, finding.function, finding.rule) in self.entries


# --- reading a module -----------------------------------------------------------------------------------


def dotted(node: ast.AST) -> str:
	"""`frappe.db.sql` for the expression frappe.db.sql; "" when it is not a plain dotted name."""
	if isinstance(node, ast.Name):
		return node.id
	if isinstance(node, ast.Attribute):
		base = dotted(node.value)
		return f"{base}.{node.attr}" if base else ""
	return ""


def call_name(call: ast.Call) -> str:
	"""The called attribute or name: `sql` for frappe.db.sql(...), `cint` for cint(...)."""
	if isinstance(call.func, ast.Attribute):
		return call.func.attr
	if isinstance(call.func, ast.Name):
		return call.func.id
	return ""


def is_true_like(node: ast.AST | None) -> bool:
	"""Anything but a literal False/None/0: True, or a value the caller controls."""
	return not (isinstance(node, ast.Constant) and not node.value)


class Module:
	"""One parsed source file, with its functions by qualified name and what each name is imported as."""

	def __init__(self, path: str, source: str, dotted_name: str = ""):
		self.path = path
		self.name = dotted_name
		self.tree = ast.parse(source, filename=path)
		self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
		self.owner: dict[ast.AST, str] = {}  # every node -> qualified name of its innermost function
		self.classes: dict[str, ast.ClassDef] = {}
		self.imports: dict[str, tuple[str, str | None]] = {}  # local name -> (module, attribute or None)
		self.constants: dict[str, ast.AST] = {}  # module-level NAME = <expr>, assigned once
		self._visit(self.tree, "", "<module>")
		self._read_module_level()

	def _visit(self, node: ast.AST, prefix: str, owner: str) -> None:
		"""Record the function that owns `node` and each function's and class's qualified name."""
		if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
			qualname = f"{prefix}{node.name}"
			self.functions[qualname] = node
			self.owner[node] = owner
			for part in [*node.decorator_list, node.args, *([node.returns] if node.returns else [])]:
				self._visit(part, prefix, owner)  # evaluated where the function is defined
			for statement in node.body:
				self._visit(statement, f"{qualname}.", qualname)
		elif isinstance(node, ast.ClassDef):
			self.classes[f"{prefix}{node.name}"] = node
			self.owner[node] = owner
			for part in [*node.decorator_list, *node.bases, *node.keywords]:
				self._visit(part, prefix, owner)
			for statement in node.body:
				self._visit(statement, f"{prefix}{node.name}.", owner)
		else:
			self.owner[node] = owner
			for child in ast.iter_child_nodes(node):
				self._visit(child, prefix, owner)

	def _read_module_level(self) -> None:
		seen: dict[str, int] = {}
		for node in self.tree.body:
			if isinstance(node, ast.ImportFrom):
				base = self._absolute(node.module, node.level)
				for alias in node.names:
					self.imports[alias.asname or alias.name] = (base, alias.name)
			elif isinstance(node, ast.Import):
				for alias in node.names:
					if alias.asname:
						self.imports[alias.asname] = (alias.name, None)
			elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
				targets = node.targets if isinstance(node, ast.Assign) else [node.target]
				for target in targets:
					if isinstance(target, ast.Name):
						seen[target.id] = seen.get(target.id, 0) + 1
						self.constants[target.id] = node.value
		for name, count in seen.items():
			if count > 1:
				self.constants.pop(name, None)

	def _absolute(self, module: str | None, level: int) -> str:
		if not level:
			return module or ""
		parts = self.name.split(".")[:-level] if self.name else []
		return ".".join([*parts, module] if module else parts)

	def function_of(self, node: ast.AST) -> str:
		return self.owner.get(node, "<module>")

	def class_of(self, qualname: str) -> str | None:
		"""`Dealer` for `Dealer.validate` when Dealer is a class of this module."""
		head = qualname.rsplit(".", 1)[0] if "." in qualname else ""
		return head if head in self.classes else None


# --- rule: ignore-permissions ---------------------------------------------------------------------------


def check_ignore_permissions(module: Module) -> Iterator[Finding]:
	for node in ast.walk(module.tree):
		if isinstance(node, ast.Call):
			for keyword in node.keywords:
				if keyword.arg == "ignore_permissions" and is_true_like(keyword.value):
					yield Finding(
						module.path,
						keyword.value.lineno,
						IGNORE_PERMISSIONS,
						f"{call_name(node) or 'call'}(ignore_permissions={_source(keyword.value)}) skips the "
						"permission check: filter to the party, then list it in the allowlist with the reason",
						module.function_of(node),
					)
		elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) and node.value is not None:
			targets = node.targets if isinstance(node, ast.Assign) else [node.target]
			for target in targets:
				if (
					isinstance(target, ast.Attribute)
					and target.attr == "ignore_permissions"
					and is_true_like(node.value)
				):
					yield Finding(
						module.path,
						node.lineno,
						IGNORE_PERMISSIONS,
						f"{dotted(target) or 'flags.ignore_permissions'} = {_source(node.value)} skips the "
						"permission check: filter to the party, then list it in the allowlist with the reason",
						module.function_of(node),
					)


# --- rule: sql-from-values ------------------------------------------------------------------------------


def is_sql_runner(call: ast.Call) -> bool:
	if not isinstance(call.func, ast.Attribute):
		return False
	if call.func.attr in SQL_RUNNERS:
		return dotted(call.func.value).split(".")[-1] == "db"
	# `query.run()` of frappe.qb takes no SQL; a `.run(<text>)` is a raw runner
	return call.func.attr == "run" and bool(call.args)


def query_argument(call: ast.Call) -> ast.AST | None:
	if call.args:
		return call.args[0]
	for keyword in call.keywords:
		if keyword.arg == "query":
			return keyword.value
	return None


class SqlText:
	"""Decides whether an expression that becomes SQL text holds only constants and escaped values."""

	def __init__(self, module: Module, function: str):
		self.module = module
		self.function = module.functions.get(function)
		self.active: set[str] = set()

	def unsafe_part(self, node: ast.AST, depth: int = 0) -> str | None:
		"""None when `node` is safe, else a short description of the first unsafe part."""
		if depth > MAX_DEPTH:
			return "a value too deeply nested to follow"
		deeper = depth + 1
		if isinstance(node, ast.Constant):
			return None
		if isinstance(node, ast.JoinedStr):
			for value in node.values:
				if isinstance(value, ast.FormattedValue):
					bad = self.unsafe_part(value.value, deeper)
					if bad:
						return bad
			return None
		if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
			return self.unsafe_part(node.left, deeper) or self.unsafe_part(node.right, deeper)
		if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
			bad = self.unsafe_part(node.left, deeper)
			if bad:
				return bad
			right = node.right
			values = (
				right.elts
				if isinstance(right, ast.Tuple)
				else ([v for v in right.values] if isinstance(right, ast.Dict) else [right])
			)
			for value in values:
				bad = self.unsafe_part(value, deeper)
				if bad:
					return bad
			return None
		if isinstance(node, ast.IfExp):
			return self.unsafe_part(node.body, deeper) or self.unsafe_part(node.orelse, deeper)
		if isinstance(node, ast.List | ast.Tuple):
			for element in node.elts:
				bad = self.unsafe_part(element, deeper)
				if bad:
					return bad
			return None
		if isinstance(node, ast.Call):
			return self._unsafe_call(node, deeper)
		if isinstance(node, ast.Name):
			return self._unsafe_name(node, deeper)
		if isinstance(node, ast.Attribute) and _is_constant_name(node.attr):
			return None  # frappe.db.VARCHAR_LEN, settings.MAX_ROWS: a constant by convention
		return f"`{_source(node)}`"

	def _unsafe_call(self, node: ast.Call, depth: int) -> str | None:
		name = call_name(node)
		if name == "escape" and isinstance(node.func, ast.Attribute):
			if dotted(node.func.value).split(".")[-1] == "db":
				return None
		if isinstance(node.func, ast.Name) and name in SAFE_CALLS:
			return None
		if isinstance(node.func, ast.Attribute) and name == "format":
			parts = [node.func.value, *node.args, *(k.value for k in node.keywords)]
			for part in parts:
				bad = self.unsafe_part(part, depth)
				if bad:
					return bad
			return None
		if isinstance(node.func, ast.Attribute) and name == "join" and len(node.args) == 1:
			bad = self.unsafe_part(node.func.value, depth)
			if bad:
				return bad
			items = node.args[0]
			if isinstance(items, ast.GeneratorExp | ast.ListComp | ast.SetComp):
				return self.unsafe_part(items.elt, depth)
			return self.unsafe_part(items, depth)
		if isinstance(node.func, ast.Attribute) and name in {"strip", "lower", "upper"}:
			return self.unsafe_part(node.func.value, depth)
		return f"`{_source(node)}`"

	def _unsafe_name(self, node: ast.Name, depth: int) -> str | None:
		name = node.id
		if _is_constant_name(name) or name in self.active:
			return None  # a cycle (query += ...): each assignment is checked on its own
		assignments = self._local_assignments(name)
		if assignments is None:
			if name in self.module.constants:
				self.active.add(name)
				try:
					return self.unsafe_part(self.module.constants[name], depth)
				finally:
					self.active.discard(name)
			return f"`{name}`"
		self.active.add(name)
		try:
			for value in assignments:
				bad = self.unsafe_part(value, depth)
				if bad:
					return bad
			return None
		finally:
			self.active.discard(name)

	def _local_assignments(self, name: str) -> list[ast.AST] | None:
		"""The values assigned to `name` in the function; None when it is not a local assigned there
		(a parameter, a loop variable or a global)."""
		if self.function is None:
			return None
		arguments = self.function.args
		params = {a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}
		if name in params:
			return None
		values: list[ast.AST] = []
		for node in ast.walk(self.function):
			if isinstance(node, ast.Assign):
				if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
					values.append(node.value)
				elif any(_binds(t, name) for t in node.targets):
					return None  # tuple unpacking: cannot tell which value
			elif isinstance(node, ast.AnnAssign | ast.AugAssign) and node.value is not None:
				if isinstance(node.target, ast.Name) and node.target.id == name:
					values.append(node.value)
			elif (
				isinstance(node, ast.For | ast.comprehension)
				and isinstance(node.target, ast.Name)
				and node.target.id == name
				and isinstance(node.iter, ast.Tuple | ast.List)
			):
				values += node.iter.elts  # for doctype in ("Contact", "Address"): each constant
			elif isinstance(node, ast.For | ast.comprehension | ast.With | ast.NamedExpr):
				targets = (
					[node.target]
					if not isinstance(node, ast.With)
					else [i.optional_vars for i in node.items if i.optional_vars]
				)
				if any(_binds(t, name) for t in targets):
					return None
		return values or None


def _is_constant_name(name: str) -> bool:
	"""UPPER_CASE names are constants by convention (PEP 8)."""
	return name.isupper() and name.strip("_") != ""


def _binds(target: ast.AST, name: str) -> bool:
	return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target))


def _source(node: ast.AST) -> str:
	text = ast.unparse(node)
	return text if len(text) <= 60 else text[:57] + "..."


def check_sql(module: Module) -> Iterator[Finding]:
	for node in ast.walk(module.tree):
		if not (isinstance(node, ast.Call) and is_sql_runner(node)):
			continue
		query = query_argument(node)
		if query is None:
			continue
		function = module.function_of(node)
		bad = SqlText(module, function).unsafe_part(query)
		if bad:
			yield Finding(
				module.path,
				node.lineno,
				SQL_FROM_VALUES,
				f"{dotted(node.func) or call_name(node)}() runs SQL text built from {bad}; pass values as "
				"%(name)s parameters, wrap them in frappe.db.escape(), or use frappe.qb",
				function,
			)


# --- rule: whitelist-get-mutates ------------------------------------------------------------------------


def whitelist_decorator(function: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.AST | None:
	for decorator in function.decorator_list:
		target = decorator.func if isinstance(decorator, ast.Call) else decorator
		if dotted(target) in {"frappe.whitelist", "whitelist"}:
			return decorator
	return None


def allowed_methods(decorator: ast.AST) -> set[str] | None:
	"""The HTTP methods a whitelist decorator allows; None when they cannot be read statically."""
	default = {"GET", "POST", "PUT", "DELETE"}
	if not isinstance(decorator, ast.Call):
		return default
	for keyword in decorator.keywords:
		if keyword.arg == "methods":
			value = keyword.value
			if isinstance(value, ast.Constant) and not value.value:
				return default
			if isinstance(value, ast.List | ast.Tuple | ast.Set) and all(
				isinstance(e, ast.Constant) and isinstance(e.value, str) for e in value.elts
			):
				return {e.value.upper() for e in value.elts} or default
			return None
	return default


class Project:
	"""Every checked module, so that a whitelisted function's calls into the app can be followed."""

	def __init__(self, modules: Iterable[Module]):
		self.modules = {m.name: m for m in modules if m.name}
		self._memo: dict[tuple[str, str], str | None] = {}

	def resolve(self, module: Module, caller: str, call: ast.Call) -> tuple[Module, str] | None:
		func = call.func
		if isinstance(func, ast.Name):
			if func.id in module.functions:
				return module, func.id
			# a nested function of the caller
			nested = f"{caller}.{func.id}"
			if nested in module.functions:
				return module, nested
			if func.id in module.imports:
				source, attribute = module.imports[func.id]
				target = self.modules.get(source)
				if target and attribute in target.functions:
					return target, attribute
			return None
		if isinstance(func, ast.Attribute):
			base = func.value
			if isinstance(base, ast.Name) and base.id in {"self", "cls"}:
				owner = module.class_of(caller)
				if owner and f"{owner}.{func.attr}" in module.functions:
					return module, f"{owner}.{func.attr}"
				return None
			base_name = dotted(base)
			if base_name in module.imports:
				source, attribute = module.imports[base_name]
				target = self.modules.get(f"{source}.{attribute}" if attribute else source)
				if target and func.attr in target.functions:
					return target, func.attr
			elif base_name in self.modules:
				target = self.modules[base_name]
				if func.attr in target.functions:
					return target, func.attr
		return None

	def write_in(self, module: Module, qualname: str, depth: int = 0) -> str | None:
		"""How `qualname` writes ("insert()", or "calls x -> save()"); None when it does not."""
		key = (module.name or module.path, qualname)
		if key in self._memo:
			return self._memo[key]
		self._memo[key] = None  # a recursion is not a write by itself
		function = module.functions.get(qualname)
		result = None
		if function is not None and depth <= MAX_DEPTH:
			calls = [n for n in _own_nodes(function) if isinstance(n, ast.Call)]
			for call in calls:
				result = direct_write(call)
				if result:
					break
			if not result:
				for call in calls:
					target = self.resolve(module, qualname, call)
					if target:
						inner = self.write_in(target[0], target[1], depth + 1)
						if inner:
							result = f"calls {target[1]}() -> {inner}"
							break
		self._memo[key] = result
		return result


def _own_nodes(function: ast.AST) -> Iterator[ast.AST]:
	"""The nodes of a function's body, without those of functions and classes defined inside it."""
	stack = list(getattr(function, "body", []))
	while stack:
		node = stack.pop()
		yield node
		for child in ast.iter_child_nodes(node):
			if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
				stack.append(child)


def direct_write(call: ast.Call) -> str | None:
	"""The write that this one call performs, if it is one."""
	name = call_name(call)
	full = dotted(call.func)
	if name == "insert" and len(call.args) == 2:
		return None  # list.insert(index, value)
	if name in WRITE_METHODS:
		return f"{full or name}()"
	if full.startswith("frappe.qb.") and name in QB_WRITES:
		return f"{full}()"
	if isinstance(call.func, ast.Attribute) and name in SQL_RUNNERS | {"run"}:
		query = query_argument(call)
		if isinstance(query, ast.Constant) and isinstance(query.value, str):
			words = query.value.split()
			if words and words[0].lower() in SQL_WRITE_WORDS:
				return f"{full or name}('{words[0].lower()} ...')"
	return None


def is_portal_page(module: Module) -> bool:
	return "www" in Path(module.path).parts[:-1]


def check_whitelist(module: Module, project: Project) -> Iterator[Finding]:
	for qualname, function in module.functions.items():
		decorator = whitelist_decorator(function)
		if decorator is None:
			# a portal page's context is built on every GET of its URL
			if qualname == "get_context" and is_portal_page(module):
				write = project.write_in(module, qualname)
				if write:
					yield Finding(
						module.path,
						function.lineno,
						WHITELIST_GET_MUTATES,
						f"portal page get_context() writes ({write}) on a GET; move the write to a "
						'@frappe.whitelist(methods=["POST"]) method that the page\'s form calls',
						qualname,
					)
			continue
		methods = allowed_methods(decorator)
		if methods is not None and "GET" not in methods:
			continue
		write = project.write_in(module, qualname)
		if not write:
			continue
		allowed = "methods that cannot be read here" if methods is None else "GET"
		yield Finding(
			module.path,
			function.lineno,
			WHITELIST_GET_MUTATES,
			f"whitelisted {qualname}() writes ({write}) but allows {allowed}; "
			'use @frappe.whitelist(methods=["POST"])',
			qualname,
		)


# --- running it -----------------------------------------------------------------------------------------


def module_name(path: Path, root: Path) -> str:
	try:
		parts = list(path.resolve().relative_to(root.resolve()).with_suffix("").parts)
	except ValueError:
		return ""
	if parts and parts[-1] == "__init__":
		parts.pop()
	return ".".join(parts)


def is_test_file(path: Path) -> bool:
	return path.name.startswith("test_") or "tests" in path.parts[:-1]


def source_files(paths: Iterable[Path]) -> list[Path]:
	files = []
	for path in paths:
		if path.is_dir():
			files += sorted(p for p in path.rglob("*.py") if not is_test_file(p))
		elif path.suffix == ".py":
			files.append(path)
	return files


def all_findings(modules: list[Module]) -> list[Finding]:
	"""Every finding of `modules`, before the allowlist."""
	project = Project(modules)
	findings: list[Finding] = []
	for module in modules:
		findings += check_ignore_permissions(module)
		findings += check_sql(module)
		findings += check_whitelist(module, project)
	return sorted(set(findings))


def apply_allowlist(findings: list[Finding], allowlist: Allowlist, stale: bool = False) -> list[Finding]:
	"""The findings the allowlist does not cover, after its own errors; with `stale`, also its entries
	that match no finding (after a fix or a rename)."""
	kept = [f for f in findings if not allowlist.allows(f)]
	unused = []
	if stale:
		found = {(f.path, f.function, f.rule) for f in findings}
		unused = [
			Finding(path, 0, STALE_ALLOWLIST, f"entry for {function} ({rule}) matches nothing; remove it")
			for (path, function, rule) in sorted(allowlist.entries)
			if (path, function, rule) not in found
		]
	return [*allowlist.errors, *kept, *unused]


def check_source(
	source: str, path: str = "snippet.py", allowlist: Allowlist | str | None = None, module: str = "snippet"
) -> list[Finding]:
	"""The findings of one source text that the allowlist does not cover (for tests and editors)."""
	if isinstance(allowlist, str):
		allowlist = Allowlist.parse(allowlist)
	return apply_allowlist(all_findings([Module(path, source, module)]), allowlist or Allowlist())


def check_tree(
	root: Path = REPO, allowlist_path: Path | None = DEFAULT_ALLOWLIST, paths: Iterable[Path] | None = None
) -> list[Finding]:
	"""The findings of the app's package under `root` (or of `paths` only); stale allowlist entries are
	reported when the whole package is checked."""
	root = root.resolve()
	modules: list[Module] = []
	unreadable: list[Finding] = []
	for file in source_files([root / APP] if paths is None else paths):
		resolved = file.resolve()
		relative = resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(file)
		try:
			modules.append(Module(relative, file.read_text(encoding="utf-8"), module_name(file, root)))
		except SyntaxError as e:
			unreadable.append(Finding(relative, e.lineno or 0, SYNTAX_ERROR, f"cannot be parsed: {e.msg}"))
	findings = apply_allowlist(all_findings(modules), Allowlist.load(allowlist_path), stale=paths is None)
	# an unparsed file hides its findings, so its allowlist entries cannot be judged stale
	hidden = {f.path for f in unreadable}
	findings = [f for f in findings if not (f.rule == STALE_ALLOWLIST and f.path in hidden)]
	return [*unreadable, *findings]


def main(argv: list[str] | None = None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the whole app)")
	parser.add_argument("--root", type=Path, default=REPO, help="repository root (default: this checkout)")
	parser.add_argument(
		"--allowlist", type=Path, default=None, help="default: scripts/security_allowlist.txt"
	)
	args = parser.parse_args(argv)
	allowlist = args.allowlist or args.root / "scripts" / "security_allowlist.txt"
	findings = check_tree(args.root, allowlist, args.paths or None)
	for finding in findings:
		print(finding)
	if findings:
		print(
			f"{len(findings)} finding(s). Fix them, or list a reviewed case in {allowlist}.", file=sys.stderr
		)
		return 1
	return 0


if __name__ == "__main__":
	sys.exit(main())
