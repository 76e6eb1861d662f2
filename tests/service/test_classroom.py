"""A class's sign-ins (service/console_access.py with service/classroom.py)."""

from __future__ import annotations

import pytest

from sellerflow.domain.callers import Caller
from sellerflow.domain.errors import TooManyAttempts
from sellerflow.service import accounts, classroom, console_access
from sellerflow.service.context import Marketplace

OP = Caller.operator()


def test_a_classroom_signs_in_from_one_address_without_being_throttled(
        market: Marketplace, monkeypatch: pytest.MonkeyPatch) -> None:
    """A class shares its classroom's address: its sign-ins count per account only, while
    everyone else's count per address too (here one a window, to see it)."""
    monkeypatch.setattr(console_access, "CLIENT_ATTEMPTS", 1)
    view = classroom.create_class(market, OP, "room-1", 2)

    opened: list[Marketplace] = []

    def own(place: str) -> Marketplace:
        opened.append(classroom.open_trainee(market, place))
        return opened[-1]

    for member in view.members[1:]:
        signed = console_access.sign_in(market, member.email, member.password or "", "school",
                                        own)
        assert signed.place == f"room-1/{member.number}"
    for n in (1, 2):
        accounts.create_seller(market, OP, f"Cafe {n}", "professional", f"cafe{n}@example.com",
                               password="a-password-1")
    console_access.sign_in(market, "cafe1@example.com", "a-password-1", "cafe")
    with pytest.raises(TooManyAttempts):
        console_access.sign_in(market, "cafe2@example.com", "a-password-1", "cafe")
    for marketplace in opened:
        marketplace.close()
    classroom.delete_class(market, OP, "room-1")
