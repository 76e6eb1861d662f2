"""Commands that set a marketplace up: init, seller, buyer, listing, catalog."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from sellerflow.cli.output import (
    OPERATOR,
    emit,
    money,
    options,
    pairs,
    seller_arg,
    sku_arg,
    stdout,
    table,
)
from sellerflow.domain import policy
from sellerflow.domain.errors import InvalidInput
from sellerflow.wire import (
    buyer_created_to_wire,
    listing_to_wire,
    profile_to_wire,
    seller_created_to_wire,
)

if TYPE_CHECKING:
    from sellerflow.domain.model import Listing

# Each command imports its service itself, so a command loads only what it uses.

seller_app = typer.Typer(help="Sellers: the accounts that list items and ship orders.",
                         no_args_is_help=True)
buyer_app = typer.Typer(help="Buyers: the accounts that place orders.", no_args_is_help=True)
config_app = typer.Typer(help="The deployment's lifecycle numbers (hold, deadlines, fee).",
                         no_args_is_help=True)
listing_app = typer.Typer(help="Listings: a seller's SKUs with price and quantity (L3).",
                          no_args_is_help=True)
shipping_app = typer.Typer(help="A seller's shipping settings: per service level, an amount "
                                "per shipment and per item.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.add_typer(seller_app, name="seller")
    app.add_typer(buyer_app, name="buyer")
    app.add_typer(listing_app, name="listing")
    app.add_typer(shipping_app, name="shipping")
    app.add_typer(config_app, name="config")
    app.command("catalog")(catalog)


class AutoCancel(StrEnum):
    """The auto-cancel policies (domain/policy.py), as --auto-cancel takes them."""

    THIRTY_DAYS = policy.THIRTY_DAYS
    AMAZON_2020 = policy.AMAZON_2020


def init(ctx: typer.Context,
         sandbox: bool = typer.Option(False, "--sandbox",
                                      help="Simulated clock, sandbox payment verifier and "
                                           "control commands (chosen once, at creation)."),
         auto_cancel: AutoCancel | None = typer.Option(
             None, "--auto-cancel",
             help="When unshipped orders cancel: 30-days after purchase (the seed's rule, "
                  "L23; the default) or amazon-2020, 7 business days after the ship-by date "
                  "(Amazon's rule since 2020, L23a). `config set auto-cancel` changes it "
                  "later.")) -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    from sellerflow.service import config, database

    document = database.initialise(options(ctx).db, sandbox)
    if auto_cancel is not None:
        config.set_value(options(ctx).market(), OPERATOR, "auto-cancel", auto_cancel.value)
    document["autoCancel"] = config.show(options(ctx).market(), OPERATOR)["auto-cancel"]
    mode = "sandbox" if document["sandbox"] else "live"
    emit(ctx, document, lambda: stdout.print(
        f"Database {document['database']} is ready ({mode}, auto-cancel "
        f"{document['autoCancel']}); now is {document['now']}."))


@config_app.command("show")
def config_show(ctx: typer.Context) -> None:
    """The numbers in force: hold, verification-limit, ship-warning, ship-deadline,
    referral-fee, handling-days, auto-cancel."""
    from sellerflow.service import config

    shown = config.show(options(ctx).market(), OPERATOR)
    emit(ctx, shown, lambda: pairs("Lifecycle numbers", shown))


def _config_set_help() -> str:
    from sellerflow.service.config import MEANINGS

    # "\b": Click keeps the lines of that paragraph as written.
    return ("Change one number for orders placed from now on; deadlines already scheduled "
            "stay.\n\n\b\nKEY is one of:\n" + "\n".join(
                f"  {key}: {meaning}" for key, meaning in MEANINGS.items()))


@config_app.command("set", help=_config_set_help())
def config_set(ctx: typer.Context,
               key: str = typer.Argument(..., metavar="KEY", help="Which number (see above)."),
               value: str = typer.Argument(..., metavar="VALUE",
                                           help="A duration (30m, 21d), a rate (0.15) or days.")
               ) -> None:
    from sellerflow.service import config

    shown = config.set_value(options(ctx).market(), OPERATOR, key, value)
    emit(ctx, shown, lambda: pairs("Lifecycle numbers", shown))


@seller_app.command("create")
def seller_create(ctx: typer.Context, name: str = typer.Argument(..., help="Seller's name."),
                  plan: str = typer.Option(..., "--plan", help="individual or professional."),
                  email: str = typer.Option(..., "--email", help="Where notifications go."),
                  time_zone: str = typer.Option(None, "--time-zone",
                                                help="IANA zone; default America/Los_Angeles."),
                  password: str = typer.Option(None, "--password",
                                               help="Console password; generated if omitted."),
                  language: str = typer.Option(None, "--language",
                                               help="Its e-mails' language: en (default) or "
                                                    "zh_CN.")
                  ) -> None:
    """Add a seller; prints its credentials once (they are stored only as hashes)."""
    from sellerflow.service import accounts

    created = seller_created_to_wire(accounts.create_seller(
        options(ctx).market(), OPERATOR, name, plan, email, time_zone, password, language))
    emit(ctx, created, lambda: pairs("Seller created (credentials are shown only once)",
                                     created))


@seller_app.command("show")
def seller_show(ctx: typer.Context, seller: str = seller_arg()) -> None:
    """A seller's plan, email, time zone and holidays (never its credentials)."""
    from sellerflow.service import accounts

    profile = profile_to_wire(accounts.seller_profile(options(ctx).market(), OPERATOR, seller))
    emit(ctx, profile, lambda: pairs(f"Seller {seller}", profile))


@seller_app.command("holidays")
def seller_holidays(ctx: typer.Context, seller: str = seller_arg(),
                    days: list[str] = typer.Argument(None, metavar="[DATE]...",
                                                     help="YYYY-MM-DD; replaces the list."),
                    clear: bool = typer.Option(False, "--clear", help="No holidays.")) -> None:
    """Set the seller's holidays, which promise dates skip like weekends (L15)."""
    from sellerflow.service import accounts

    market = options(ctx).market()
    if days and clear:
        raise InvalidInput("--clear", "give dates or --clear, not both")
    profile = profile_to_wire(accounts.set_holidays(market, OPERATOR, seller, days or [])
                              if days or clear
                              else accounts.seller_profile(market, OPERATOR, seller))
    emit(ctx, profile, lambda: pairs(f"Seller {seller}", profile))


@seller_app.command("rotate-credentials")
def seller_rotate_credentials(ctx: typer.Context, seller: str = seller_arg()) -> None:
    """A new client secret and refresh token for the seller's API client (the client id
    stays); the old ones, and every access token and RDT, stop working at once. Prints the
    new ones once."""
    from sellerflow.service import credentials
    from sellerflow.wire import rotated_to_wire

    rotated = rotated_to_wire(credentials.rotate_seller_credentials(options(ctx).market(),
                                                                    OPERATOR, seller))
    emit(ctx, rotated, lambda: pairs("Credentials rotated (shown only once)", rotated))


@seller_app.command("revoke-tokens")
def seller_revoke_tokens(ctx: typer.Context, seller: str = seller_arg()) -> None:
    """Revoke every access token and restricted data token of the seller (the refresh token
    still buys new ones: rotate-credentials if it may have leaked)."""
    from sellerflow.service import credentials

    revoked = {"sellerId": seller, "tokensRevoked": credentials.revoke_seller_tokens(
        options(ctx).market(), OPERATOR, seller)}
    emit(ctx, revoked, lambda: pairs("Tokens revoked", revoked))


@seller_app.command("password")
def seller_password(ctx: typer.Context, seller: str = seller_arg(),
                    password: str = typer.Option(None, "--password",
                                                 help="The new console password (8 or more "
                                                      "characters); generated if omitted.")
                    ) -> None:
    """Set the seller's console password; every console session of the seller ends."""
    import secrets

    from sellerflow.service import console_access

    new = password or secrets.token_urlsafe(12)
    ended = console_access.change_password(options(ctx).market(), OPERATOR, seller, None, new)
    shown = {"sellerId": seller, "password": new, "sessionsEnded": ended}
    emit(ctx, shown, lambda: pairs("Console password set (shown only once)", shown))


@buyer_app.command("rotate-token")
def buyer_rotate_token(ctx: typer.Context,
                       email: str = typer.Argument(..., help="Buyer's email.")) -> None:
    """A new API token for the buyer; the old one stops working at once. Prints it once."""
    from sellerflow.service import credentials
    from sellerflow.wire import buyer_token_to_wire

    rotated = buyer_token_to_wire(credentials.rotate_buyer_token(options(ctx).market(),
                                                                 OPERATOR, email))
    emit(ctx, rotated, lambda: pairs("Buyer token rotated (shown only once)", rotated))


@buyer_app.command("create")
def buyer_create(ctx: typer.Context, email: str = typer.Argument(..., help="Buyer's email."),
                 name: str = typer.Option(None, "--name", help="Buyer's name.")) -> None:
    """Add a buyer; prints its API token once."""
    from sellerflow.service import accounts

    created = buyer_created_to_wire(accounts.create_buyer(options(ctx).market(), OPERATOR,
                                                          email, name))
    emit(ctx, created, lambda: pairs("Buyer created (the token is shown only once)", created))


@listing_app.command("set")
def listing_set(ctx: typer.Context, seller: str = seller_arg(),
                sku: str = sku_arg(),
                title: str = typer.Option(None, "--title",
                                          help="The item's title (required for a new SKU)."),
                price: str = typer.Option(None, "--price", help="e.g. 19.99 (USD)."),
                quantity: int = typer.Option(None, "--quantity",
                                             help="Sets (does not add) the available quantity."),
                handling_days: int = typer.Option(None, "--handling-days",
                                                  help="Business days to ship; default 2.")
                ) -> None:
    """Create or update a listing; quantity 0 takes it off sale but keeps it (L3)."""
    from sellerflow.service import listings

    listing = listings.set_listing(options(ctx).market(), OPERATOR, seller, sku, title=title,
                                   price=price, quantity=quantity, handling_days=handling_days)
    _show_listing(ctx, listing)


@listing_app.command("show")
def listing_show(ctx: typer.Context, seller: str = seller_arg(),
                 sku: str = sku_arg()) -> None:
    """Show one listing, with what the seller charges for shipping it."""
    from sellerflow.service import listings, shipping
    from sellerflow.wire import shipping_to_wire

    market = options(ctx).market()
    wire = listing_to_wire(listings.get_listing(market, OPERATOR, seller, sku))
    rates = shipping_to_wire(shipping.shipping_settings(market, OPERATOR, seller))
    wire["shipping"] = rates["levels"]

    def human() -> None:
        pairs(f"Listing {wire['sku']}", {k: v for k, v in wire.items() if k != "shipping"})
        _print_shipping(rates)

    emit(ctx, wire, human)


@shipping_app.command("show")
def shipping_show(ctx: typer.Context, seller: str = seller_arg()) -> None:
    """What the seller charges for shipping at each service level (default where unset)."""
    from sellerflow.service import shipping
    from sellerflow.wire import shipping_to_wire

    rates = shipping_to_wire(shipping.shipping_settings(options(ctx).market(), OPERATOR,
                                                        seller))
    emit(ctx, rates, lambda: _print_shipping(rates))


@shipping_app.command("set")
def shipping_set(ctx: typer.Context, seller: str = seller_arg(),
                 level: str = typer.Argument(..., metavar="LEVEL",
                                             help="Standard, Expedited, SecondDay or NextDay."),
                 per_shipment: str = typer.Option(None, "--per-shipment",
                                                  help="Charged once per order, e.g. 4.99 "
                                                       "(default: unchanged)."),
                 per_item: str = typer.Option(None, "--per-item",
                                              help="Charged for each unit, e.g. 0.99 "
                                                   "(default: unchanged).")) -> None:
    """Set one service level's shipping charges; orders placed from now on pay them."""
    from sellerflow.service import shipping
    from sellerflow.wire import shipping_to_wire

    if per_shipment is None and per_item is None:
        raise InvalidInput("--per-shipment/--per-item", "give --per-shipment, --per-item or "
                                                        "both")
    rates = shipping_to_wire(shipping.set_shipping(options(ctx).market(), OPERATOR, seller,
                                                   level, per_shipment, per_item))
    emit(ctx, rates, lambda: _print_shipping(rates))


def _print_shipping(rates: dict[str, Any]) -> None:
    table(f"Shipping charges of {rates['sellerId']}",
          ["service level", "per shipment", "per item", "set"],
          [[r["shipServiceLevel"], money(r["perShipment"]), money(r["perItem"]),
            "default" if r["isDefault"] else "seller"] for r in rates["levels"]])


@listing_app.command("list")
def listing_list(ctx: typer.Context, seller: str = seller_arg()) -> None:
    """The seller's inventory: every listing, those at quantity 0 (off sale) included."""
    from sellerflow.service import listings

    found = [listing_to_wire(item)
             for item in listings.inventory(options(ctx).market(), OPERATOR, seller)]
    emit(ctx, {"listings": found}, lambda: table(
        f"Inventory of {seller}", ["sku", "asin", "title", "price", "quantity", "buyable"],
        [[x["sku"], x["asin"], x["title"], x["price"]["Amount"], x["quantity"], x["buyable"]]
         for x in found], optional=("asin", "buyable")))


def _show_listing(ctx: typer.Context, listing: Listing) -> None:
    wire = listing_to_wire(listing)
    emit(ctx, wire, lambda: pairs(f"Listing {wire['sku']}", wire))


def catalog(ctx: typer.Context) -> None:
    """Buyable listings (quantity above 0)."""
    from sellerflow.service import listings

    found = [listing_to_wire(item) for item in listings.buyable(options(ctx).market())]
    emit(ctx, {"listings": found}, lambda: table(
        "Catalog", ["seller", "sku", "asin", "title", "price", "quantity"],
        [[x["sellerId"], x["sku"], x["asin"], x["title"], x["price"]["Amount"], x["quantity"]]
         for x in found], optional=("asin", "quantity")))
