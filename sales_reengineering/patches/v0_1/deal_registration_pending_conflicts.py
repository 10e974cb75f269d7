"""Registrations submitted before pending registrations counted as conflicts show only the approved
protections and direct opportunities they met on submit. Recompute the conflict table of every pending and
approved registration once, so both sides of a clash between two pending registrations show it."""

import frappe

from sales_reengineering.channel.doctype.deal_registration.deal_registration import (
	CLAIMING_STATUSES,
	refresh_conflicts,
)


def execute():
	names = frappe.get_all(
		"Deal Registration",
		filters={"docstatus": 1, "status": ("in", CLAIMING_STATUSES)},
		pluck="name",
	)
	# a fixed number of queries per chunk, whatever the chunk's size
	for start in range(0, len(names), 500):
		refresh_conflicts(names[start : start + 500])
