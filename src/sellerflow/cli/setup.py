"""Commands that set a marketplace up: init, seller, buyer, listing, catalog."""

from __future__ import annotations

import typer

from sellerflow.cli.output import OPERATOR, emit, options, pairs, stdout, table
from sellerflow.domain.errors import InvalidInput
from sellerflow.domain.model import Listing
from sellerflow.service import accounts, config, database, listings
from sellerflow.wire import (
    buyer_created_to_wire,
    listing_to_wire,
    profile_to_wire,
    seller_created_to_wire,
)

seller_app = typer.Typer(help="Sellers: the accounts that list items and ship orders.",
                         no_args_is_help=True)
buyer_app = typer.Typer(help="Buyers: the accounts that place orders.", no_args_is_help=True)
config_app = typer.Typer(help="The deployment's lifecycle numbers (hold, deadlines, fee).",
                         no_args_is_help=True)
listing_app = typer.Typer(help="Listings: a seller's SKUs with price and quantity (L3).",
                          no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.add_typer(seller_app, name="seller")
    app.add_typer(buyer_app, name="buyer")
    app.add_typer(listing_app, name="listing")
    app.add_typer(config_app, name="config")
    app.command("catalog")(catalog)


def init(ctx: typer.Context,
         sandbox: bool = typer.Option(False, "--sandbox",
                                      help="Simulated clock, sandbox payment verifier and "
                                           "control commands (chosen once, at creation).")) -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    document = database.initialise(options(ctx).db, sandbox)
    mode = "sandbox" if document["sandbox"] else "live"
    emit(ctx, document, lambda: stdout.print(
        f"Database {document['database']} is ready ({mode}); now is {document['now']}."))


@config_app.command("show")
def config_show(ctx: typer.Context) -> None:
    """The numbers in force: hold, verification-limit, ship-warning, ship-deadline,
    referral-fee, handling-days."""
    shown = config.show(options(ctx).market(), OPERATOR)
    emit(ctx, shown, lambda: pairs("Lifecycle numbers", shown))


@config_app.command("set")
def config_set(ctx: typer.Context, key: str = typer.Argument(..., metavar="KEY"),
               value: str = typer.Argument(..., metavar="VALUE",
                                           help="A duration (30m, 21d), a rate (0.15) or days.")
               ) -> None:
    """Change one number for orders placed from now on; deadlines already scheduled stay."""
    shown = config.set_value(options(ctx).market(), OPERATOR, key, value)
    emit(ctx, shown, lambda: pairs("Lifecycle numbers", shown))


@seller_app.command("create")
def seller_create(ctx: typer.Context, name: str = typer.Argument(..., help="Seller's name."),
                  plan: str = typer.Option(..., "--plan", help="individual or professional."),
                  email: str = typer.Option(..., "--email", help="Where notifications go."),
                  time_zone: str = typer.Option(None, "--time-zone",
                                                help="IANA zone; default America/Los_Angeles."),
                  password: str = typer.Option(None, "--password",
                                               help="Console password; generated if omitted.")
                  ) -> None:
    """Add a seller; prints its credentials once (they are stored only as hashes)."""
    created = seller_created_to_wire(accounts.create_seller(
        options(ctx).market(), OPERATOR, name, plan, email, time_zone, password))
    emit(ctx, created, lambda: pairs("Seller created (credentials are shown only once)",
                                     created))


@seller_app.command("show")
def seller_show(ctx: typer.Context, seller: str = typer.Argument(..., metavar="SELLER")) -> None:
    """A seller's plan, email, time zone and holidays (never its credentials)."""
    profile = profile_to_wire(accounts.seller_profile(options(ctx).market(), OPERATOR, seller))
    emit(ctx, profile, lambda: pairs(f"Seller {seller}", profile))


@seller_app.command("holidays")
def seller_holidays(ctx: typer.Context, seller: str = typer.Argument(..., metavar="SELLER"),
                    days: list[str] = typer.Argument(None, metavar="[DATE]...",
                                                     help="YYYY-MM-DD; replaces the list."),
                    clear: bool = typer.Option(False, "--clear", help="No holidays.")) -> None:
    """Set the seller's holidays, which promise dates skip like weekends (L15)."""
    market = options(ctx).market()
    if days and clear:
        raise InvalidInput("--clear", "give dates or --clear, not both")
    profile = profile_to_wire(accounts.set_holidays(market, OPERATOR, seller, days or [])
                              if days or clear
                              else accounts.seller_profile(market, OPERATOR, seller))
    emit(ctx, profile, lambda: pairs(f"Seller {seller}", profile))


@buyer_app.command("create")
def buyer_create(ctx: typer.Context, email: str = typer.Argument(..., help="Buyer's email."),
                 name: str = typer.Option(None, "--name", help="Buyer's name.")) -> None:
    """Add a buyer; prints its API token once."""
    created = buyer_created_to_wire(accounts.create_buyer(options(ctx).market(), OPERATOR,
                                                          email, name))
    emit(ctx, created, lambda: pairs("Buyer created (the token is shown only once)", created))


@listing_app.command("set")
def listing_set(ctx: typer.Context, seller: str = typer.Argument(..., metavar="SELLER"),
                sku: str = typer.Argument(..., metavar="SKU"),
                title: str = typer.Option(None, "--title"),
                price: str = typer.Option(None, "--price", help="e.g. 19.99 (USD)."),
                quantity: int = typer.Option(None, "--quantity",
                                             help="Sets (does not add) the available quantity."),
                handling_days: int = typer.Option(None, "--handling-days",
                                                  help="Business days to ship; default 2.")
                ) -> None:
    """Create or update a listing; quantity 0 takes it off sale but keeps it (L3)."""
    listing = listings.set_listing(options(ctx).market(), OPERATOR, seller, sku, title=title,
                                   price=price, quantity=quantity, handling_days=handling_days)
    _show_listing(ctx, listing)


@listing_app.command("show")
def listing_show(ctx: typer.Context, seller: str = typer.Argument(..., metavar="SELLER"),
                 sku: str = typer.Argument(..., metavar="SKU")) -> None:
    """Show one listing."""
    _show_listing(ctx, listings.get_listing(options(ctx).market(), OPERATOR, seller, sku))


@listing_app.command("list")
def listing_list(ctx: typer.Context, seller: str = typer.Argument(..., metavar="SELLER")) -> None:
    """The seller's inventory: every listing, those at quantity 0 (off sale) included."""
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
    found = [listing_to_wire(item) for item in listings.buyable(options(ctx).market())]
    emit(ctx, {"listings": found}, lambda: table(
        "Catalog", ["seller", "sku", "asin", "title", "price", "quantity"],
        [[x["sellerId"], x["sku"], x["asin"], x["title"], x["price"]["Amount"], x["quantity"]]
         for x in found], optional=("asin", "quantity")))
