"""Sites installed before this fix hold the install time, with microseconds, as both quiet-hours start
and end (Frappe gives a new document's Time fields the current time whatever their default): no quiet
hours, and a Settings form that opens "Not Saved". Restore 22:00-08:00 where both are still the
machine's; where an administrator saved one of them, keep the other as the form showed it (whole
seconds). Times an administrator typed in are never changed."""

from sales_reengineering.reminders.setup import normalise_quiet_hours


def execute():
	normalise_quiet_hours()
