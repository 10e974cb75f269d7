# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Portal templates are compiled once per web worker (website.py), and compiled anew when they change."""

from unittest.mock import patch

import frappe
import jinja2
from frappe.tests.utils import FrappeTestCase
from frappe.utils.jinja import get_jenv

from sales_reengineering import website

TEMPLATE = "templates/web.html"


def new_request_environment():
	"""What the next request sees: Frappe builds its Jinja environment again (frappe.local is per request)."""
	frappe.local.jenv = None
	website.reuse_compiled_templates(frappe._dict())
	return get_jenv()


class TestCompiledTemplates(FrappeTestCase):
	def tearDown(self):
		frappe.local.jenv = None  # later tests get Frappe's own environment

	def test_the_hook_is_registered_for_website_pages(self):
		self.assertIn(
			"sales_reengineering.website.reuse_compiled_templates", frappe.get_hooks("update_website_context")
		)

	def test_the_next_request_does_not_compile_a_template_again(self):
		website.BYTECODE.clear()
		first = new_request_environment()
		self.assertIs(first.bytecode_cache, website.BYTECODE)
		first.get_template(TEMPLATE)
		second = new_request_environment()
		self.assertIsNot(second, first)
		with patch.object(type(second), "_compile", wraps=second._compile) as compiled:
			template = second.get_template(TEMPLATE)
		compiled.assert_not_called()
		self.assertIs(template.environment, second)  # run with this request's globals

	def test_without_the_cache_every_request_compiles_again(self):
		# what Frappe does on its own: the test above fails without the hook
		frappe.local.jenv = None
		get_jenv().get_template(TEMPLATE)
		frappe.local.jenv = None
		environment = get_jenv()
		self.assertIsNone(environment.bytecode_cache)
		with patch.object(type(environment), "_compile", wraps=environment._compile) as compiled:
			environment.get_template(TEMPLATE)
		compiled.assert_called_once()

	def test_a_changed_template_is_compiled_anew(self):
		sources = {"page.html": "{{ greeting }}, old"}
		cache = website.ProcessBytecodeCache()

		def environment():
			return jinja2.Environment(loader=jinja2.DictLoader(sources), bytecode_cache=cache)

		self.assertEqual(environment().get_template("page.html").render(greeting="hi"), "hi, old")
		sources["page.html"] = "{{ greeting }}, new"
		self.assertEqual(environment().get_template("page.html").render(greeting="hi"), "hi, new")
		self.assertEqual(environment().get_template("page.html").render(greeting="yo"), "yo, new")

	def test_only_code_is_kept_never_a_rendered_page(self):
		website.BYTECODE.clear()
		new_request_environment().get_template(TEMPLATE)
		self.assertTrue(website.BYTECODE._code)
		self.assertTrue(all(isinstance(code, bytes) for code in website.BYTECODE._code.values()))
		self.assertNotIn(frappe.session.user.encode(), b"".join(website.BYTECODE._code.values()))
