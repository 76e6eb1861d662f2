"""Fixtures shared by the service tests."""

from __future__ import annotations

import pytest

from sellerflow.service.context import Marketplace
from tests import helpers as h


@pytest.fixture
def shop(market: Marketplace) -> str:
    """A Professional seller (notifications to shop@example.com) with 50 units of MUG."""
    seller_id = h.seller(market)
    h.listing(market, seller_id, quantity=50)
    return seller_id
