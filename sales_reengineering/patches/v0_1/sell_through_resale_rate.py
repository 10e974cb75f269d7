"""Sell-through lines reported before the Resale Rate field existed carry only an amount: their resale
rate is the amount divided by the quantity, as a new line's is when the dealer gives only the amount.
One UPDATE; lines with a rate, or without an amount, are left as they are."""

import frappe


def execute():
	item = frappe.qb.DocType("Sell Through Report Item")
	(
		frappe.qb.update(item)
		.set(item.resale_rate, item.amount / item.qty)
		.where(
			((item.resale_rate.isnull()) | (item.resale_rate == 0)) & (item.amount > 0) & (item.qty > 0)
		)
	).run()
