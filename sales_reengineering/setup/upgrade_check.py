"""Upgrade safety: the app at an earlier release, with the demo and an administrator's edits, upgraded.

`scripts/upgrade_test.sh` drives it (see the README, "Releases and upgrades"). Each action runs as

    cd <bench>/sites && ../env/bin/python <this file> <action> <site> [args]

and the file is self-contained (only Frappe and the standard library, never `import sales_reengineering`
at module level): the script runs a copy of it while the OLD release is on PYTHONPATH, to make the
administrator's edits through the old code, and `compare` needs no Frappe at all.

Actions:
    where <site>                     print the path and version of the `sales_reengineering` Python imports
    names <site> <out.json>          the names of every record, per table (before the demo: what was there)
    edit <site> <out.json>           an administrator's edits to shipped records; writes what they set
    settle <site>                    run and remove the site's queued background jobs (what workers would do)
    snapshot <site> <out.json> [names.json]   the canonical dump compared below
    compare <before.json> <after.json> upgrade|same [edits.json]

What the snapshot holds: every record of every table of the site (regular, child and single doctypes),
as its columns minus `VOLATILE_COLUMNS`, except the log doctypes and the metadata Frappe rebuilds from
code on every migrate (`SKIPPED_DOCTYPES`, with their child rows). That covers every record of the app's
doctypes, every ERPNext record the demo made, custom fields, property setters, workflows, notifications,
email templates, roles and permissions. Each record is put in a category for the report: `app` (the
app's doctypes), `demo` (other records that were not there before the demo: what it made),
`customization` (`CUSTOMIZATION_DOCTYPES`) and `site` (what the site had before the app's demo).

`compare ... upgrade` fails on a record that is gone or changed, a column that is gone, or a new column
holding a value on an old record, unless `INTENDED_CHANGES` lists it; new records are allowed (an upgrade
ships new ones) and counted. `compare ... same` (the second migrate) fails on any difference at all.
With edits.json, each administrator's edit must read the same afterwards.
"""

from __future__ import annotations

import datetime
import decimal
import fnmatch
import json
import os
import re
import sys

APP = "sales_reengineering"
SETTINGS = "Sales Reengineering Settings"

VOLATILE_COLUMNS = frozenset({"modified", "modified_by", "_seen"})
"""Columns a migrate may touch without changing a record's meaning (saving an unchanged document)."""

SKIPPED_DOCTYPES: dict[str, str] = {
	# logs: every command adds to them; no record of the business lives there
	"Version": "log",
	"Activity Log": "log",
	"Access Log": "log",
	"Error Log": "log",
	"Scheduled Job Log": "log",
	"Route History": "log",
	"Email Queue": "log",
	"Email Queue Recipient": "log",
	"Console Log": "log",
	"Submission Queue": "log",
	"Prepared Report": "log",
	"Web Page View": "log",
	"Integration Request": "log",
	"Unhandled Email": "log",
	# metadata Frappe rebuilds from the apps' files on every migrate (new code brings new metadata)
	"DocType": "synced from code",
	"DocField": "synced from code",
	"DocPerm": "synced from code",
	"DocType Action": "synced from code",
	"DocType Link": "synced from code",
	"DocType State": "synced from code",
	"Module Def": "synced from code",
	"Installed Application": "synced from code",
	"Installed Applications": "synced from code",
	"Scheduled Job Type": "synced from code",
	"Report": "synced from code",
	"Report Column": "synced from code",
	"Report Filter": "synced from code",
	"Page": "synced from code",
	"Print Format": "synced from code",
	"Print Format Field Template": "synced from code",
	"Workspace": "synced from code",
	"Workspace Link": "synced from code",
	"Workspace Shortcut": "synced from code",
	"Workspace Chart": "synced from code",
	"Workspace Number Card": "synced from code",
	"Workspace Quick List": "synced from code",
	"Workspace Custom Block": "synced from code",
	"Dashboard": "synced from code",
	"Dashboard Chart": "synced from code",
	"Dashboard Chart Source": "synced from code",
	"Number Card": "synced from code",
	"Web Form": "synced from code",
	"Web Form Field": "synced from code",
	"Web Template": "synced from code",
	"Web Template Field": "synced from code",
	"Form Tour": "synced from code",
	"Form Tour Step": "synced from code",
	"Module Onboarding": "synced from code",
	"Onboarding Step": "synced from code",
	"Onboarding Step Map": "synced from code",
	"Onboarding Permission": "synced from code",
}
"""Doctypes left out of the snapshot (and the child rows of their records), with the reason."""

CUSTOMIZATION_DOCTYPES = (
	"Custom Field",
	"Property Setter",
	"Custom DocPerm",
	"Custom Role",
	"Role",
	"Workflow",
	"Workflow Document State",
	"Workflow Transition",
	"Workflow State",
	"Workflow Action Master",
	"Notification",
	"Notification Recipient",
	"Email Template",
	"Patch Log",
)
"""Reported on their own: what administrators customise, and the patches that ran."""

INTENDED_CHANGES: list[dict] = [
	# One entry per change a release makes on purpose to records that existed before the upgrade.
	# since: the first release with the change; doctype and name (fnmatch patterns) the records;
	# field the column (a pattern), or kind "removed" (the record goes) or "removed-column"; why: the reason.
	*(
		{
			"since": "v0.2.0",
			"doctype": "Customer",
			"name": "*",
			"field": field,
			"why": "patch v0_1.predicted_next_purchase computes every customer's repeat-purchase fields",
		}
		for field in ("sr_last_purchase_date", "sr_purchase_interval_days", "sr_predicted_next_purchase")
	),
	*(
		{
			"since": "v0.2.0",
			"doctype": SETTINGS,
			"name": SETTINGS,
			"field": field,
			"why": "patch v0_1.predicted_next_purchase stores the telesales factors at the values that "
			"were hard-coded before",
		}
		for field in ("telesales_overdue_multiple", "telesales_min_purchases", "telesales_call_cooldown_days")
	),
	{
		"since": "v0.2.0",
		"doctype": "Deal Registration",
		"name": "*",
		"field": "has_conflict",
		"why": "patch v0_1.deal_registration_pending_conflicts recomputes conflicts: pending registrations "
		"now count, on both sides",
	},
	{
		"since": "v0.2.0",
		"doctype": "Deal Registration Conflict",
		"name": "*",
		"kind": "removed",
		"why": "the same patch rebuilds each claiming registration's conflict rows (new rows replace them)",
	},
	*(
		{
			"since": "v0.2.0",
			"doctype": doctype,
			"name": "*",
			"field": "company",
			"why": "patch v0_1.sales_task_company gives tasks made before a task had a company their "
			"salesperson's company (Sales Person -> Employee), else the site's default company, and their "
			"scorecards the task's",
		}
		for doctype in ("Sales Task", "KPI Scorecard")
	),
	{
		"since": "v0.2.0",
		"doctype": "Sell Through Report Item",
		"name": "*",
		"field": "resale_rate",
		"why": "patch v0_1.sell_through_resale_rate fills the new resale rate from amount / quantity",
	},
	{
		"since": "v0.2.0",
		"doctype": SETTINGS,
		"name": SETTINGS,
		"field": "quiet_hours_*",
		"why": "patch v0_1.quiet_hours_install_time replaces the install time (with microseconds) Frappe "
		"stored as the quiet hours by 22:00-08:00; times an administrator typed in stay",
	},
	{
		"since": "v0.2.0",
		"doctype": "KPI Reward Tier",
		"name": "*",
		"field": "points",
		"why": "patch v0_1.reward_tier_points gives the shipped reward tiers their rewards-ledger points "
		"(Top 10% 100, Beat Target 50) while the new column is 0; tiers an administrator added stay at 0",
	},
	{
		"since": "v0.2.0",
		"doctype": "Career Development Plan",
		"name": "*",
		"field": "training_hours",
		"why": "patch v0_1.training_programmes recomputes the training hours of open plans from the training "
		"records, which a plan now follows (before, only a save of the plan recomputed them)",
	},
	{
		"since": "v0.2.0",
		"doctype": "Career Development Plan",
		"name": "*",
		"field": "training_pass_rate",
		"why": "new column: patch v0_1.training_programmes fills the training pass rate of open plans from "
		"the passed and failed training records of their period, with the hours",
	},
	{
		"since": "v0.2.0",
		"doctype": SETTINGS,
		"name": SETTINGS,
		"field": "dealer_request_response_hours",
		"why": "patch v0_1.dealer_support_requests stores the shipped response time of dealer support "
		"requests (24 hours) in the settings",
	},
]
"""Changes an upgrade makes on purpose to records that were there before it."""

EMPTY_VALUES = (None, "", 0, "0", 0.0, "0.0", "0.000000000", "[]", "{}")


# --- snapshot (needs Frappe) -------------------------------------------------------------------------


def _connect(site: str):
	import frappe

	frappe.init(site=site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	return frappe


def _plain(value):
	if value is None or isinstance(value, (str, int, float)):
		return value
	if isinstance(value, decimal.Decimal):
		return float(value)
	if isinstance(value, (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)):
		return str(value)
	if isinstance(value, bytes):
		return value.hex()
	return str(value)


def _doctypes(frappe) -> list[dict]:
	return frappe.db.sql(
		"""select name, module, istable, issingle, is_virtual from `tabDocType` order by name""",
		as_dict=True,
	)


def _app_modules(frappe) -> set[str]:
	return set(frappe.db.sql_list("select name from `tabModule Def` where app_name=%s", APP))


def _tables(frappe) -> set[str]:
	return set(frappe.db.sql_list("show tables"))


def dump(frappe) -> dict[str, dict[str, dict]]:
	"""{doctype: {name: {column: value}}} for every record the snapshot covers (see the module doc)."""
	tables = _tables(frappe)
	skipped = set(SKIPPED_DOCTYPES)
	records: dict[str, dict[str, dict]] = {}
	for dt in _doctypes(frappe):
		doctype = dt["name"]
		if doctype in skipped or dt["is_virtual"]:
			continue
		if dt["issingle"]:
			rows = frappe.db.sql(
				"select field, value from `tabSingles` where doctype=%s order by field", doctype
			)
			values = {field: _plain(value) for field, value in rows if field not in VOLATILE_COLUMNS}
			if values:
				records[doctype] = {doctype: values}
			continue
		table = f"tab{doctype}"
		if table not in tables:
			continue
		rows = frappe.db.sql(f"select * from `{table}`", as_dict=True)  # noqa: S608 (a DocType's table)
		if not rows:
			continue
		out = records.setdefault(doctype, {})
		for row in rows:
			if dt["istable"] and row.get("parenttype") in skipped:
				continue
			out[str(row["name"])] = {
				key: _plain(value) for key, value in sorted(row.items()) if key not in VOLATILE_COLUMNS
			}
		if not out:
			del records[doctype]
	return records


def names(site: str, out: str) -> None:
	frappe = _connect(site)
	try:
		result = {doctype: sorted(rows) for doctype, rows in dump(frappe).items()}
	finally:
		frappe.destroy()
	_write(out, result)
	print(f"{sum(len(v) for v in result.values())} records in {len(result)} doctypes before the demo")


def snapshot(site: str, out: str, names_file: str | None = None) -> None:
	frappe = _connect(site)
	try:
		records = dump(frappe)
		app_doctypes = set(
			frappe.db.sql_list(
				"select name from `tabDocType` where module in %(modules)s",
				{"modules": tuple(_app_modules(frappe)) or ("-",)},
			)
		)
		version = _app_version()
	finally:
		frappe.destroy()
	before = _read(names_file) if names_file else {}
	categories = {}
	for doctype, rows in records.items():
		if doctype in app_doctypes:
			categories[doctype] = {"*": "app"}
			continue
		if doctype in CUSTOMIZATION_DOCTYPES:
			categories[doctype] = {"*": "customization"}
			continue
		known = set(before.get(doctype, ()))
		categories[doctype] = {name: ("site" if name in known else "demo") for name in rows}
	_write(out, {"app_version": version, "records": records, "categories": categories})
	print(f"snapshot of {sum(len(v) for v in records.values())} records in {len(records)} doctypes "
		  f"(app {version}): {summary(records, categories)}")


def _app_version() -> str:
	import sales_reengineering

	return f"{sales_reengineering.__version__} ({os.path.dirname(sales_reengineering.__file__)})"


def where(site: str) -> None:
	frappe = _connect(site)
	try:
		print(_app_version())
	finally:
		frappe.destroy()


def settle(site: str) -> None:
	"""Run the app's queued background jobs of the site here, then drop them from the queue.

	The app enqueues some work (completeness scores ...). On a live site a worker runs it soon after;
	here no worker may run (or one of another session might, at any moment), so each phase runs its jobs
	itself, with the code of that phase, before it is snapshotted. Frappe's and ERPNext's own jobs of
	the site (search index ...) are dropped."""
	frappe = _connect(site)
	ran = failed = 0
	dropped: list[str] = []
	try:
		from frappe.utils.background_jobs import get_queues

		for queue in get_queues():
			for job in list(queue.jobs):
				try:
					kwargs = job.kwargs or {}
				except Exception:  # a job of another app this process cannot unpickle: not ours
					continue
				if kwargs.get("site") != site:
					continue
				method = kwargs.get("method")
				path = method if isinstance(method, str) else f"{method.__module__}.{method.__qualname__}"
				if not path.startswith(f"{APP}."):
					# Frappe's own upkeep (the website search index after a migrate): no records of
					# the app or the demo, and the same in either release
					job.delete()
					dropped.append(path)
					continue
				try:
					frappe.set_user(kwargs.get("user") or "Administrator")
					func = frappe.get_attr(method) if isinstance(method, str) else method
					func(**(kwargs.get("kwargs") or {}))
					frappe.db.commit()
					ran += 1
				except Exception as error:
					frappe.db.rollback()
					failed += 1
					print(f"background job {kwargs.get('job_name')} failed: {error!r}", file=sys.stderr)
				finally:
					job.delete()
	finally:
		frappe.destroy()
	print(f"ran {ran} queued background job(s) of the app on {site}")
	if dropped:
		print(f"dropped {len(dropped)} of Frappe's and ERPNext's own: {', '.join(sorted(set(dropped)))}")
	if failed:
		sys.exit(f"{failed} background job(s) of {site} failed (above)")


# --- an administrator's edits (runs under the OLD release) ---------------------------------------------


def edit(site: str, out: str) -> None:
	"""Edit shipped records the way an administrator does in the desk, through the documents' own
	validation; write [[doctype, name, field, value], ...] of what was set, for `compare` to check."""
	frappe = _connect(site)
	expected: list[list] = []

	def save(doc, changes: dict, row=None) -> None:
		target = row or doc
		for field, value in changes.items():
			target.set(field, value)
		doc.flags.ignore_permissions = True
		doc.save()
		target = doc.get(row.parentfield, {"name": row.name})[0] if row else doc
		for field in changes:
			expected.append([target.doctype, target.name, field, _plain(target.get(field))])

	try:
		# a shipped workflow: a state's message and who may approve a transition
		workflow = frappe.get_doc("Workflow", "Deal Registration Approval")
		save(workflow, {"message": "Edited by the administrator before the upgrade"}, workflow.states[0])
		transition = workflow.transitions[-1]
		save(workflow, {"allow_self_approval": 0 if transition.allow_self_approval else 1}, transition)
		# a shipped notification's message and subject
		notification = frappe.get_doc("Notification", "Sales Task Awaiting Approval")
		save(
			notification,
			{
				"message": "<p>Please review {{ doc.name }} (edited by the administrator).</p>",
				"subject": "Review sales task {{ doc.name }} / 请审批销售任务",
			},
		)
		# a shipped email template
		template = frappe.get_doc("Email Template", "Sales Reminder Digest")
		save(template, {"subject": "Sales reminders ({{ count }}) — edited"})
		# a KPI template's default target
		kpi = frappe.get_doc("KPI Template", frappe.get_all("KPI Template", pluck="name", order_by="name")[0])
		row = kpi.indicators[0]
		save(kpi, {"default_target": (row.default_target or 0) + 7}, row)
		# a settings threshold and a reminder rule
		settings = frappe.get_single(SETTINGS)
		save(settings, {"stuck_opportunity_days": (settings.stuck_opportunity_days or 14) + 7})
		rule = settings.reminder_rules[0]
		save(settings, {"days": (rule.days or 0) + 3, "enabled": 0 if rule.enabled else 1}, rule)
		# a custom field's label and a standard field's property (Customize Form writes a Property Setter)
		field = frappe.get_doc("Custom Field", {"dt": "Customer", "fieldname": "sr_sales_person"})
		save(field, {"label": "Account Owner (edited)", "bold": 1})
		from frappe.custom.doctype.property_setter.property_setter import make_property_setter

		make_property_setter(
			"Customer", "customer_group", "bold", "1", "Check", is_system_generated=False
		)
		setter = frappe.db.get_value(
			"Property Setter", {"doc_type": "Customer", "field_name": "customer_group", "property": "bold"}
		)
		expected.append(["Property Setter", setter, "value", "1"])
		frappe.db.commit()
	finally:
		frappe.destroy()
	_write(out, expected)
	print(f"{len(expected)} administrator's edits made")


# --- compare (pure) -----------------------------------------------------------------------------------


def version_key(version: str) -> tuple:
	""""v0.2.0" -> ((0, 2, 0), 1); a development version comes before its release: "0.2.0.dev0" ->
	((0, 2, 0), 0)."""
	text = version.strip().split()[0].lstrip("v") if version.strip() else ""
	numbers = []
	for part in text.split("."):
		if not part.isdigit():
			break
		numbers.append(int(part))
	return tuple(numbers), 1 if numbers and len(numbers) == len(text.split(".")) else 0


def _allowed(doctype: str, name: str, field: str, from_version: str = "") -> bool:
	"""`field` is a column, or "removed" / "removed-column" (only an entry of that kind allows those).
	An entry applies only to an upgrade from a version before its `since`."""
	for entry in INTENDED_CHANGES:
		if version_key(from_version)[0] and version_key(from_version) >= version_key(entry["since"]):
			continue
		if fnmatch.fnmatchcase(doctype, entry["doctype"]) and fnmatch.fnmatchcase(name, entry["name"]):
			if field in ("removed", "removed-column"):
				if entry.get("kind") == field:
					return True
			elif entry.get("field") and fnmatch.fnmatchcase(field, entry["field"]):
				return True
	return False


def category(snap: dict, doctype: str, name: str) -> str:
	cats = snap.get("categories", {}).get(doctype, {})
	return cats.get("*") or cats.get(name) or "site"


def summary(records: dict, categories: dict) -> str:
	counts: dict[str, list] = {}
	for doctype, rows in records.items():
		for name in rows:
			cats = categories.get(doctype, {})
			cat = cats.get("*") or cats.get(name) or "site"
			entry = counts.setdefault(cat, [0, set()])
			entry[0] += 1
			entry[1].add(doctype)
	return ", ".join(
		f"{cat} {n} records / {len(dts)} doctypes" for cat, (n, dts) in sorted(counts.items())
	)


def compare(before: dict, after: dict, mode: str, edits: list | None = None) -> list[str]:
	"""The problems found (empty: the upgrade is safe). `mode` is "upgrade" or "same"."""
	problems: list[str] = []
	old, new = before["records"], after["records"]
	from_version = before.get("app_version", "")

	def allowed(doctype, name, field):
		return _allowed(doctype, name, field, from_version)

	for doctype, rows in sorted(old.items()):
		new_rows = new.get(doctype, {})
		for name, row in sorted(rows.items()):
			where = f"{doctype} {name!r} ({category(before, doctype, name)})"
			if name not in new_rows:
				if mode == "same" or not allowed(doctype, name, "removed"):
					problems.append(f"{where}: gone")
				continue
			new_row = new_rows[name]
			for field in sorted(set(row) | set(new_row)):
				if field not in new_row:
					if mode == "same" or not allowed(doctype, name, "removed-column"):
						problems.append(f"{where}: column {field} gone (was {row[field]!r})")
				elif field not in row:
					filled = new_row[field] not in EMPTY_VALUES
					if mode == "same" or (filled and not allowed(doctype, name, field)):
						problems.append(f"{where}: new column {field} = {new_row[field]!r}")
				elif row[field] != new_row[field] and (mode == "same" or not allowed(doctype, name, field)):
					problems.append(f"{where}: {field} {row[field]!r} -> {new_row[field]!r}")
	if mode == "same":
		for doctype, rows in sorted(new.items()):
			for name in sorted(set(rows) - set(old.get(doctype, {}))):
				problems.append(f"{doctype} {name!r}: new record")
	for doctype, name, field, value in edits or ():
		got = new.get(doctype, {}).get(name, {}).get(field, "<missing>")
		if not _same(got, value):
			problems.append(f"administrator's edit lost: {doctype} {name!r} {field} = {value!r}, now {got!r}")
	return problems


def _same(a, b) -> bool:
	"""Equal, or equal once read back from the database (singles are stored as text, 1 vs "1.0")."""
	if a == b or str(a) == str(b):
		return True
	try:
		return float(a) == float(b)
	except (TypeError, ValueError):
		return False


def report(before_file: str, after_file: str, mode: str, edits_file: str | None = None) -> int:
	before, after = _read(before_file), _read(after_file)
	edits = _read(edits_file) if edits_file else []
	problems = compare(before, after, mode, edits)
	old, new = before["records"], after["records"]
	added: dict[str, int] = {}
	for doctype, rows in new.items():
		count = len(set(rows) - set(old.get(doctype, {})))
		if count:
			added[doctype] = count
	title = "upgrade" if mode == "upgrade" else "second migrate"
	print(f"{title}: {before['app_version']} -> {after['app_version']}")
	print(f"  compared {sum(len(v) for v in old.values())} records in {len(old)} doctypes: "
		  f"{summary(old, before.get('categories', {}))}")
	customizations = {
		doctype: len(rows) for doctype, rows in old.items() if doctype in CUSTOMIZATION_DOCTYPES
	}
	if customizations:
		print("  of them " + ", ".join(f"{dt} {n}" for dt, n in sorted(customizations.items())))
	if edits:
		print(f"  {len(edits)} administrator's edits checked")
	if added:
		print(f"  new records: {', '.join(f'{dt} {n}' for dt, n in sorted(added.items()))}")
	if INTENDED_CHANGES and mode == "upgrade":
		print(f"  intended changes allowed: {len(INTENDED_CHANGES)} (INTENDED_CHANGES)")
	shown: dict[str, int] = {}
	for problem in problems:
		# at most five of a kind (doctype and what happened to which column), then their number
		kind = re.sub(r" '.*?' \(\w+\): ", " ", problem.split(" = ")[0].split(" -> ")[0], count=1)
		kind = re.sub(r" \(was .*\)$| '.*'$", "", kind)
		shown[kind] = shown.get(kind, 0) + 1
		if shown[kind] <= 5:
			print(f"  PROBLEM {problem}")
	for kind, count in sorted(shown.items()):
		if count > 5:
			print(f"  ... {count} problems in all of the kind: {kind}")
	outcome = f"FAILED, {len(problems)} problem(s)" if problems else "nothing lost, nothing changed"
	print(f"{title}: {outcome}")
	return 1 if problems else 0


def _write(path: str, data) -> None:
	with open(path, "w", encoding="utf-8") as f:
		json.dump(data, f, ensure_ascii=False, sort_keys=True, indent=0)


def _read(path: str):
	with open(path, encoding="utf-8") as f:
		return json.load(f)


def main(argv: list[str]) -> int:
	usage = __doc__.split("Actions:")[1].split("What the snapshot")[0]
	if len(argv) < 2:
		print("usage: upgrade_check.py <action> ...\n" + usage, file=sys.stderr)
		return 2
	action, args = argv[0], argv[1:]
	if action == "compare" and len(args) in (3, 4) and args[2] in ("upgrade", "same"):
		return report(*args)
	actions = {"where": (where, 1), "names": (names, 2), "edit": (edit, 2), "settle": (settle, 1),
		"snapshot": (snapshot, 2)}
	count = actions.get(action, (None, -1))[1]
	if not count <= len(args) <= count + (action == "snapshot"):
		print("usage: upgrade_check.py <action> ...\n" + usage, file=sys.stderr)
		return 2
	actions[action][0](*args)
	return 0


if __name__ == "__main__":
	sys.exit(main(sys.argv[1:]))
