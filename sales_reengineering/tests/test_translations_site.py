"""Simplified Chinese on a real site: what Frappe itself extracts from the app, and the records the app
creates at install (workflows, their states and actions, roles, notifications, e-mail templates,
completeness rules), all have a translation.

The pure suite's tests/test_translations.py checks the app's files against translations/zh.csv without
a site; this one uses Frappe's own extraction (`get_messages_for_app`) and the site's merged translations
(Frappe's and ERPNext's too, which translate their own strings such as role or navbar names)."""

import re

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.translate import get_all_translations, get_messages_for_app, get_translation_dict_from_file

from sales_reengineering.customer_intelligence.setup import DEFAULT_COMPLETENESS_RULES
from sales_reengineering.reminders.setup import EMAIL_TEMPLATES, NOTIFICATIONS
from sales_reengineering.setup.roles import ROLES

APP = "sales_reengineering"


def words(text: str) -> bool:
	"""Text a person reads: letters besides placeholders; not a naming series such as DR-.YYYY.-."""
	text = (text or "").strip()
	if re.fullmatch(r"[A-Z0-9#]+-?\.[A-Z#.-]*", text):
		return False
	return bool(re.search(r"[A-Za-z]", re.sub(r"\{\w*\}", "", text)))


class TestTranslationsOnSite(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.zh = get_all_translations("zh")
		cls.app_zh = get_translation_dict_from_file(
			frappe.get_app_path(APP, "translations", "zh.csv"), "zh", APP
		)

	def untranslated(self, texts) -> list[str]:
		return sorted({text for text in texts if words(text) and text.strip() not in self.zh})

	def test_everything_frappe_extracts_from_the_app_is_translated(self):
		messages = get_messages_for_app(APP)
		self.assertGreater(len(messages), 800)
		missing = set()
		for source, message, *rest in messages:
			if source == "Navbar:":
				# Frappe adds the site's navbar items to every app's messages; they are Frappe's
				continue
			context = rest[0] if rest else None
			key = message.strip()
			if words(key) and f"{key}:{context}" not in self.zh and key not in self.zh:
				missing.add((source, message))
		missing = sorted(missing)
		self.assertFalse(missing, "\n".join(f"{message!r} ({source})" for source, message in missing))

	def test_shipped_workflows_are_translated(self):
		doctypes = frappe.get_all("DocType", filters={"module": ("in", self.app_modules())}, pluck="name")
		workflows = frappe.get_all("Workflow", filters={"document_type": ("in", doctypes)}, pluck="name")
		self.assertGreaterEqual(len(workflows), 5)
		texts = set(workflows)
		for name in workflows:
			workflow = frappe.get_doc("Workflow", name)
			texts |= {row.state for row in workflow.states} | {row.action for row in workflow.transitions}
		self.assertFalse(self.untranslated(texts))

	def test_shipped_roles_notifications_templates_and_rules_are_translated(self):
		texts = set(ROLES) | set(NOTIFICATIONS) | {row[0] for row in DEFAULT_COMPLETENESS_RULES}
		texts |= {name for name in EMAIL_TEMPLATES if not name.endswith(" - zh")}
		self.assertFalse(self.untranslated(texts))

	def test_the_app_translates_its_own_strings(self):
		"""The app's file, not Frappe's, carries what the app adds: workspaces and indicator keys."""
		for text in ("My Sales", "Sales Management", "Channel Management", "Sales Administration", "net_sales"):
			self.assertIn(text, self.app_zh)
		self.assertEqual(self.app_zh["net_sales"], self.app_zh["Net Sales"])

	def app_modules(self) -> list[str]:
		return frappe.get_all("Module Def", filters={"app_name": APP}, pluck="name")
