"""Who may see what: the one answer every door of the app asks.

`for_user(user)` returns a `Scope`: the user's salespeople and their subtree, the dealers of the user's
branch, and whether the customer rule applies to them. Every permission hook (`scope.hooks`), report,
portal page, whitelisted method and reminder asks it, so a rule changes in one place:

- `scope.people`: the Sales Person tree (Sales Person -> Employee -> User) and the subtree a user sees;
- `scope.dealers`: the Dealer tree and the branch a dealer user sees;
- `scope.customers`: the customer rule and the documents that follow it (Customer, Opportunity,
  Quotation, Sales Order, Sales Invoice, Delivery Note, Contract, Contact, Address, Telesales Call ...);
- `scope.performance`: targets, scorecards and manual KPI entries;
- `scope.hooks`: the functions hooks.py names, including the one that gives every child table its
  parent's rule;
- `scope.endpoints`: Frappe's generic endpoints that would otherwise go around the rules.

Hooks only ever narrow what the role permissions allow: they return False or None, never True.
"""

from dataclasses import dataclass, field

import frappe

# Roles that see every salesperson's records.
ALL_ACCESS_ROLES = frozenset(("System Manager", "Sales Manager"))
# Desk roles that the customer rule narrows ...
RESTRICTED_ROLES = frozenset(("Sales User", "Sales Assistant", "Telesales Agent"))
# ... unless the user also has one of these, which keep ERPNext's own rights.
UNRESTRICTED_ROLES = frozenset(
	("System Manager", "Sales Manager", "Channel Manager", "Accounts User", "Accounts Manager")
)
DEALER_ROLE = "Dealer"
# Order desk and warehouse staff process orders for every customer: the customer rule does not narrow
# their order documents, and they read every customer, contact and address those need. It lifts
# nothing else: not opportunities, contracts or call lists, not a manager's KPI, ranking or team data,
# and a dealer user stays in its branch.
ORDER_DESK_ROLE = "Order Desk"
ORDER_DESK_DOCUMENTS = frozenset(("Quotation", "Sales Order", "Delivery Note", "Sales Invoice"))
ORDER_DESK_READS = frozenset(("Customer", "Contact", "Address"))
READ_TYPES = frozenset(("read", "select", "report", "print", "email", "export"))


@dataclass(frozen=True)
class Scope:
	user: str
	roles: frozenset = field(default_factory=frozenset)
	# every salesperson's records (Administrator, System Manager, Sales Manager)
	sees_all: bool = False
	# the user's own enabled Sales Persons, and those with their whole subtree (None: all of them)
	sales_persons: tuple = ()
	team: tuple | None = None
	# the customer rule applies (restricted sales roles, or a dealer user)
	customers_restricted: bool = False
	assistant: bool = False
	agent: bool = False
	channel_manager: bool = False
	# Order Desk: the customer rule skips ORDER_DESK_DOCUMENTS and the reading of ORDER_DESK_READS
	order_desk: bool = False
	# a dealer user: its dealer and the branch below it (None: not limited to a branch)
	dealer: str | None = None
	dealers: tuple | None = None

	@property
	def is_dealer(self) -> bool:
		return self.dealers is not None

	def sees_sales_person(self, sales_person: str | None) -> bool:
		return self.team is None or (bool(sales_person) and sales_person in self.team)

	def rule_applies(self, doctype: str, ptype: str | None = "read") -> bool:
		"""Whether the customer rule narrows `ptype` on `doctype` for this scope."""
		if not self.customers_restricted:
			return False
		if self.order_desk and (
			doctype in ORDER_DESK_DOCUMENTS or (doctype in ORDER_DESK_READS and (ptype or "read") in READ_TYPES)
		):
			return False
		return True

	def sees_dealer(self, dealer: str | None) -> bool:
		return self.dealers is None or (bool(dealer) and dealer in self.dealers)


def for_user(user: str | None = None) -> Scope:
	"""The scope of `user` (default: the session user). Three small queries at most."""
	from sales_reengineering.scope.dealers import get_branch, get_user_dealer
	from sales_reengineering.scope.people import get_subtree, get_user_sales_persons

	user = user or frappe.session.user
	if user == "Administrator":
		return Scope(user=user, roles=frozenset(("Administrator",)), sees_all=True)
	roles = frozenset(frappe.get_roles(user))
	if user == "Guest":
		return Scope(user=user, roles=roles, team=(), customers_restricted=True, dealers=())

	dealer = dealers = None
	if DEALER_ROLE in roles:
		# a dealer user stays in its branch whatever desk roles it is also given
		dealer = get_user_dealer(user)
		# a terminated dealer's users see nothing
		active = dealer and frappe.db.get_value("Dealer", dealer, "status") != "Terminated"
		dealers = tuple(get_branch(dealer)) if active else ()

	sees_all = bool(roles & ALL_ACCESS_ROLES) and dealers is None
	own = () if sees_all else tuple(get_user_sales_persons(user))
	return Scope(
		user=user,
		roles=roles,
		sees_all=sees_all,
		sales_persons=own,
		team=None if sees_all else tuple(get_subtree(list(own))),
		customers_restricted=dealers is not None
		or (bool(roles & RESTRICTED_ROLES) and not roles & UNRESTRICTED_ROLES),
		assistant="Sales Assistant" in roles,
		agent="Telesales Agent" in roles and not roles & ALL_ACCESS_ROLES,
		channel_manager="Channel Manager" in roles and dealers is None,
		order_desk=ORDER_DESK_ROLE in roles and dealers is None,
		dealer=dealer,
		dealers=dealers,
	)


def sees_every(doctype: str, user: str | None = None) -> bool:
	"""Whether `user` may read every record of `doctype`: the role allows it and no rule of any app's
	`permission_query_conditions` narrows it. Reminders send a record to a whole role only through this."""
	user = user or frappe.session.user
	if not frappe.has_permission(doctype, "read", user=user):
		return False
	methods = frappe.get_hooks("permission_query_conditions").get(doctype, [])
	return not any(frappe.call(frappe.get_attr(method), user, doctype=doctype) for method in methods)
