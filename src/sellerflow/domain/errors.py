"""Errors the domain and services raise; each carries a stable code and a CLI exit status."""

from __future__ import annotations

from typing import Any


class SellerflowError(Exception):
    code: str = "InternalError"
    exit_status: int = 4

    def __init__(self, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_wire(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            error["details"] = self.details
        return {"errors": [error]}


class RuleViolation(SellerflowError):
    """A lifecycle rule refuses the command; the code is the rule id (e.g. L7)."""

    exit_status = 1

    def __init__(self, rule: str, message: str, details: Any = None) -> None:
        super().__init__(f"{rule}: {message}", details)
        self.code = rule
        self.rule = rule


class Refused(SellerflowError):
    """Refused for a reason that is not a lifecycle rule (sandbox-only command, key reuse)."""

    exit_status = 1

    def __init__(self, code: str, message: str, details: Any = None) -> None:
        super().__init__(message, details)
        self.code = code


class InvalidInput(SellerflowError):
    """Bad input: the message says what, where and how to fix it."""

    code = "InvalidInput"
    exit_status = 2

    def __init__(self, field: str, message: str, details: Any = None) -> None:
        super().__init__(f"{field}: {message}", details)
        self.field = field


class NotFound(SellerflowError):
    code = "NotFound"
    exit_status = 3


class ConcurrentUpdate(SellerflowError):
    """A compare-and-set lost its race; the service retries the whole command."""

    code = "ConcurrentUpdate"
    exit_status = 1
