# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Live attainment of the approved Sales Tasks of one period, laid out along the Sales Person tree.

Actuals are computed on the fly (one aggregate per indicator for everyone, nothing is saved). A
team's own task shows its rolled-up score; a node without a task shows the average score of the
individual tasks below it. A salesperson sees only themselves, a manager their subtree."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import cint, flt

from sales_reengineering.core.scoring import round_half_up
from sales_reengineering.performance.doctype.sales_task.sales_task import period_bounds
from sales_reengineering.performance.permissions import check_sales_person_filter
from sales_reengineering.performance.scorecard import evaluate_tasks


def execute(filters=None):
	filters = frappe._dict(filters or {})
	period_type = filters.period_type or "Quarter"
	_from, _to, label = period_bounds(period_type, cint(filters.year), cint(filters.period))
	visible = check_sales_person_filter(filters.sales_person)
	people = _people(filters.sales_person, visible)
	task_filters = {
		"docstatus": 1,
		"assignee_type": "Sales Person",
		"period_type": period_type,
		"period_label": label,
		"assignee": ("in", [p.name for p in people] or [""]),
	}
	if filters.template:
		task_filters["template"] = filters.template
	evaluated = evaluate_tasks(frappe.get_all("Sales Task", filters=task_filters, pluck="name"))
	indicators = sorted({row.indicator for item in evaluated for row in item.targets})
	columns = get_columns(indicators)
	data = get_data(people, evaluated, indicators)
	return columns, data, None, get_chart(data), get_summary(evaluated)


def _people(root, visible):
	people = frappe.get_all(
		"Sales Person", fields=["name", "parent_sales_person", "is_group", "lft", "rgt"], order_by="lft"
	)
	if root:
		bounds = next((p for p in people if p.name == root), None)
		if not bounds:
			frappe.throw(_("Sales Person {0} does not exist.").format(root), frappe.DoesNotExistError)
		people = [p for p in people if bounds.lft <= p.lft and p.rgt <= bounds.rgt]
	if visible is not None:
		people = [p for p in people if p.name in visible]
	return people


def get_columns(indicators):
	columns = [
		{
			"fieldname": "sales_person",
			"label": _("Sales Person"),
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 220,
		},
		{"fieldname": "territories", "label": _("Territories"), "fieldtype": "Data", "width": 150},
		{
			"fieldname": "sales_task",
			"label": _("Sales Task"),
			"fieldtype": "Link",
			"options": "Sales Task",
			"width": 130,
		},
		{
			"fieldname": "template",
			"label": _("KPI Template"),
			"fieldtype": "Link",
			"options": "KPI Template",
			"width": 150,
		},
		{"fieldname": "basis", "label": _("Basis"), "fieldtype": "Data", "width": 130},
		{"fieldname": "score", "label": _("Score"), "fieldtype": "Float", "precision": 2, "width": 90},
		{"fieldname": "beat_target", "label": _("Beat Target"), "fieldtype": "Check", "width": 90},
	]
	for indicator in indicators:
		columns.append(
			{
				"fieldname": frappe.scrub(indicator),
				"label": _("{0} (%)").format(_(indicator)),
				"fieldtype": "Percent",
				"width": 120,
			}
		)
	return columns


def get_data(people, evaluated, indicators):
	by_person = defaultdict(list)
	for item in evaluated:
		by_person[item.task.assignee].append(item)
	territories = defaultdict(list)
	for row in frappe.get_all(
		"Territory",
		filters={"territory_manager": ("in", [p.name for p in people] or [""])},
		fields=["name", "territory_manager"],
	):
		territories[row.territory_manager].append(row.name)
	individual_scores = {
		item.task.assignee: item.result.total for item in evaluated if not item.task.is_group
	}
	names = {p.name for p in people}
	depth = {}
	data = []
	for person in people:
		depth[person.name] = (
			depth.get(person.parent_sales_person, -1) + 1 if person.parent_sales_person in names else 0
		)
		base = {
			"sales_person": person.name,
			"indent": depth[person.name],
			"territories": ", ".join(territories[person.name]),
		}
		items = by_person.get(person.name)
		if items:
			for item in items:
				row = dict(base)
				row.update(
					{
						"sales_task": item.task.name,
						"template": item.task.template,
						"basis": _("Team Task") if item.task.is_group else _("Own Task"),
						"score": item.result.total,
						"beat_target": int(item.result.beat_target),
					}
				)
				for scored in item.result.rows:
					if scored.attainment is not None:
						row[frappe.scrub(scored.indicator)] = round_half_up(scored.attainment * 100, 2)
				data.append(row)
			continue
		if person.is_group:
			members = [
				individual_scores[p.name]
				for p in people
				if person.lft < p.lft and p.rgt < person.rgt and p.name in individual_scores
			]
			if members:
				base.update(
					{
						"basis": _("Members' Average"),
						"score": round_half_up(sum(members) / len(members), 2),
						"beat_target": int(sum(members) / len(members) >= 100),
					}
				)
		data.append(base)
	return data


def get_chart(data):
	rows = [row for row in data if row.get("sales_task") and row.get("basis") == _("Own Task")]
	if not rows:
		return None
	return {
		"data": {
			"labels": [row["sales_person"] for row in rows],
			"datasets": [{"name": _("Score"), "values": [flt(row["score"]) for row in rows]}],
		},
		"type": "bar",
		"colors": ["#5e64ff"],
	}


def get_summary(evaluated):
	if not evaluated:
		return []
	scores = [item.result.total for item in evaluated]
	return [
		{"value": len(scores), "label": _("Tasks"), "datatype": "Int"},
		{
			"value": round_half_up(sum(scores) / len(scores), 2),
			"label": _("Average Score"),
			"datatype": "Float",
		},
		{
			"value": sum(1 for item in evaluated if item.result.beat_target),
			"label": _("Beat Target"),
			"datatype": "Int",
			"indicator": "Green",
		},
	]
