"""Translations for the dealer pages' own JavaScript.

Frappe v15 loads no translations into a plain www page: `__()` there looks up `frappe._messages`, which
only the desk's boot and web forms fill. So each dealer page that has a script passes the translations
of its own strings (found in its template by Frappe's extractor) and of the message dialog Frappe shows,
and the template merges them into `frappe._messages` before its script runs:

    <script>Object.assign(frappe._messages, {{ js_messages | tojson }});</script>
"""

import os
from functools import lru_cache

import frappe
from frappe import _
from frappe.translate import get_messages_from_file

# what frappe.msgprint's dialog shows around a page's message: (text, context)
DIALOG_MESSAGES = (
	("Message", "Default title of the message dialog"),
	("Message", None),
	("Close", None),
	("Error", None),
)


@lru_cache(maxsize=16)
def _page_messages(template: str) -> tuple[tuple[str, str | None], ...]:
	path = os.path.join(frappe.get_app_path("sales_reengineering", "www", "dealer"), template)
	return tuple(dict.fromkeys((message, context) for _path, message, context, _line in get_messages_from_file(path)))


def js_messages(template: str) -> dict[str, str]:
	"""{source: translation in the user's language} for the page `template` (a file in www/dealer), keyed
	as `__()` looks them up ("text" or "text:context")."""
	return {
		f"{message}:{context}" if context else message: _(message, context=context)
		for message, context in (*_page_messages(template), *DIALOG_MESSAGES)
	}
