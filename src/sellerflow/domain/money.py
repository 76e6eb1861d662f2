"""Money is a Decimal amount with a currency, rounded to cents half-up; never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.text import Phrase

CENT = Decimal("0.01")
# The largest amount sellerflow takes as input (a price, a refund): far above any real order,
# far below what the database's integer cents could overflow on.
MAX_AMOUNT = Decimal("1000000.00")


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, order=True)
class Money:
    amount: Decimal
    currency: str = "USD"

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", _cents(Decimal(self.amount)))

    @classmethod
    def zero(cls, currency: str = "USD") -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def parse(cls, text: str, field: str, currency: str = "USD", *,
              positive: bool = False) -> Money:
        """An amount someone typed: 0 to 1,000,000.00 with at most two decimals (more than 0
        when `positive`)."""
        try:
            amount = Decimal(str(text).strip())
        except InvalidOperation:
            raise InvalidInput(field, Phrase("%(text)r is not an amount; write it like 19.99",
                                             text=text)) from None
        if not amount.is_finite() or amount < 0:
            raise InvalidInput(field, Phrase("%(text)r must be a non-negative amount like 19.99",
                                             text=text))
        if amount > MAX_AMOUNT:
            raise InvalidInput(field, Phrase("%(text)r is more than %(most)s", text=text,
                                             most=f"{MAX_AMOUNT:,}"))
        if amount != _cents(amount):
            raise InvalidInput(field, Phrase("%(text)r has more than two decimals", text=text))
        if positive and amount == 0:
            raise InvalidInput(field, Phrase("%(text)r must be more than 0.00", text=text))
        return cls(abs(amount), currency)     # abs: "-0" is 0.00, never "-0.00"

    @classmethod
    def from_cents(cls, cents: int, currency: str = "USD") -> Money:
        # Money is immutable, so one instance serves every equal amount: loading a page of
        # orders makes a hundred of them, mostly the same few prices.
        key = (cents, currency)
        money = _FROM_CENTS.get(key)
        if money is None:
            if len(_FROM_CENTS) >= 4096:
                _FROM_CENTS.clear()
            money = _FROM_CENTS[key] = _exact(Decimal(cents).scaleb(-2), currency)
        return money

    @property
    def cents(self) -> int:
        return int(self.amount * 100)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return _exact(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return _exact(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return _exact(-self.amount, self.currency)

    def times(self, factor: Decimal | int) -> Money:
        if isinstance(factor, int):
            return _exact(self.amount * factor, self.currency)
        return Money(self.amount * factor, self.currency)

    def to_wire(self) -> dict[str, str]:
        return {"CurrencyCode": self.currency, "Amount": f"{self.amount:.2f}"}

    def __str__(self) -> str:
        return f"{self.amount:.2f} {self.currency}"


_FROM_CENTS: dict[tuple[int, str], Money] = {}


def _exact(amount: Decimal, currency: str) -> Money:
    """A Money for an amount already in whole cents (exponent -2: cents, or sums and whole
    multiples of amounts in cents), without rounding it again: orders' money is built from
    cents thousands of times a second."""
    money = object.__new__(Money)
    object.__setattr__(money, "amount", amount)
    object.__setattr__(money, "currency", currency)
    return money
