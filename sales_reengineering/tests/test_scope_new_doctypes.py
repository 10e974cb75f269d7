"""Dealer isolation of the doctypes added with issue 14, item 3 (dealer support requests as ERPNext Issues,
Market Development Fund with its activities, MDF Claim with its proof file, Dealer Staff Certification),
over HTTP on the real WSGI stack: dealer A, and the general agent above A, try every door on competing
dealer B's records (REST, frappe.client.*, frappe.desk.reportview.*, the form loader, child rows, counts,
print views, the PDF, the report, the proof file, the dealer portal and ERPNext's /issues portal).

The fixtures are committed (each request opens its own connection) under fresh names on every run."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import today
from frappe.utils.password import update_password

from sales_reengineering.tests.http_client import HTTPUser

PASSWORD = "Sr-new-doctypes-2026!"
PROOF = b"%PDF-1.4\n% proof of dealer "


def _as(user: str, function, *args, **kwargs):
	frappe.set_user(user)
	try:
		return function(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")


class TestNewDoctypesOverHTTP(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		from frappe.model.workflow import apply_workflow

		from sales_reengineering.channel import mdf, support
		from sales_reengineering.tests.factories_channel import make_dealer, make_tier, make_website_user
		from sales_reengineering.tests.utils import make_user

		super().setUpClass()
		frappe.set_user("Administrator")
		tag = frappe.generate_hash(length=6)
		tier = make_tier(mdf_annual_budget=100000)
		cls.users = {
			key: make_website_user(f"sr-newdt-{key}-{tag}@sr-test.invalid") for key in ("agent", "a", "b")
		}
		agent = make_dealer("General Agent", portal_users=[cls.users["agent"]], dealer_tier=tier).name
		dealers = {
			"a": make_dealer("Provincial Dealer", agent, portal_users=[cls.users["a"]], dealer_tier=tier).name,
			"b": make_dealer(
				"Provincial Dealer",
				make_dealer("General Agent", dealer_tier=tier).name,
				portal_users=[cls.users["b"]],
				dealer_tier=tier,
			).name,
		}
		cls.users["manager"] = make_user(f"sr-newdt-cm-{tag}@sr-test.invalid", ["Channel Manager"])
		year = mdf.current_fiscal_year(frappe.db.get_value("Dealer", dealers["b"], "company"))
		cls.records = frappe._dict()
		for key in ("a", "b"):
			user = cls.users[key]
			fund = _as(
				user,
				mdf.apply_for_fund,
				purpose=f"Fair of {key} {tag}",
				fiscal_year=year,
				activities=[{"activity": "Booth", "planned_date": today(), "planned_cost": 1000}],
			)["name"]
			frappe.set_user(cls.users["manager"])
			apply_workflow(frappe.get_doc("Market Development Fund", fund), "Approve")
			frappe.set_user("Administrator")
			claim = _as(
				user, mdf.make_claim, fund, 300, "Booth", f"proof-{key}-{tag}.pdf", PROOF + key.encode()
			)["name"]
			issue = _as(
				user,
				support.raise_request,
				request_type=support.REQUEST_TYPES[0],
				subject=f"Request of {key} {tag}",
				description=f"private words of {key} {tag}",
			)["name"]
			certification = frappe.get_doc(
				{
					"doctype": "Dealer Staff Certification",
					"dealer": dealers[key],
					"staff_name": f"Staff of {key} {tag}",
					"course": "Basics",
					"result": "Passed",
					"certified_on": today(),
				}
			).insert()
			cls.records[key] = frappe._dict(
				dealer=dealers[key],
				fund=fund,
				activity=frappe.get_all(
					"Market Development Fund Activity", {"parent": fund}, pluck="name", limit=1
				)[0],
				claim=claim,
				proof=frappe.db.get_value("MDF Claim", claim, "proof"),
				issue=issue,
				certification=certification.name,
				markers=[fund, claim, issue, certification.name, f"of {key} {tag}", PROOF.decode() + key],
			)
		for user in cls.users.values():
			update_password(user, PASSWORD)
		frappe.db.commit()  # the HTTP requests read through their own connections
		cls.clients = {key: HTTPUser(user, PASSWORD).login() for key, user in cls.users.items()}

	@classmethod
	def tearDownClass(cls):
		for client in getattr(cls, "clients", {}).values():
			client.logout()
		super().tearDownClass()

	# -- helpers ------------------------------------------------------------------------------------

	def doors(self, record: frappe._dict) -> list[tuple[str, str, dict | None]]:
		dumps = json.dumps
		doors = []
		for doctype, name in (
			("Market Development Fund", record.fund),
			("MDF Claim", record.claim),
			("Dealer Staff Certification", record.certification),
			("Issue", record.issue),
		):
			by_name = dumps({"name": name})
			doors += [
				("GET", f"/api/resource/{doctype}/{name}", None),
				("GET", f"/api/resource/{doctype}", {"filters": by_name, "fields": '["name"]'}),
				("GET", "/api/method/frappe.client.get", {"doctype": doctype, "name": name}),
				("GET", "/api/method/frappe.client.get_list", {"doctype": doctype, "filters": by_name}),
				(
					"GET",
					"/api/method/frappe.client.get_value",
					{"doctype": doctype, "filters": by_name, "fieldname": "name"},
				),
				("POST", "/api/method/frappe.desk.reportview.get", {"doctype": doctype, "filters": by_name}),
				("GET", "/api/method/frappe.desk.form.load.getdoc", {"doctype": doctype, "name": name}),
				("GET", "/printview", {"doctype": doctype, "name": name, "format": "Standard"}),
				(
					"GET",
					"/api/method/frappe.utils.print_format.download_pdf",
					{"doctype": doctype, "name": name},
				),
			]
		activity = "Market Development Fund Activity"
		doors += [
			(
				"GET",
				"/api/method/frappe.client.get_list",
				{
					"doctype": activity,
					"parent": "Market Development Fund",
					"filters": dumps({"parent": record.fund}),
					"fields": '["name", "parent", "activity"]',
				},
			),
			(
				"POST",
				"/api/method/frappe.desk.reportview.get",
				{
					"doctype": activity,
					"parent_doctype": "Market Development Fund",
					"filters": dumps({"parent": record.fund}),
					"fields": dumps([f"`tab{activity}`.`parent`"]),
				},
			),
			("GET", record.proof, None),
			(
				"GET",
				"/api/method/frappe.client.get_list",
				{"doctype": "File", "filters": dumps({"file_url": record.proof}), "fields": '["file_url"]'},
			),
			(
				"GET",
				"/api/method/frappe.client.get_list",
				{"doctype": "Communication", "filters": dumps({"reference_name": record.issue})},
			),
			(
				"POST",
				"/api/method/frappe.desk.query_report.run",
				{"report_name": "Market Development Funds", "filters": dumps({"dealer": record.dealer})},
			),
			("GET", "/dealer/support", {"name": record.issue}),
			("GET", "/dealer/funds", {"fund": record.fund}),
			("GET", "/issues", None),
			("GET", f"/issues/{record.issue}", None),
		]
		return doors

	def open_doors(self, who: str, record: frappe._dict) -> list[str]:
		"""The doors through which `who` got an answer carrying something of `record`."""
		client = self.clients[who]
		opened = []
		for verb, path, params in self.doors(record):
			if verb == "GET":
				reply = client.get(path, params=params)
			else:
				reply = client.open("POST", path, data=params)
			seen = [marker for marker in record.markers if marker in reply.text]
			if reply.status == 200 and seen:
				opened.append(f"{verb} {path} {params or ''} -> {seen}")
		return opened

	def counts(self, who: str, record: frappe._dict) -> dict[str, object]:
		client = self.clients[who]
		counted = {}
		for doctype, name in (
			("Market Development Fund", record.fund),
			("MDF Claim", record.claim),
			("Dealer Staff Certification", record.certification),
			("Issue", record.issue),
		):
			filters = json.dumps({"name": name})
			for method in ("frappe.client.get_count", "frappe.desk.reportview.get_count"):
				reply = client.open("POST", f"/api/method/{method}", data={"doctype": doctype, "filters": filters})
				counted[f"{method} {doctype}"] = reply.message if reply.status == 200 else 0
		reply = client.open(
			"POST",
			"/api/method/frappe.client.get_count",
			data={
				"doctype": "Market Development Fund Activity",
				"filters": json.dumps({"parenttype": "Market Development Fund", "parent": record.fund}),
			},
		)
		counted["activities"] = reply.message if reply.status == 200 else 0
		return counted

	# -- reading ------------------------------------------------------------------------------------

	def test_a_dealer_reaches_nothing_of_a_competitor(self):
		for who in ("a", "agent"):
			with self.subTest(who=who):
				self.assertEqual(self.open_doors(who, self.records.b), [])
				self.assertFalse(any(self.counts(who, self.records.b).values()), self.counts(who, self.records.b))

	def test_the_doors_open_for_its_own_branch(self):
		"""The same doors answer for dealer A's own records, to A and to the general agent above it: the
		test above would pass on a broken request too."""
		for who in ("a", "agent"):
			with self.subTest(who=who):
				opened = self.open_doors(who, self.records.a)
				self.assertGreaterEqual(len(opened), 30, opened)
				self.assertTrue(any(self.records.a.proof in door for door in opened), opened)
				self.assertTrue(all(self.counts(who, self.records.a).values()), self.counts(who, self.records.a))

	def test_a_claims_proof_file_follows_the_claim(self):
		self.assertEqual(self.clients["b"].get(self.records.b.proof).status, 200)
		self.assertEqual(self.clients["manager"].get(self.records.b.proof).status, 200)
		for who in ("a", "agent"):
			reply = self.clients[who].get(self.records.b.proof)
			self.assertEqual(reply.status, 403, reply.short())
			self.assertNotIn(PROOF.decode(), reply.text)

	# -- writing through Frappe's small endpoints ---------------------------------------------------

	def test_a_dealer_cannot_like_a_competitors_record(self):
		"""frappe.desk.like.toggle_like checks no permission in Frappe v15: it wrote the record's
		_liked_by and a "Like" comment with the dealer's name on it, and told which names exist."""
		client = self.clients["a"]
		for doctype, name in (
			("MDF Claim", self.records.b.claim),
			("Issue", self.records.b.issue),
			("Market Development Fund", self.records.b.fund),
			("MDF Claim", "MDFC-NO-SUCH-CLAIM"),
		):
			with self.subTest(doctype=doctype, name=name):
				reply = client.open(
					"POST",
					"/api/method/frappe.desk.like.toggle_like",
					data={"doctype": doctype, "name": name, "add": "Yes"},
				)
				self.assertEqual((reply.status, reply.exc_type), (403, "PermissionError"), reply.short())
				self.assertFalse(
					frappe.db.exists("Comment", {"reference_name": name, "comment_type": "Like"}), name
				)
				if frappe.db.exists(doctype, name):
					self.assertIsNone(frappe.db.get_value(doctype, name, "_liked_by"))
		# its own claim it may like
		reply = client.open(
			"POST",
			"/api/method/frappe.desk.like.toggle_like",
			data={"doctype": "MDF Claim", "name": self.records.a.claim, "add": "Yes"},
		)
		self.assertEqual(reply.status, 200, reply.short())
		frappe.db.rollback()  # see what the request committed
		self.assertIn(self.users["a"], frappe.db.get_value("MDF Claim", self.records.a.claim, "_liked_by"))
		self.assertEqual(
			frappe.get_hooks("override_whitelisted_methods").get("frappe.desk.like.toggle_like", [""])[-1],
			"sales_reengineering.scope.endpoints.toggle_like",
		)

	def test_a_dealer_cannot_write_on_a_competitors_records(self):
		client = self.clients["a"]
		b = self.records.b
		attempts = [
			("PUT", f"/api/resource/Issue/{b.issue}", {"subject": "changed"}),
			("PUT", f"/api/resource/MDF Claim/{b.claim}", {"description": "changed"}),
			(
				"POST",
				"/api/method/frappe.client.set_value",
				{
					"doctype": "Market Development Fund Activity",
					"name": b.activity,
					"fieldname": "activity",
					"value": "changed",
				},
			),
			("POST", "/api/method/frappe.client.delete", {"doctype": "Issue", "name": b.issue}),
			(
				"POST",
				"/api/resource/Issue",
				{"subject": "raised as B", "sr_dealer": b.dealer, "sr_request_type": "Technical Support"},
			),
			("POST", "/api/resource/MDF Claim", {"fund": b.fund, "claimed_amount": 1, "claim_date": today()}),
			(
				"POST",
				"/api/method/frappe.desk.form.utils.add_comment",
				{
					"reference_doctype": "Issue",
					"reference_name": b.issue,
					"content": "hello",
					"comment_email": self.users["a"],
					"comment_by": "A",
				},
			),
			(
				"POST",
				"/api/method/frappe.client.attach_file",
				{"doctype": "MDF Claim", "docname": b.claim, "filename": "x.pdf", "filedata": "JVBERi0="},
			),
		]
		for verb, path, body in attempts:
			with self.subTest(path=path, body=body):
				if verb == "PUT":
					reply = client.put(path, body)
				elif path.startswith("/api/resource/"):
					reply = client.post(path, body)
				else:
					reply = client.open("POST", path, data=body)
				self.assertIn(reply.status, (403, 404, 417), reply.short())
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Issue", b.issue, "subject").split(" ")[:2], ["Request", "of"])
		self.assertEqual(frappe.db.get_value("Market Development Fund Activity", b.activity, "activity"), "Booth")
		self.assertFalse(frappe.db.exists("Comment", {"reference_name": b.issue, "comment_type": "Comment"}))
		self.assertEqual(frappe.db.count("File", {"attached_to_name": b.claim}), 1)
		self.assertEqual(frappe.db.count("MDF Claim", {"fund": b.fund}), 1)
