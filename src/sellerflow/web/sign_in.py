"""Failed console sign-ins slow down further tries for that e-mail address: guessing a
password by trying many becomes slow, while a seller who mistypes once waits no time."""

from __future__ import annotations

import threading
import time

FREE_TRIES = 3
MAX_DELAY = 8.0
FORGET_AFTER = 15 * 60.0


class SignInDelay:
    def __init__(self) -> None:
        self._failures: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def before(self, email: str) -> float:
        """Seconds to wait before checking this address's password."""
        with self._lock:
            count, last = self._failures.get(email.strip().lower(), (0, 0.0))
        if count < FREE_TRIES or time.monotonic() - last > FORGET_AFTER:
            return 0.0
        return min(MAX_DELAY, 2.0 ** (count - FREE_TRIES))

    def failed(self, email: str) -> None:
        key = email.strip().lower()
        with self._lock:
            count, last = self._failures.get(key, (0, 0.0))
            if time.monotonic() - last > FORGET_AFTER:
                count = 0
            self._failures[key] = (count + 1, time.monotonic())
            if len(self._failures) > 10_000:      # bounded, whatever is tried
                oldest = min(self._failures, key=lambda k: self._failures[k][1])
                del self._failures[oldest]

    def succeeded(self, email: str) -> None:
        with self._lock:
            self._failures.pop(email.strip().lower(), None)
