"""The marketplaces of a class's trainees the server has open (service/classroom.py): each
trainee's requests work in their own, opened on first use and kept for the server's life."""

from __future__ import annotations

import threading

from sellerflow.domain.errors import SellerflowError
from sellerflow.service import classroom
from sellerflow.service.context import Marketplace


class TraineeMarketplaces:
    def __init__(self, market: Marketplace) -> None:
        self.market = market
        self._open: dict[str, Marketplace] = {}
        self._lock = threading.Lock()

    def get(self, place: str) -> Marketplace | None:
        """The trainee's marketplace at `place` (`class/number`); None if the class or the
        trainee is gone."""
        try:
            return self.open(place)
        except SellerflowError:
            return None

    def open(self, place: str) -> Marketplace:
        """The trainee's marketplace at `place`, opened if it is not yet."""
        found = self._open.get(place)
        return found if found is not None else self.fresh(place)

    def fresh(self, place: str) -> Marketplace:
        """Opened anew (at sign-in: a reset trainee's marketplace is a new database)."""
        own = classroom.open_trainee(self.market, place)
        with self._lock:
            old, self._open[place] = self._open.get(place), own
        if old is not None:
            old.close()
        return own

    def close(self) -> None:
        with self._lock:
            for own in self._open.values():
                own.close()
            self._open.clear()
