"""Pure-Python domain core of Sales Reengineering.

The modules in this package hold the business rules (KPI scoring, ranking, data completeness,
weekly stage progress, quota suggestion and deal-conflict matching) without any dependency on
Frappe, so that they can be unit-tested without a bench.  Frappe controllers import the individual
modules (``from sales_reengineering.core import scoring``) and translate the ``ValueError``
subclasses raised here into user-facing messages.

Nothing is re-exported here on purpose: import the submodule you need.
"""
