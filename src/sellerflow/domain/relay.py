"""The anonymized relay address a seller sees for a buyer, as on Amazon: never the buyer's
own e-mail, and the same for that buyer in every report, API answer and page."""

from __future__ import annotations

from sellerflow.domain.model import Buyer

RELAY_DOMAIN = "@marketplace.sellerflow.local"


def relay_email(buyer: Buyer | None) -> str:
    """Sellers see an anonymized relay address, as on Amazon, never the buyer's own."""
    return "" if buyer is None else f"{buyer.buyer_id.lower()}{RELAY_DOMAIN}"


def relayed_buyer_id(email: str) -> str | None:
    """The buyer a relay address stands for (None for any other address)."""
    email = email.strip().lower()
    return email.removesuffix(RELAY_DOMAIN).upper() if email.endswith(RELAY_DOMAIN) else None
