"""Named database locks that serialize one piece of work across processes until its transaction ends.

A unique index can refuse a second copy of a record, but two jobs that rebuild the same record at the
same moment then end with one of them failing half-way (a duplicate key or a "document has been
modified" error). Holding a named lock for the whole rebuild makes the second job wait for the first to
commit and then rebuild on top of it.

MariaDB's GET_LOCK belongs to the connection, not to the transaction: the lock is released right after
the transaction commits or rolls back (frappe.db.after_commit / after_rollback), or when the connection
closes (a crashed worker). Lock names are server-wide, so they carry the site's database name.

A process that waited may still read the snapshot its transaction took before the wait (REPEATABLE
READ): read the records the other job wrote with a locking read (`for_update=True`), which sees the
latest committed version.
"""

import hashlib

import frappe
from frappe import _

from sales_reengineering.exceptions import WorkInProgressError

DEFAULT_TIMEOUT = 300  # seconds; longer than a ranking or handover takes on a large site


def hold_until_transaction_ends(key: str, timeout: int = DEFAULT_TIMEOUT) -> None:
	"""Wait for the named lock `key`, then keep it until the current transaction ends.

	Re-entrant within one connection (MariaDB counts the acquisitions, each one is released).
	WorkInProgressError when another process holds it for longer than `timeout` seconds."""
	if frappe.db.db_type != "mariadb":
		return  # PostgreSQL is not a supported database of this app
	name = lock_name(key)
	got = frappe.db.sql("select get_lock(%s, %s)", (name, timeout))[0][0]
	if got != 1:
		frappe.throw(
			_("{0} is being computed by another job. Try again when it has finished.").format(key),
			WorkInProgressError,
		)

	def release():
		frappe.db.sql("select release_lock(%s)", (name,))

	frappe.db.after_commit.add(release)
	frappe.db.after_rollback.add(release)


def lock_name(key: str) -> str:
	"""At most 64 characters (MariaDB's limit), unique per site and key."""
	digest = hashlib.sha1(f"{frappe.conf.db_name}:{key}".encode()).hexdigest()
	return f"sr:{digest}"
