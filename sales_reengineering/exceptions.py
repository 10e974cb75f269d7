"""Errors this app raises. Each is a `frappe.ValidationError`, so the desk shows its translated message
(never a traceback) and tests can assert the exact error."""

import frappe


class SalesReengineeringError(frappe.ValidationError):
	"""Base class of every error this app raises on bad input."""


class InvalidSettingError(SalesReengineeringError):
	"""A value in Sales Reengineering Settings is out of range."""


class DemoDataError(SalesReengineeringError):
	"""The demo data command cannot run on this site as asked."""


# -- channel --
class DealerHierarchyError(SalesReengineeringError):
	"""A dealer is placed under a parent of the wrong level, or under itself or its own branch."""


class DealerInUseError(SalesReengineeringError):
	"""A dealer with sub-dealers or transactions cannot be deleted."""


class DealerPortalUserError(SalesReengineeringError):
	"""A dealer portal user is not a website user, or already belongs to another dealer."""


class DealerStatusError(SalesReengineeringError):
	"""A dealer lacks what its status requires, or an inactive dealer is asked to trade."""


class DealerTierError(SalesReengineeringError):
	"""A dealer tier has an invalid discount band, protection period or minimum purchase."""


class DealRegistrationError(SalesReengineeringError):
	"""A deal registration is incomplete or inconsistent."""


class DealConflictError(SalesReengineeringError):
	"""The end customer of a deal registration is already protected for another dealer."""


class DealApprovalError(SalesReengineeringError):
	"""A deal registration status change that the user or the current status does not allow."""


class MarketDevelopmentFundError(SalesReengineeringError):
	"""A market development fund application has no plan, is for another dealer, is approved above its
	request or the dealer's yearly budget, or moves between statuses it may not."""


class MDFClaimError(MarketDevelopmentFundError):
	"""A claim has no proof, is on a fund that is not approved, or would take the fund's claims above
	its approved amount."""


class DealerCertificationError(SalesReengineeringError):
	"""A dealer staff certification expires before it was obtained, or is dated in the future."""


# -- customer intelligence --
class CustomerIntelligenceError(SalesReengineeringError):
	"""Bad input to the customer intelligence module."""


class InvalidWeekError(CustomerIntelligenceError):
	"""A week or date given for the progress snapshots is not a valid date."""


class DuplicateSnapshotError(CustomerIntelligenceError):
	"""A salesperson already has a progress snapshot for that week."""


# -- performance --
class KPIError(SalesReengineeringError):
	"""Base class of the performance module's errors."""


class InvalidIndicatorError(KPIError):
	"""A KPI Indicator is badly defined (unknown built-in, custom indicator not matching its doctype)."""


class InvalidKPITemplateError(KPIError):
	"""A KPI Template's weights, rows or scoring steps are invalid."""


class InvalidSalesTaskError(KPIError):
	"""A Sales Task is incomplete or inconsistent (assignee, period, template, targets)."""


class NegativeTargetError(InvalidSalesTaskError):
	"""A target below zero."""


class OverlappingSalesTaskError(InvalidSalesTaskError):
	"""Another task covers the same assignee, template and overlapping period."""


class InvalidCompletenessRuleError(CustomerIntelligenceError):
	"""A Customer Completeness Rule names no valid field, weight, designation or count."""


class ChannelPricePolicyError(SalesReengineeringError):
	"""A channel price policy is incomplete, out of range or overlaps another."""


class PriceBelowFloorError(SalesReengineeringError):
	"""A quotation or sales order sells below the channel floor without an approved price exception."""


class PriceExceptionError(SalesReengineeringError):
	"""A price exception is incomplete or approved by someone who may not."""


class InvalidHandoverError(CustomerIntelligenceError):
	"""An Account Handover names the same or a disabled salesperson, or customers it cannot move."""


class SellThroughError(SalesReengineeringError):
	"""A sell-through report is incomplete, duplicated or for a future month."""


class DealerRequestError(SalesReengineeringError):
	"""A dealer support request has no or an unknown request type, no subject, or no dealer."""


class InvalidFeedbackError(CustomerIntelligenceError):
	"""An Info Feedback Report lacks its competitor or index, or has a bad rating or points."""


class ContractMismatchError(CustomerIntelligenceError):
	"""A sales order or invoice names a contract of another party."""


class NoTelesalesAgentError(CustomerIntelligenceError):
	"""No Telesales Agent can take the call list, or the assignment method is unknown."""


class InvalidTelesalesCallError(CustomerIntelligenceError):
	"""A Telesales Call lacks its outcome, follow-up date or a conversion of its own customer."""


class InvalidDevelopmentRecordError(CustomerIntelligenceError):
	"""A training record or career development plan has bad dates, hours, scores or ratings."""


# -- reminders --
class InvalidReminderRuleError(SalesReengineeringError):
	"""A reminder rule in the settings is listed twice, has negative days or notifies nobody."""


# -- customer intelligence: sales activities --
class InvalidActivityError(CustomerIntelligenceError):
	"""A sales activity names an unknown type or document, has no subject or a bad date."""


# -- performance --
class InvalidRewardTierError(InvalidSettingError):
	"""A reward tier in the settings is named twice or has a threshold out of range."""


# -- customer intelligence: contracts --
class InvalidContractError(CustomerIntelligenceError):
	"""A contract has a negative value or a renewal date before its start."""


# -- performance: rankings --
class InvalidRankingError(KPIError):
	"""A ranking is asked for an unknown level or period."""


# -- concurrency --
class WorkInProgressError(SalesReengineeringError):
	"""Another process holds the named lock of the same work (a ranking being rebuilt) for too long."""


# -- scope --
class OwnershipError(SalesReengineeringError):
	"""A user gives a record to a salesperson outside their own team, or widens a call list."""


class CustomerRuleError(frappe.PermissionError):
	"""The customer rule refuses a record: another salesperson's customer, or a document for one. A
	refusal, not bad input, so a PermissionError (HTTP 403); its message names whose customer it is and
	whom to ask, where Frappe's own refusal would say only "No permission"."""


# -- whitelisted methods --
class InvalidArgumentError(SalesReengineeringError):
	"""A whitelisted method is called without a required argument, or with one of the wrong type, form or
	range (text where a number belongs, NaN, a malformed date or JSON, HTML tags in plain text)."""


# -- customer intelligence: unreported projects --
class OpportunityRequiredError(CustomerIntelligenceError):
	"""A direct-sales quotation or sales order above the settings' amount was not made from an
	opportunity."""


# -- customer intelligence: visit plans --
class InvalidVisitPlanError(CustomerIntelligenceError):
	"""A visit plan is for a salesperson outside the user's team, has no lines, a line outside its week,
	a line twice, or a customer or dealer that is not the salesperson's."""


class DuplicateVisitPlanError(InvalidVisitPlanError):
	"""The salesperson already has a visit plan for that week."""


# -- customer intelligence: training --
class InvalidTrainingError(CustomerIntelligenceError):
	"""A training programme or session has bad hours, pass mark, times or capacity, or a session is
	completed with nobody enrolled or an attendance not recorded."""


class InvalidEnrolmentError(InvalidTrainingError):
	"""An enrolment names a disabled, group or unknown salesperson, one already enrolled, a session that is
	completed or cancelled, or a score without attendance."""


class SessionFullError(InvalidEnrolmentError):
	"""The training session already has as many participants as its capacity."""


# -- performance: rewards ledger --
class InvalidRewardEntryError(KPIError):
	"""A manual reward adjustment has no reason, no points, is someone's own or outside the team, or is
	changed or decided twice; a source entry is entered by hand."""
