"""Errors the domain and services raise, the same for every front door.

Each error has a category (what kind of refusal it is), a stable code (a rule id such as L7,
or a name such as InvalidInput), a message in the seller's words, and details whose keys are
wire names. Each front door maps the category once: the CLI to an exit status, the HTTP API to
a status code. Nothing here knows about command-line flags or exit codes."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sellerflow.domain.text import Phrase


class Category(StrEnum):
    BAD_INPUT = "bad-input"          # the request itself is wrong: what, where, how to fix
    RULE = "rule"                    # a lifecycle rule (or the deployment's mode) refuses it
    NOT_FOUND = "not-found"          # no such thing, or not the caller's to see
    CONFLICT = "conflict"            # it clashes with what exists (a key reused, a duplicate)
    FORBIDDEN = "forbidden"          # the caller may not issue this command at all
    UNAUTHENTICATED = "unauthenticated"  # no valid credential: who is calling is unknown
    THROTTLED = "throttled"          # too many tries or requests just now: retry later
    UNAVAILABLE = "unavailable"      # the database cannot be reached: check it and retry
    INTERNAL = "internal"            # the program failed


class SellerflowError(Exception):
    """`reason`, when set, is a short stable name for the case (`too-many-units`,
    `schema-missing`), for readers that must tell cases apart without parsing the message:
    the processing report's error codes, a front door's advice on what to do next."""

    category: Category = Category.INTERNAL
    code: str = "InternalError"
    # Seconds after which trying again may succeed (a front door says so: Retry-After).
    retry_after: int | None = None

    def __init__(self, message: str | Phrase, details: dict[str, Any] | None = None, *,
                 reason: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        # What a reader of another language is shown (the message's template, translated):
        # the message itself when it was given as a Phrase.
        self.phrase = message if isinstance(message, Phrase) else None
        self.details = details
        self.reason = reason

    def to_wire(self) -> dict[str, Any]:
        """Amazon's error shape: {"errors": [{"code", "message", "details"}]}."""
        return {"errors": [{"code": self.code, "message": self.message,
                            "details": self.details or {}}]}


class RuleViolation(SellerflowError):
    """A lifecycle rule refuses the command; the code is the rule id (e.g. L7)."""

    category = Category.RULE

    def __init__(self, rule: str, message: str | Phrase,
                 details: dict[str, Any] | None = None, *, reason: str | None = None) -> None:
        super().__init__(f"{rule}: {message}", details, reason=reason)
        self.phrase = message if isinstance(message, Phrase) else None
        self.code = rule
        self.rule = rule


class Refused(SellerflowError):
    """Refused for a reason that is not a lifecycle rule (a sandbox-only command on a live
    database, say); the code names the reason."""

    category = Category.RULE

    def __init__(self, code: str, message: str | Phrase,
                 details: dict[str, Any] | None = None, *, reason: str | None = None) -> None:
        super().__init__(message, details, reason=reason)
        self.code = code


class Conflict(Refused):
    """The command clashes with what exists: an idempotency key reused for another request,
    a second account with one e-mail, a second feedback on one order."""

    category = Category.CONFLICT


class NotPermitted(Refused):
    """The caller may not issue this command whatever the order (a buyer confirming a
    shipment, a seller changing the deployment's numbers)."""

    category = Category.FORBIDDEN

    def __init__(self, message: str | Phrase, *, reason: str | None = None) -> None:
        super().__init__("NotPermitted", message, reason=reason)


class Unauthenticated(SellerflowError):
    """No valid credential: a token missing, unknown or expired, a secret that does not match.
    The message never says which part was wrong beyond what the caller already holds."""

    category = Category.UNAUTHENTICATED
    code = "Unauthorized"


class InvalidInput(SellerflowError):
    """Bad input: `field` is the wire name of what is wrong (`amount`,
    `shippingAddress.PostalCode`, a file's column); the message says what and how to fix it."""

    category = Category.BAD_INPUT
    code = "InvalidInput"

    def __init__(self, field: str, message: str | Phrase,
                 details: dict[str, Any] | None = None, *, reason: str | None = None) -> None:
        super().__init__(f"{field}: {message}", {"field": field, **(details or {})},
                         reason=reason)
        self.phrase = message if isinstance(message, Phrase) else None
        self.field = field
        self.problem = str(message)


class DatabaseUnavailable(SellerflowError):
    """The database could not be reached (a server down, a connection refused)."""

    category = Category.UNAVAILABLE
    code = "DatabaseError"


class TooManyAttempts(SellerflowError):
    """Too many tries in a while (sign-ins, say): refused until `retry_after` seconds pass."""

    category = Category.THROTTLED
    code = "TooManyAttempts"

    def __init__(self, message: str | Phrase, retry_after: int, *,
                 reason: str | None = None) -> None:
        super().__init__(message, {"retryAfter": retry_after}, reason=reason)
        self.retry_after = retry_after


class Busy(SellerflowError):
    """The server is at its limit for this kind of work just now (concurrent password checks,
    a lock held too long): nothing was done; try again in `retry_after` seconds."""

    category = Category.UNAVAILABLE
    code = "ServiceUnavailable"

    def __init__(self, message: str | Phrase, retry_after: int = 1) -> None:
        super().__init__(message, {"retryAfter": retry_after}, reason="busy")
        self.retry_after = retry_after


class NotFound(SellerflowError):
    category = Category.NOT_FOUND
    code = "NotFound"


class ConcurrentUpdate(SellerflowError):
    """A compare-and-set lost its race; the service retries the whole command."""

    category = Category.CONFLICT
    code = "ConcurrentUpdate"
