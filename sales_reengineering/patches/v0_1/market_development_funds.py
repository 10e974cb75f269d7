from sales_reengineering.channel.setup import create_workflows


def execute():
	"""Market development funds (issue 14, item 3): the approval workflows of Market Development Fund
	and MDF Claim, created only when missing (an administrator's own workflow is left alone)."""
	create_workflows()
