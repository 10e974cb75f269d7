"""A field that fetches a Select value shows it translated: it is a Select with the source's options.

Frappe's desk translates a Select value when it formats it (list, grid, read-only field) but shows a
Data value as stored, so a Data field that fetches "Currency" from a Select showed "Currency" in the
Sales Task and KPI Template grids of a Chinese user. Pure: reads the app's DocType JSON."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "sales_reengineering"


def doctypes() -> dict[str, dict]:
	found = {}
	for path in ROOT.glob("*/doctype/*/*.json"):
		if path.stem != path.parent.name:
			continue
		data = json.loads(path.read_text(encoding="utf-8"))
		if data.get("doctype") == "DocType":
			found[data["name"]] = {field["fieldname"]: field for field in data.get("fields", [])}
	return found


def fetched_selects() -> list[tuple[str, dict, dict]]:
	"""(doctype, field, source field) for every field fetched from a Select of the app's doctypes."""
	all_doctypes = doctypes()
	out = []
	for name, fields in all_doctypes.items():
		for field in fields.values():
			link, _, source = (field.get("fetch_from") or "").partition(".")
			target = fields.get(link, {}).get("options")
			source_field = all_doctypes.get(target, {}).get(source)
			if source_field and source_field["fieldtype"] == "Select":
				out.append((name, field, source_field))
	return out


def test_the_kpi_units_are_among_them():
	found = {(name, field["fieldname"]) for name, field, _ in fetched_selects()}
	assert {("Sales Task Target", "unit"), ("KPI Template Indicator", "unit")} <= found


def test_a_field_fetched_from_a_select_is_a_select_with_its_options():
	wrong = [
		f"{name}.{field['fieldname']}: {field['fieldtype']}"
		for name, field, source in fetched_selects()
		if field["fieldtype"] != "Select" or field.get("options") != source.get("options")
	]
	assert not wrong, f"shown untranslated in grids and lists: {wrong}"
