"""Who issues a command, and what each kind of caller may see.

A seller sees its own orders, listings, feeds and reports; a buyer its own orders; the
operator (the command line on the database it owns) every seller's; the system (the deadline
sweeper) every order. A sandbox's tester (its control routes, the console's sandbox bar)
moves the clock, makes accounts, decides payment verifications and reads the mailbox, on a
sandbox database only, and sees no seller's orders. Whatever another tenant owns is *not
found*, in exactly the words used for something that does not exist, so its existence is
never revealed."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sellerflow.domain.errors import NotFound, NotPermitted
from sellerflow.domain.text import Phrase


class CallerKind(StrEnum):
    SELLER = "seller"
    BUYER = "buyer"
    OPERATOR = "operator"
    SYSTEM = "system"
    SANDBOX = "sandbox"


@dataclass(frozen=True)
class Caller:
    kind: CallerKind
    account_id: str | None = None

    @classmethod
    def seller(cls, seller_id: str) -> Caller:
        return cls(CallerKind.SELLER, seller_id)

    @classmethod
    def buyer(cls, buyer_id: str) -> Caller:
        return cls(CallerKind.BUYER, buyer_id)

    @classmethod
    def operator(cls) -> Caller:
        return cls(CallerKind.OPERATOR)

    @classmethod
    def system(cls) -> Caller:
        return cls(CallerKind.SYSTEM)

    @classmethod
    def sandbox(cls) -> Caller:
        return cls(CallerKind.SANDBOX)

    @property
    def is_trusted(self) -> bool:
        """The operator and the system act on every seller's behalf."""
        return self.kind in (CallerKind.OPERATOR, CallerKind.SYSTEM)

    @property
    def own_seller(self) -> str | None:
        """The seller whose rows a seller's lookups stay within (None: a buyer, the operator
        or the system, whose lookups may span sellers)."""
        return self.account_id if self.kind is CallerKind.SELLER else None

    def acts_for_seller(self, seller_id: str) -> bool:
        return self.is_trusted or (self.kind is CallerKind.SELLER
                                   and self.account_id == seller_id)

    def acts_for_buyer(self, buyer_id: str) -> bool:
        return self.is_trusted or (self.kind is CallerKind.BUYER and self.account_id == buyer_id)

    def require(self, *kinds: CallerKind, doing: str) -> None:
        """Refuse a command this kind of caller never issues (a buyer confirming a shipment)."""
        if self.kind not in kinds:
            allowed = " or ".join(k.value for k in kinds)
            raise NotPermitted(f"{doing} is for the {allowed}; a {self.kind.value} cannot do it")


SELLER_SIDE = (CallerKind.SELLER, CallerKind.OPERATOR)
BUYER_SIDE = (CallerKind.BUYER, CallerKind.OPERATOR)
MARKETPLACE_SIDE = (CallerKind.OPERATOR, CallerKind.SYSTEM)
# What a sandbox's controls do (the service checks the database is a sandbox).
SANDBOX_CONTROL = (CallerKind.OPERATOR, CallerKind.SYSTEM, CallerKind.SANDBOX)


def order_not_found(order_id: str) -> NotFound:
    return NotFound(Phrase("order %(order)s does not exist", order=order_id))


def seller_not_found(seller_id: str) -> NotFound:
    return NotFound(Phrase("seller %(seller)s does not exist", seller=seller_id))


def feed_not_found(feed_id: str) -> NotFound:
    return NotFound(Phrase("feed %(feed)s does not exist", feed=feed_id))


def listing_not_found(seller_id: str, sku: str) -> NotFound:
    return NotFound(Phrase("seller %(seller)s has no listing %(sku)s", seller=seller_id,
                           sku=sku))
