"""Two claims against one market development fund at the same moment, run for real: two OS processes on
the real database (`tests.processes`), released together, each claiming 600 of a fund approved at 1000
from the dealer portal. Exactly one is submitted; the other waits for the fund's lock, then sees the
first and is refused with MDFClaimError. Without the lock both would pass (each read no other claim)."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import random_string, today

from sales_reengineering.tests.factories_channel import make_dealer, make_website_user
from sales_reengineering.tests.processes import Job, run_together
from sales_reengineering.tests.utils import make_user

ACTIONS = __name__


def claim_now(sync, fund: str, amount: float):
	"""As the dealer, from the portal: a claim with its proof (run in a spawned process)."""
	from sales_reengineering.channel.mdf import make_claim

	return make_claim(fund, amount, "Booth at the fair", "proof.pdf", b"%PDF-1.4\n% race\n")


class TestMDFClaimRace(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from erpnext.accounts.utils import get_fiscal_year

		cls.tag = random_string(6)
		company = frappe.defaults.get_global_default("company")
		cls.user = make_website_user()
		cls.dealer = make_dealer("General Agent", portal_users=[cls.user]).name
		cls.manager = make_user(f"sr-mdf-race-{cls.tag.lower()}@sr-test.invalid", ["Channel Manager"])
		fund = frappe.get_doc(
			{
				"doctype": "Market Development Fund",
				"dealer": cls.dealer,
				"company": company,
				"fiscal_year": get_fiscal_year(today(), company=company, as_dict=True).name,
				"purpose": f"Race {cls.tag}",
				"activities": [{"activity": "Booth", "planned_cost": 1000}],
			}
		)
		fund.insert(ignore_permissions=True)
		fund.submit()
		frappe.set_user(cls.manager)
		apply_workflow(frappe.get_doc(fund.doctype, fund.name), "Approve")
		frappe.set_user("Administrator")
		cls.fund = fund.name
		frappe.db.commit()  # the processes see only committed data
		cls.addClassCleanup(cls.remove_fixtures)

	@classmethod
	def remove_fixtures(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		claims = frappe.get_all("MDF Claim", filters={"fund": cls.fund}, pluck="name")
		files = frappe.get_all(
			"File", filters={"attached_to_doctype": "MDF Claim", "attached_to_name": ("in", claims or [""])}
		)
		for row in files:
			frappe.delete_doc("File", row.name, force=True, ignore_permissions=True)
		for doctype, names in (
			("MDF Claim", claims),
			("Market Development Fund", [cls.fund]),
		):
			for name in names:
				frappe.db.delete("Market Development Fund Activity", {"parent": name})
				frappe.db.delete(doctype, {"name": name})
		customer = frappe.db.get_value("Dealer", cls.dealer, "customer")
		frappe.delete_doc("Dealer", cls.dealer, force=True, ignore_permissions=True)
		if customer:
			frappe.delete_doc("Customer", customer, force=True, ignore_permissions=True)
		for user in (cls.user, cls.manager):
			frappe.delete_doc("User", user, force=True, ignore_permissions=True)
		frappe.db.commit()

	def test_two_claims_at_once_never_exceed_the_fund(self):
		outcomes = run_together(
			[Job(f"{ACTIONS}.claim_now", self.user, {"fund": self.fund, "amount": 600}) for _ in range(2)]
		)
		frappe.db.rollback()  # a fresh snapshot: see what the processes committed
		summary = [(o.status, o.get("exc_type"), o.get("message")) for o in outcomes]
		self.assertEqual(sorted(o.status for o in outcomes), ["error", "ok"], summary)
		self.assertEqual(next(o for o in outcomes if o.status == "error").exc_type, "MDFClaimError", summary)
		submitted = frappe.get_all(
			"MDF Claim", filters={"fund": self.fund, "docstatus": 1}, pluck="claimed_amount"
		)
		self.assertEqual(submitted, [600], summary)
