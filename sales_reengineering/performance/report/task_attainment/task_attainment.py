# Copyright (c) 2026, Sales Reengineering Developers
# For license information, please see license.txt

"""Live attainment of the approved Sales Tasks of one period, laid out along the Sales Person tree or
the Territory tree ("Group By").

The scores are the saved KPI Scorecards of the period's tasks (the daily job keeps them fresh; the
summary says when they were computed), read with two queries whatever the number of tasks. Scores are
evaluated live instead (one aggregate per indicator for everyone, nothing is saved) when the report is
narrowed to one salesperson or team ("Sales Person") or "Live" is ticked, and for a task that has no
scorecard yet. Live for a whole company of a few hundred people is the work of a scorecard refresh
(about 30 s on the benchmark's `half` data, see docs/performance.md), hence not the default.

* By Sales Person: a team's own task shows its rolled-up score; a node without a task shows the
  average score of the individual tasks below it.
* By Territory: each individual task counts for the territories its assignee manages (Territory
  Manager). A territory shows the tasks of its own and all its descendant territories, each task once:
  their number, average score, how many beat the target and the average attainment per indicator. Team
  tasks are left out, because their members' tasks are already in. Only territories with a manager
  among the people shown appear, with their ancestors.

A salesperson sees only themselves, a manager their subtree; by territory, only the tasks (and
territory managers) of those people count.

User Permissions on Territory cut the Territory tree (and the "Territories" column of the Sales Person
view): only the territories they allow appear, and only their managers' tasks count. They do not cut
the people, nor the indicator actuals: a score is the person's attainment of their whole target, the
figure their KPI Scorecard and the ranking show (see scope/user_permissions.py). A Company permission
therefore does not narrow the invoices behind a sales indicator here."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import cint, flt

from sales_reengineering.arguments import report_filters
from sales_reengineering.charts import bar_chart, top_label, top_n
from sales_reengineering.companies import report_company
from sales_reengineering.core.scoring import round_half_up
from sales_reengineering.exceptions import KPIError
from sales_reengineering.performance.doctype.sales_task.sales_task import period_bounds
from sales_reengineering.performance.scorecard import evaluate_tasks
from sales_reengineering.scope import user_permissions
from sales_reengineering.scope.performance import check_sales_person_filter

GROUP_BY = ("Sales Person", "Territory")


# a site with a read replica (read_from_replica) answers the report from it; the report only reads
@frappe.read_only()
def execute(filters=None):
	filters = report_filters(
		filters,
		texts=("company", "period_type", "group_by", "sales_person", "territory", "template"),
		whole_numbers=("year", "period", "live"),
	)
	group_by = filters.group_by or "Sales Person"
	if group_by not in GROUP_BY:
		frappe.throw(_("Group the report by Sales Person or Territory, not {0}.").format(group_by), KPIError)
	# before anything says whether the territory exists
	user_permissions.check_filters(filters, {"territory": "Territory"}, reference_doctype="Territory")
	report_company(filters, "Sales Task")
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
	if group_by == "Territory":
		task_filters["is_group"] = 0
	if filters.template:
		task_filters["template"] = filters.template
	if filters.company:
		task_filters["company"] = filters.company
	task_names = frappe.get_all("Sales Task", filters=task_filters, pluck="name")
	if cint(filters.live) or filters.sales_person:
		evaluated, computed = evaluate_tasks(task_names), None
	else:
		evaluated, computed = saved_scores(task_names)
	indicators = sorted({row.indicator for item in evaluated for row in item.result.rows})
	if group_by == "Territory":
		return execute_by_territory(filters.territory, people, evaluated, indicators, computed)
	columns = get_columns(indicators)
	data = get_data(people, evaluated, indicators)
	return columns, data, computed_message(computed), get_chart(data), get_summary(evaluated, computed)


def saved_scores(task_names: list[str]) -> tuple[list[frappe._dict], tuple | None]:
	"""(the tasks' scores as their saved KPI Scorecards hold them, shaped like `evaluate_tasks`' items
	in task-name order; (oldest, newest) time they were computed, None without any). Two queries; a
	task without a scorecard (none saved yet) is evaluated live, in one batch.

	A scorecard stores an indicator that was not measured (no actual) as attainment 0, so its column
	shows 0 where the live evaluation leaves it empty; the score is the same."""
	if not task_names:
		return [], None
	card = frappe.qb.DocType("KPI Scorecard")
	cards = (
		frappe.qb.from_(card)
		.select(
			card.name,
			card.sales_task,
			card.assignee,
			card.is_group,
			card.template,
			card.total_score,
			card.beat_target,
			card.last_computed,
		)
		.where(card.sales_task.isin(task_names))
	).run(as_dict=True)
	rows = defaultdict(list)
	if cards:
		row = frappe.qb.DocType("KPI Scorecard Row")
		for scored in (
			frappe.qb.from_(row)
			.select(row.parent, row.indicator, row.attainment)
			.where((row.parenttype == "KPI Scorecard") & row.parent.isin([c.name for c in cards]))
			.orderby(row.parent)
			.orderby(row.idx)
		).run(as_dict=True):
			rows[scored.parent].append(
				frappe._dict(indicator=scored.indicator, attainment=flt(scored.attainment) / 100)
			)
	items = {
		c.sales_task: frappe._dict(
			task=frappe._dict(name=c.sales_task, assignee=c.assignee, is_group=c.is_group, template=c.template),
			result=frappe._dict(total=flt(c.total_score), beat_target=bool(c.beat_target), rows=rows[c.name]),
		)
		for c in cards
	}
	missing = [name for name in task_names if name not in items]
	items.update({item.task.name: item for item in evaluate_tasks(missing)})
	times = [c.last_computed for c in cards if c.last_computed]
	computed = (min(times), max(times)) if times else None
	return [items[name] for name in sorted(items)], computed


def computed_message(computed: tuple | None) -> str | None:
	if not computed:
		return None
	return _(
		"Scores as saved in the KPI Scorecards, computed between {0} and {1} (the daily job refreshes "
		"them). Tick Live, or choose a Sales Person, to evaluate them now."
	).format(frappe.utils.format_datetime(computed[0]), frappe.utils.format_datetime(computed[1]))


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
	return columns + indicator_columns(indicators)


def indicator_columns(indicators) -> list[dict]:
	"""One attainment column per indicator, in both views."""
	return [
		{
			"fieldname": frappe.scrub(indicator),
			"label": _("{0} (%)").format(_(indicator)),
			"fieldtype": "Percent",
			"width": 120,
		}
		for indicator in indicators
	]


def get_data(people, evaluated, indicators):
	by_person = defaultdict(list)
	for item in evaluated:
		by_person[item.task.assignee].append(item)
	territories = defaultdict(list)
	territory = frappe.qb.DocType("Territory")
	managed = (
		frappe.qb.from_(territory)
		.select(territory.name, territory.territory_manager)
		.where(territory.territory_manager.isin([p.name for p in people] or [""]))
		.orderby(territory.lft)
	)
	for row in user_permissions.apply_to(managed, "Territory", territory).run(as_dict=True):
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
		parent = person.parent_sales_person if person.parent_sales_person in names else None
		base = {
			"sales_person": person.name,
			"parent_sales_person": parent,
			"parent_node": parent,
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
	"""The best individual scores (own tasks), highest first, each name whole under its bar."""
	rows = [row for row in data if row.get("sales_task") and row.get("basis") == _("Own Task")]
	best = top_n([(row["sales_person"], row["score"]) for row in rows])
	return bar_chart(best, top_label(_("Score"), len(best), len(rows)), "Percent")


def get_summary(evaluated, computed: tuple | None = None):
	if not evaluated:
		return []
	scores = [item.result.total for item in evaluated]
	computed_at = (
		[{"value": computed[0], "label": _("Scores Computed"), "datatype": "Datetime"}] if computed else []
	)
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
	] + computed_at


# --- by territory -----------------------------------------------------------------------------------


def execute_by_territory(root, people, evaluated, indicators, computed=None):
	territories = _territories(root)
	data, attributed = get_territory_data(territories, {p.name for p in people}, evaluated, indicators)
	message = _(
		"Each salesperson's own tasks count for the territories they manage (Territory Manager); a "
		"territory adds up its descendants, each task once. Team tasks are left out: their members' "
		"tasks are already in."
	)
	if computed:
		message = f"{message} {computed_message(computed)}"
	return (
		get_territory_columns(indicators),
		data,
		message,
		get_territory_chart(data),
		get_summary(attributed, computed),
	)


def _territories(root):
	"""The Territory tree (one query), in tree order, cut to the user's User Permissions; only `root`
	and its descendants when given."""
	territory = frappe.qb.DocType("Territory")
	query = (
		frappe.qb.from_(territory)
		.select(
			territory.name,
			territory.parent_territory,
			territory.territory_manager,
			territory.lft,
			territory.rgt,
		)
		.orderby(territory.lft)
	)
	territories = user_permissions.apply_to(query, "Territory", territory).run(as_dict=True)
	if root:
		bounds = next((t for t in territories if t.name == root), None)
		if not bounds:
			frappe.throw(_("Territory {0} does not exist.").format(root), frappe.DoesNotExistError)
		territories = [t for t in territories if bounds.lft <= t.lft and t.rgt <= bounds.rgt]
	return territories


def get_territory_data(territories, people, evaluated, indicators):
	"""(rows, the evaluated tasks counted in some row). `people` are the Sales Persons in scope."""
	by_person = defaultdict(list)
	for item in evaluated:
		by_person[item.task.assignee].append(item)
	names = {t.name for t in territories}
	# each territory's own tasks, then (children before parents: descending lft) its subtree's
	subtree = {t.name: {i.task.name for i in by_person.get(t.territory_manager, [])} for t in territories}
	managed = {t.name: t.territory_manager in people for t in territories}
	for territory in sorted(territories, key=lambda t: t.lft, reverse=True):
		parent = territory.parent_territory
		if parent in names:
			subtree[parent] |= subtree[territory.name]
			managed[parent] = managed[parent] or managed[territory.name]
	items = {item.task.name: item for item in evaluated}
	depth = {}
	data = []
	for territory in territories:
		if not managed[territory.name]:
			continue
		parent = territory.parent_territory if territory.parent_territory in depth else None
		depth[territory.name] = depth[parent] + 1 if parent else 0
		counted = [items[name] for name in sorted(subtree[territory.name])]
		row = {
			"territory": territory.name,
			"parent_territory": parent,
			"parent_node": parent,
			"indent": depth[territory.name],
			"territory_manager": territory.territory_manager
			if territory.territory_manager in people
			else None,
			"own_tasks": len(by_person.get(territory.territory_manager, []))
			if territory.territory_manager in people
			else 0,
			"tasks": len(counted),
		}
		if counted:
			scores = [item.result.total for item in counted]
			row["score"] = round_half_up(sum(scores) / len(scores), 2)
			row["beat_target"] = sum(1 for item in counted if item.result.beat_target)
			attainments = defaultdict(list)
			for item in counted:
				for scored in item.result.rows:
					if scored.attainment is not None:
						attainments[scored.indicator].append(scored.attainment)
			for indicator, values in attainments.items():
				row[frappe.scrub(indicator)] = round_half_up(sum(values) / len(values) * 100, 2)
		data.append(row)
	attributed = set().union(*(subtree[row["territory"]] for row in data if row["indent"] == 0))
	return data, [items[name] for name in sorted(attributed)]


def get_territory_columns(indicators):
	columns = [
		{
			"fieldname": "territory",
			"label": _("Territory"),
			"fieldtype": "Link",
			"options": "Territory",
			"width": 220,
		},
		{
			"fieldname": "territory_manager",
			"label": _("Territory Manager"),
			"fieldtype": "Link",
			"options": "Sales Person",
			"width": 180,
		},
		{"fieldname": "tasks", "label": _("Tasks"), "fieldtype": "Int", "width": 80},
		{
			"fieldname": "score",
			"label": _("Average Score"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 120,
		},
		{"fieldname": "beat_target", "label": _("Beat Target"), "fieldtype": "Int", "width": 100},
	]
	return columns + indicator_columns(indicators)


def get_territory_chart(data):
	"""The average score of each territory whose own manager has a task: the best, highest first."""
	rows = [row for row in data if row["own_tasks"]]
	best = top_n([(row["territory"], row["score"]) for row in rows])
	return bar_chart(best, top_label(_("Average Score"), len(best), len(rows)), "Percent")
