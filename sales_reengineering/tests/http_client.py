"""Logged-in HTTP clients on the real WSGI stack, for tests that must go through every door a browser or
a script would use (`/api/resource`, `/api/method`, `/printview`, portal pages).

Each `HTTPUser` owns a werkzeug test client on `frappe.app.application`, which keeps the session cookie
that `POST /api/method/login` sets. Every request runs in its own thread, as Frappe's own API tests do
(`frappe.tests.test_api.make_request`): the application initialises and destroys `frappe.local` for the
request, so the test's own connection and session are left alone. The request opens its own database
connection and sees only committed data: commit fixtures before calling.

The site is named by the `X-Frappe-Site-Name` header, which `frappe.app.init_request` honours; nothing
in Frappe is patched.
"""

import io
import json
import threading
from contextlib import redirect_stdout
from dataclasses import dataclass
from urllib.parse import urlencode

import frappe
from frappe.utils import get_test_client


@dataclass
class Reply:
	status: int
	text: str
	data: object = None  # the decoded JSON body, when the body is JSON

	@property
	def message(self):
		return self.data.get("message") if isinstance(self.data, dict) else None

	@property
	def exc_type(self) -> str | None:
		return self.data.get("exc_type") if isinstance(self.data, dict) else None

	def short(self, limit: int = 300) -> str:
		"""What came back, for a failure message: the status, the exception type and the body's start."""
		body = self.text if len(self.text) <= limit else self.text[:limit] + "..."
		return f"HTTP {self.status}{f' {self.exc_type}' if self.exc_type else ''}: {body}"


def _encode(params: dict | None) -> str:
	if not params:
		return ""
	return urlencode(
		{key: value if isinstance(value, str) else json.dumps(value) for key, value in params.items()}
	)


class HTTPUser:
	"""One browser: a cookie jar that logs in once and then sends requests as that user."""

	def __init__(self, user: str = "Guest", password: str | None = None, site: str | None = None):
		self.user = user
		self.password = password
		self.site = site or frappe.local.site
		self.client = get_test_client(use_cookies=True)

	def __repr__(self) -> str:
		return f"HTTPUser({self.user})"

	def open(self, method: str, path: str, params: dict | None = None, body: dict | None = None, **kwargs):
		"""`params` go in the query string (non-strings as JSON), `body` as a JSON body."""
		query = _encode(params)
		url = f"{path}?{query}" if query else path
		headers = {"X-Frappe-Site-Name": self.site, **kwargs.pop("headers", {})}
		if path.startswith("/api/"):
			headers.setdefault("Accept", "application/json")
		if body is not None:
			kwargs["json"] = body
		result = {}

		def run():
			try:
				result["response"] = self.client.open(url, method=method, headers=headers, **kwargs)
			except Exception as e:  # a crash outside the application's own error handling
				result["error"] = e

		thread = threading.Thread(target=run, name=f"http-{self.user}")
		# Frappe prints the traceback of every refused request when error tracebacks are allowed; the
		# reply keeps the exception type and message
		with redirect_stdout(io.StringIO()):
			thread.start()
			thread.join()
		if "error" in result:
			raise result["error"]
		response = result["response"]
		text = response.get_data(as_text=True)
		data = None
		if response.mimetype == "application/json":
			try:
				data = json.loads(text)
			except ValueError:
				data = None
		return Reply(response.status_code, text, data)

	def get(self, path: str, params: dict | None = None, **kwargs) -> Reply:
		return self.open("GET", path, params=params, **kwargs)

	def post(self, path: str, body: dict | None = None, **kwargs) -> Reply:
		return self.open("POST", path, body=body if body is not None else {}, **kwargs)

	def put(self, path: str, body: dict | None = None, **kwargs) -> Reply:
		return self.open("PUT", path, body=body if body is not None else {}, **kwargs)

	def delete(self, path: str, **kwargs) -> Reply:
		return self.open("DELETE", path, **kwargs)

	def call(self, _method: str, _verb: str = "POST", **args) -> Reply:
		"""`/api/method/<_method>` with `args` as the JSON body (POST) or the query string (GET)."""
		path = f"/api/method/{_method}"
		if _verb == "GET":
			return self.get(path, params=args)
		return self.open(_verb, path, body=args)

	def login(self) -> "HTTPUser":
		if self.user == "Guest":
			return self
		reply = self.open("POST", "/api/method/login", data={"usr": self.user, "pwd": self.password})
		if reply.status != 200:
			raise AssertionError(f"{self.user} could not log in: {reply.short()}")
		return self

	def logout(self) -> None:
		if self.user != "Guest":
			self.open("POST", "/api/method/logout", body={})
