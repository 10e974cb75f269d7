import frappe


def execute():
	"""Sales Tasks made before a task had a company count the site's default company (Global Defaults,
	else the oldest Company), as their indicators summed before; their scorecards take the task's."""
	frappe.reload_doc("performance", "doctype", "sales_task")
	frappe.reload_doc("performance", "doctype", "kpi_scorecard")
	company = frappe.db.get_single_value("Global Defaults", "default_company")
	if not company or not frappe.db.exists("Company", company):
		company = frappe.db.get_value("Company", {}, "name", order_by="creation asc")
	if not company:
		return
	task = frappe.qb.DocType("Sales Task")
	frappe.qb.update(task).set(task.company, company).where(
		task.company.isnull() | (task.company == "")
	).run()
	# query builder writes the SET column without its table, which MariaDB finds ambiguous in a join
	frappe.db.sql(
		"""update `tabKPI Scorecard` card join `tabSales Task` task on task.name = card.sales_task
		set card.company = task.company where ifnull(card.company, '') = ''"""
	)
