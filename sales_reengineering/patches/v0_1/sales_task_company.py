import frappe


def execute():
	"""Sales Tasks made before a task had a company count their salesperson's company (Sales Person ->
	Employee -> Company, as ERPNext ties an employee to one company), else the site's default company
	(Global Defaults, else the oldest Company); their scorecards take the task's. Two statements for all
	tasks and one for their scorecards, whatever their number."""
	frappe.reload_doc("performance", "doctype", "sales_task")
	frappe.reload_doc("performance", "doctype", "kpi_scorecard")
	# query builder writes the SET column without its table, which MariaDB finds ambiguous in a join
	frappe.db.sql(
		"""update `tabSales Task` task
		join `tabSales Person` person on person.name = task.assignee
		join `tabEmployee` employee on employee.name = person.employee
		set task.company = employee.company
		where task.assignee_type = 'Sales Person' and ifnull(task.company, '') = ''
		and ifnull(employee.company, '') != ''"""
	)
	company = frappe.db.get_single_value("Global Defaults", "default_company")
	if not company or not frappe.db.exists("Company", company):
		company = frappe.db.get_value("Company", {}, "name", order_by="creation asc")
	if not company:
		_scorecards()
		return
	task = frappe.qb.DocType("Sales Task")
	frappe.qb.update(task).set(task.company, company).where(
		task.company.isnull() | (task.company == "")
	).run()
	_scorecards()


def _scorecards():
	frappe.db.sql(
		"""update `tabKPI Scorecard` card join `tabSales Task` task on task.name = card.sales_task
		set card.company = task.company where ifnull(card.company, '') = ''"""
	)
