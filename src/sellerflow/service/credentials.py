"""Credentials with a lifecycle: a seller's client secret and refresh token rotated (every
token they bought revoked with them), all of a seller's access tokens and RDTs revoked, a
buyer's API token rotated. A new secret is shown once, when it is made; only its hash is
kept."""

from __future__ import annotations

from dataclasses import dataclass

from sellerflow.domain.callers import BUYER_SIDE, SELLER_SIDE, Caller
from sellerflow.domain.errors import NotFound
from sellerflow.service import ids
from sellerflow.service.accounts import check_email, token_hash
from sellerflow.service.context import Marketplace, Work, require_seller
from sellerflow.store import catalog, tokens


@dataclass(frozen=True)
class RotatedCredentials:
    seller_id: str
    client_id: str
    client_secret: str
    refresh_token: str
    tokens_revoked: int


def rotate_seller_credentials(market: Marketplace, caller: Caller, seller_id: str
                              ) -> RotatedCredentials:
    """A new client secret and refresh token (the client id stays); the old ones stop
    working at once, and so does every access token and RDT the seller holds."""
    caller.require(*SELLER_SIDE, doing="rotating API credentials")
    secret = ids.token("amzn1.oa2-cs.v1.", 24)
    refresh = ids.token("Atzr|", 48)

    def command(work: Work) -> RotatedCredentials:
        require_seller(work.conn, caller, seller_id)
        client_id = catalog.set_seller_credentials(work.conn, seller_id, token_hash(secret),
                                                   token_hash(refresh))
        revoked = tokens.revoke_all(work.conn, seller_id)
        return RotatedCredentials(seller_id, client_id, secret, refresh, revoked)

    return market.run(command)


def revoke_seller_tokens(market: Marketplace, caller: Caller, seller_id: str) -> int:
    """Every access token and RDT of the seller stops working; returns how many. The refresh
    token still buys new ones (rotate it too if it may have leaked)."""
    caller.require(*SELLER_SIDE, doing="revoking API tokens")

    def command(work: Work) -> int:
        require_seller(work.conn, caller, seller_id)
        return tokens.revoke_all(work.conn, seller_id)

    return market.run(command)


@dataclass(frozen=True)
class RotatedBuyerToken:
    buyer_id: str
    email: str
    token: str


def rotate_buyer_token(market: Marketplace, caller: Caller, email: str | None = None
                       ) -> RotatedBuyerToken:
    """A new API token for the buyer (the caller, or the operator naming one by e-mail); the
    old one stops working at once."""
    caller.require(*BUYER_SIDE, doing="rotating a buyer token")
    token = ids.token("sfb_")
    wanted = None if email is None else check_email(email)

    def command(work: Work) -> RotatedBuyerToken:
        buyer = (catalog.get_buyer_by_email(work.conn, wanted) if wanted is not None
                 else catalog.get_buyer(work.conn, caller.account_id or ""))
        if buyer is None or not caller.acts_for_buyer(buyer.buyer_id):
            raise NotFound(f"buyer {wanted or caller.account_id} does not exist")
        catalog.set_buyer_token(work.conn, buyer.buyer_id, token_hash(token))
        return RotatedBuyerToken(buyer.buyer_id, buyer.email, token)

    return market.run(command)
