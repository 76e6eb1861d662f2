"""Payment verification: an interface a real payment service can implement, and the sandbox's."""

from __future__ import annotations

from typing import Protocol

from sellerflow.domain.errors import InvalidInput

PAYMENT_METHODS = ("ok", "deferred", "declined", "fraud")


class PaymentVerifier(Protocol):
    def initial_outcome(self, payment_method: str) -> str | None:
        """The outcome known at checkout (`approved`, `declined`, `fraud`), or None while the
        verification goes on (L10): the order then waits for a later outcome or L12."""
        ...


class SandboxVerifier:
    """The buyer's --payment choice decides; `deferred` waits for `order verify` or 21 days."""

    _OUTCOMES = {"ok": "approved", "deferred": None, "declined": "declined", "fraud": "fraud"}

    def initial_outcome(self, payment_method: str) -> str | None:
        if payment_method not in self._OUTCOMES:
            raise InvalidInput("paymentMethod", f"{payment_method!r} is not one of "
                                                f"{', '.join(PAYMENT_METHODS)}")
        return self._OUTCOMES[payment_method]


class ApproveAllVerifier:
    """A live database without a payment service: every payment is approved at checkout."""

    def initial_outcome(self, payment_method: str) -> str | None:
        if payment_method != "ok":
            raise InvalidInput("paymentMethod", f"{payment_method!r} is a sandbox test outcome; "
                                                "a live database takes only ok")
        return "approved"
