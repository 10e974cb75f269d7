from sales_reengineering.channel.setup import create_workflows
from sales_reengineering.setup.roles import grant_erpnext_permissions


def execute():
	"""Market development funds (issue 14, item 3): the approval workflows of Market Development Fund
	and MDF Claim, created only when missing (an administrator's own workflow is left alone), and the
	Channel Manager's read on Fiscal Year (the form's and the report's link)."""
	create_workflows()
	grant_erpnext_permissions()
