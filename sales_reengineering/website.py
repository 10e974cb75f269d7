"""The portal's website hooks: compiled templates kept for the life of the web worker, and a 404 for
a dealer page that does not exist.

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

`UnknownDealerPage` (a `page_renderer` hook): `/dealer/<anything that is no page>` answered Frappe's error
page with status 500, because Frappe reads a two-part path as the print view of a document of that
doctype ("Dealer") and fails on a name that does not exist or is not the user's. It is a "Not Found" now,
the same for every such path, so it tells nobody whether a dealer of that name exists.
"""

import os

import jinja2
from frappe.utils.jinja import get_jenv
from frappe.website.page_renderers.not_found_page import NotFoundPage


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


DEALER_FOLDER = os.path.join(os.path.dirname(__file__), "www", "dealer")


def _dealer_pages() -> frozenset[str]:
	"""The app's dealer pages as paths: dealer/funds, dealer/sell-through, ... (www/dealer/*.html)."""
	return frozenset(
		f"dealer/{name[: -len('.html')]}"
		for name in os.listdir(DEALER_FOLDER)
		if name.endswith(".html") and name != "index.html"
	)


DEALER_PAGES = _dealer_pages()


class UnknownDealerPage(NotFoundPage):
	"""Renders Frappe's own 404 page for a path under /dealer/ that is none of the app's dealer pages."""

	def __init__(self, path, http_status_code=None):
		# the resolver passes the request's status (200), which NotFoundPage would keep
		super().__init__(path, 404)

	def can_render(self) -> bool:
		path = (self.request_path or "").strip("/")
		return path.startswith("dealer/") and path not in DEALER_PAGES and path != "dealer/index"
