"""Errors this app raises. Each is a `frappe.ValidationError`, so the desk shows its translated message
(never a traceback) and tests can assert the exact error."""

import frappe


class SalesReengineeringError(frappe.ValidationError):
	"""Base class of every error this app raises on bad input."""


class InvalidSettingError(SalesReengineeringError):
	"""A value in Sales Reengineering Settings is out of range."""


class DemoDataError(SalesReengineeringError):
	"""The demo data command cannot run on this site as asked."""
