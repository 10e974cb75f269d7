"""Compiled portal templates kept for the life of the web worker.

Frappe v15 builds a new Jinja environment on every request (`frappe.utils.jinja.get_jenv` keeps it in
`frappe.local`), so every page parses and compiles `templates/web.html`, the base template, the navbar,
the footer and its own template again: about half of the time of a portal page, the dealer pages and
ERPNext's own /me and /orders alike (docs/performance.md, "The portal"). Jinja's own answer is a
bytecode cache: the environment asks it for a template's compiled code before compiling, under a key of
the template's name and a checksum of its source, so a template whose file changed is compiled anew.

`reuse_compiled_templates` (an `update_website_context` hook, so it runs for website pages only, before
their templates are loaded) gives the request's environment one cache held by the process. Only compiled
code is kept, never a rendered page, a context or a user's data; what a page shows is rendered for each
request as before.
"""

import jinja2
from frappe.utils.jinja import get_jenv


class ProcessBytecodeCache(jinja2.BytecodeCache):
	"""Compiled templates in this process's memory, by Jinja's bucket key (template name and file); Jinja
	compares the stored source checksum with the current source and compiles again when they differ."""

	def __init__(self):
		self._code: dict[str, bytes] = {}

	def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
		code = self._code.get(bucket.key)
		if code is not None:
			bucket.bytecode_from_string(code)

	def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
		self._code[bucket.key] = bucket.bytecode_to_string()

	def clear(self) -> None:
		self._code.clear()


BYTECODE = ProcessBytecodeCache()


def reuse_compiled_templates(context) -> None:
	"""update_website_context: the request's Jinja environment reads compiled templates from the process."""
	environment = get_jenv()
	if environment.bytecode_cache is None:
		environment.bytecode_cache = BYTECODE
