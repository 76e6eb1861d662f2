"""The tables. Every seller-owned row carries seller_id, and every seller-owned table is keyed
and indexed with seller_id first, so that a sharded PostgreSQL can keep each seller's rows
together (docs/scaling.md). Money is stored in integer cents.

On SQLite the tables with a serial id keep that id alone as their key (SQLite numbers rows
only through a single-column INTEGER PRIMARY KEY; migration 0010 says more), with the same
seller-first indexes."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from sellerflow.store.types import UTCDateTime

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})



def _of_order() -> ForeignKeyConstraint:
    """A row about an order refers to it by its whole key, seller first."""
    return ForeignKeyConstraint(["seller_id", "amazon_order_id"],
                                ["orders.seller_id", "orders.amazon_order_id"])


def _of_feed() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["seller_id", "feed_id"], ["feeds.seller_id", "feeds.feed_id"])


settings = Table(
    "settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

sellers = Table(
    "sellers", metadata,
    Column("seller_id", String(20), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("plan", String(20), nullable=False),
    Column("email", String(320), nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("holidays", Text, nullable=False, server_default=""),
    Column("client_id", String(100), nullable=False, unique=True),
    Column("client_secret_hash", String(200), nullable=False),
    Column("refresh_token_hash", String(200), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    # The language its e-mails are written in (sellerflow/catalogs.py).
    Column("language", String(8), nullable=False, server_default="en"),
)

# A seller's shipping settings, per service level; a level without a row charges the default.
shipping_rates = Table(
    "shipping_rates", metadata,
    Column("seller_id", String(20), ForeignKey("sellers.seller_id"), primary_key=True),
    Column("service_level", String(20), primary_key=True),
    Column("per_shipment_cents", BigInteger, nullable=False),
    Column("per_item_cents", BigInteger, nullable=False),
)

buyers = Table(
    "buyers", metadata,
    Column("buyer_id", String(20), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(200), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("language", String(8), nullable=False, server_default="en"),
)

# A class (a trainer's course, docs/classroom.md): one marketplace of its own per trainee, each
# in a database of its own beside this one (a SQLite file, a PostgreSQL database), named here.
classes = Table(
    "classes", metadata,
    Column("name", String(40), primary_key=True),
    Column("language", String(8), nullable=False),
    Column("scenario", String(60)),          # the lesson every trainee's marketplace plays
    Column("policy", Text),                  # its lifecycle numbers (JSON: config key: value)
    Column("created_at", UTCDateTime, nullable=False),
)

# Who signs in to a class: its trainer (number 0) and each trainee (1..N), with the
# trainee's marketplace (`database`: its SQLite file or PostgreSQL database) and seller there.
class_members = Table(
    "class_members", metadata,
    Column("class_name", String(40), ForeignKey("classes.name"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("database", String(1000)),
    Column("seller_id", String(20)),
)

# A trainer's console sessions (hashed ids), kept like a seller's.
class_sessions = Table(
    "class_sessions", metadata,
    Column("session_hash", String(64), primary_key=True),
    Column("class_name", String(40), ForeignKey("classes.name"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
)

listings = Table(
    "listings", metadata,
    Column("listing_id", Integer, autoincrement=True, nullable=False),
    Column("seller_id", String(20), ForeignKey("sellers.seller_id"), nullable=False),
    Column("sku", String(200), nullable=False),
    Column("asin", String(10), nullable=False),
    Column("title", String(500), nullable=False),
    Column("price_cents", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("handling_days", Integer, nullable=False),
    # Unit accounting: stocked = available + in open orders + shipped + written off.
    Column("units_stocked", BigInteger, nullable=False, server_default=text("0")),
    Column("units_written_off", BigInteger, nullable=False, server_default=text("0")),
    Column("updated_at", UTCDateTime, nullable=False),
    # As given through the Listings Items API: the product type and every attribute, those
    # sellerflow does not read kept as they came. A deleted listing keeps its row (orders name
    # it) and leaves the inventory and the catalog.
    Column("product_type", String(100)),
    Column("attributes", Text),
    Column("deleted_at", UTCDateTime),
    # Listings Items' summaries.createdDate (migration 0012; set on every listing since).
    Column("created_at", UTCDateTime),
    PrimaryKeyConstraint("seller_id", "listing_id"),
    UniqueConstraint("seller_id", "sku", name="uq_listings_seller_sku"),
)

orders = Table(
    "orders", metadata,
    Column("amazon_order_id", String(19), nullable=False),
    Column("seller_id", String(20), ForeignKey("sellers.seller_id"), nullable=False),
    Column("buyer_id", String(20), ForeignKey("buyers.buyer_id"), nullable=False),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("purchase_date", UTCDateTime, nullable=False),
    Column("last_update", UTCDateTime, nullable=False),
    Column("verification", String(20), nullable=False),
    Column("payment_method", String(20), nullable=False),
    Column("ship_service_level", String(20), nullable=False),
    Column("shipping_address", Text, nullable=False),
    Column("requested_address", Text),
    Column("released_at", UTCDateTime),
    Column("earliest_ship_date", UTCDateTime),
    Column("latest_ship_date", UTCDateTime),
    Column("earliest_delivery_date", UTCDateTime),
    Column("latest_delivery_date", UTCDateTime),
    Column("buyer_cancel_requested", Boolean, nullable=False),
    Column("buyer_cancel_reason", String(200)),
    Column("charged_cents", BigInteger, nullable=False),
    Column("refunded_cents", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    # Copied from the order's deadline rows at placement (L23, L24).
    Column("ship_warning_at", UTCDateTime),
    Column("ship_deadline_at", UTCDateTime),
    # Amazon's IsPrime: the buyer checked out with Prime (seller-fulfilled Prime).
    Column("is_prime", Boolean, nullable=False, server_default=text("false")),
    Index("ix_orders_seller_status", "seller_id", "status", "ship_warning_at"),
    Index("ix_orders_seller_purchase", "seller_id", "purchase_date", "amazon_order_id"),
    PrimaryKeyConstraint("seller_id", "amazon_order_id"),
    Index("ix_orders_buyer", "buyer_id"),
    # A buyer's or the operator's view of one order names no seller.
    Index("ix_orders_amazon_order_id", "amazon_order_id"),
)

# How many of a seller's orders hold each status, kept with every order written: Manage
# Orders shows them on every page, and counting a busy seller's orders each time grows with
# them. A row for every status exists from the seller's creation.
order_counts = Table(
    "order_counts", metadata,
    Column("seller_id", String(20), ForeignKey("sellers.seller_id"), primary_key=True),
    Column("status", String(20), primary_key=True),
    Column("orders", BigInteger, nullable=False),
)

order_items = Table(
    "order_items", metadata,
    Column("order_item_id", String(14), nullable=False),
    Column("amazon_order_id", String(19), nullable=False),
    Column("seller_id", String(20), nullable=False),
    Column("listing_id", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("sku", String(200), nullable=False),
    Column("asin", String(10), nullable=False),
    Column("title", String(500), nullable=False),
    Column("quantity_ordered", Integer, nullable=False),
    Column("quantity_shipped", Integer, nullable=False),
    Column("quantity_canceled", Integer, nullable=False),
    Column("unit_price_cents", BigInteger, nullable=False),
    Column("unit_shipping_cents", BigInteger, nullable=False),
    Column("handling_days", Integer, nullable=False),
    # Shipping charged once for the line (the seller's per-shipment amount, on a first line).
    Column("line_shipping_cents", BigInteger, nullable=False, server_default=text("0")),
    # Why and by whom the item's units were canceled (Amazon cancels per item).
    Column("cancel_reason", String(40)),
    Column("canceled_by", String(12)),
    # The buyer's gift option for the item (Amazon's GiftOption).
    Column("gift_message", String(240)),
    Column("gift_wrap_level", String(40)),
    PrimaryKeyConstraint("seller_id", "order_item_id"),
    _of_order(),
    ForeignKeyConstraint(["seller_id", "listing_id"],
                         ["listings.seller_id", "listings.listing_id"]),
    Index("ix_order_items_order", "seller_id", "amazon_order_id", "position"),
)

order_history = Table(
    "order_history", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), autoincrement=True,
           nullable=False),
    Column("amazon_order_id", String(19), nullable=False),
    Column("seller_id", String(20), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("from_status", String(20)),
    Column("to_status", String(20), nullable=False),
    Column("cause", String(20), nullable=False),
    Column("reason", String(60), nullable=False),
    PrimaryKeyConstraint("seller_id", "id"),
    _of_order(),
    Index("ix_order_history_order", "seller_id", "amazon_order_id", "id"),
    Index("ix_order_history_seller_at", "seller_id", "at"),
)

deadlines = Table(
    "deadlines", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), autoincrement=True,
           nullable=False),
    Column("amazon_order_id", String(19), nullable=False),
    Column("seller_id", String(20), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("fired_at", UTCDateTime),
    PrimaryKeyConstraint("seller_id", "id"),
    _of_order(),
    Index("ix_deadlines_order", "seller_id", "amazon_order_id", "due_at"),
    # ix_deadlines_due: see declare_partial_indexes.
)

shipments = Table(
    "shipments", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), autoincrement=True,
           nullable=False),
    Column("amazon_order_id", String(19), nullable=False),
    Column("seller_id", String(20), nullable=False),
    Column("carrier_code", String(40), nullable=False),
    Column("carrier_name", String(200)),
    Column("tracking_number", String(100), nullable=False),
    Column("tracking_valid", Boolean, nullable=False),
    Column("ship_method", String(100), nullable=False),
    Column("ship_date", UTCDateTime, nullable=False),
    Column("confirmed_at", UTCDateTime, nullable=False),
    Column("ship_to", Text, nullable=False),
    Column("lines", Text, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    # Rows of a shipment-confirmation file are recognised by this key when uploaded again.
    Column("upload_key", String(64)),
    # What the carrier's scans tell (L30), known when the shipment is confirmed since the
    # simulated carriers are deterministic; each compared with the time that asks.
    Column("first_scan_at", UTCDateTime),
    Column("delivered_at", UTCDateTime),
    Column("lost_at", UTCDateTime),
    Column("deliver_by", UTCDateTime),             # the order's promised delivery (L31)
    Column("label_id", String(40)),                # the Buy Shipping label that made it
    PrimaryKeyConstraint("seller_id", "id"),
    _of_order(),
    UniqueConstraint("seller_id", "upload_key", name="uq_shipments_seller_upload_key"),
    Index("ix_shipments_seller_confirmed", "seller_id", "confirmed_at"),
    Index("ix_shipments_order", "seller_id", "amazon_order_id", "id"),
    Index("ix_shipments_tracking", "seller_id", "tracking_number"),
    Index("ix_shipments_deliver_by", "seller_id", "deliver_by"),
)

# Labels bought through Buy Shipping (L29): Merchant Fulfillment's shipments and Shipping
# v2's, each the shipment confirmation it made (shipments.label_id).
labels = Table(
    "labels", metadata,
    Column("seller_id", String(20), nullable=False),
    Column("label_id", String(40), nullable=False),
    Column("amazon_order_id", String(19), nullable=False),
    Column("api", String(10), nullable=False),             # mfn or shipping
    Column("service_id", String(60), nullable=False),
    Column("carrier", String(40), nullable=False),
    Column("tracking_number", String(100), nullable=False),
    Column("charge_cents", BigInteger, nullable=False),
    Column("label_format", String(10), nullable=False),
    Column("ship_from", Text, nullable=False),
    Column("package", Text, nullable=False),
    Column("lines", Text, nullable=False),
    Column("ship_date", UTCDateTime, nullable=False),
    Column("earliest_delivery", UTCDateTime, nullable=False),
    Column("latest_delivery", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("canceled_at", UTCDateTime),
    PrimaryKeyConstraint("seller_id", "label_id"),
    _of_order(),
    Index("ix_labels_order", "seller_id", "amazon_order_id"),
)

# Shipping v2's getRates answers, kept for purchaseShipment's requestToken and rateId.
rate_requests = Table(
    "rate_requests", metadata,
    Column("request_token", String(40), primary_key=True),
    Column("seller_id", String(20), nullable=False),
    Column("request", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

refunds = Table(
    "refunds", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), autoincrement=True,
           nullable=False),
    Column("amazon_order_id", String(19), nullable=False),
    Column("seller_id", String(20), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("reason", String(200), nullable=False),
    PrimaryKeyConstraint("seller_id", "id"),
    _of_order(),
    Index("ix_refunds_order", "seller_id", "amazon_order_id", "id"),
)

ledger = Table(
    "ledger", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), autoincrement=True,
           nullable=False),
    Column("seller_id", String(20), nullable=False),
    Column("amazon_order_id", String(19), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    PrimaryKeyConstraint("seller_id", "id"),
    Index("ix_ledger_seller", "seller_id", "id"),
)

messages = Table(
    "messages", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), autoincrement=True,
           nullable=False),
    Column("amazon_order_id", String(19), nullable=False),
    Column("seller_id", String(20), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("body", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("seller_id", "id"),
    _of_order(),
    Index("ix_messages_order", "seller_id", "amazon_order_id", "id"),
)

feedback = Table(
    "feedback", metadata,
    Column("amazon_order_id", String(19), nullable=False),
    Column("seller_id", String(20), nullable=False),
    Column("rating", Integer, nullable=False),
    Column("comment", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("seller_id", "amazon_order_id"),
    _of_order(),
)

outbox = Table(
    "outbox", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("dedupe_key", String(120), nullable=False, unique=True),
    Column("kind", String(60), nullable=False),
    Column("recipient", String(320), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text),
    Column("next_attempt_at", UTCDateTime),      # after a failed attempt: when to retry
    Column("failed_at", UTCDateTime),            # set aside after its last attempt
    # ix_outbox_unsent: see declare_partial_indexes.
)

mailbox = Table(
    "mailbox", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("outbox_id", BigInteger, nullable=False, unique=True),
    Column("recipient", String(320), nullable=False, index=True),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("sent_at", UTCDateTime, nullable=False),
)

feeds = Table(
    "feeds", metadata,
    Column("feed_id", String(20), nullable=False),
    Column("seller_id", String(20), ForeignKey("sellers.seller_id"), nullable=False),
    Column("feed_type", String(60), nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("done_at", UTCDateTime),
    Column("next_record", Integer, nullable=False),
    Column("total_records", Integer),
    Column("processed", Integer, nullable=False),
    Column("successful", Integer, nullable=False),
    PrimaryKeyConstraint("seller_id", "feed_id"),
    Index("ix_feeds_status", "status"),
    Index("ix_feeds_feed_id", "feed_id"),          # the operator's and worker's lookups
)

# The uploaded file apart from its feed, so the feed's progress, written with every batch of
# rows, never rewrites the file (SQLite rewrites a whole row on update).
feed_documents = Table(
    "feed_documents", metadata,
    Column("feed_id", String(20), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("seller_id", String(20), nullable=False),
    PrimaryKeyConstraint("seller_id", "feed_id"),
    _of_feed(),
)

feed_results = Table(
    "feed_results", metadata,
    Column("feed_id", String(20), nullable=False),
    Column("record_number", Integer, nullable=False),
    Column("seller_id", String(20), nullable=False),
    Column("order_id", String(40), nullable=False),
    Column("order_item_id", String(40), nullable=False),
    Column("error_code", String(10), nullable=False),
    Column("error_type", String(10), nullable=False),
    Column("message", Text, nullable=False),
    PrimaryKeyConstraint("seller_id", "feed_id", "record_number"),
    _of_feed(),
)

# Tokens of the SP-API-compatible routes, stored as hashes: LWA access tokens and restricted
# data tokens (whose scope lists the restricted resources they open). They expire by the
# wall clock, never by a sandbox's simulated one.
api_tokens = Table(
    "api_tokens", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("seller_id", String(20), ForeignKey("sellers.seller_id"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("scope", Text),
    Column("expires_at", UTCDateTime, nullable=False),
    Index("ix_api_tokens_seller_expires", "seller_id", "expires_at"),
)

# Notifications API destinations: where a seller's application wants notifications (an SQS
# queue, an EventBridge bus, or sellerflow's own webhook), and its subscriptions to them.
notification_destinations = Table(
    "notification_destinations", metadata,
    Column("destination_id", String(40), nullable=False),
    Column("seller_id", String(20), ForeignKey("sellers.seller_id"), nullable=False),
    Column("name", String(256), nullable=False),
    Column("kind", String(20), nullable=False),          # sqs, eventBridge or webhook
    Column("target", Text, nullable=False),              # the resource as JSON
    Column("secret", String(80)),                        # a webhook's signing key
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("seller_id", "destination_id"),
    Index("ix_notification_destinations_id", "destination_id", unique=True),
)

notification_subscriptions = Table(
    "notification_subscriptions", metadata,
    Column("subscription_id", String(40), nullable=False),
    Column("seller_id", String(20), ForeignKey("sellers.seller_id"), nullable=False),
    Column("notification_type", String(60), nullable=False),
    Column("destination_id", String(40), nullable=False),
    Column("payload_version", String(10), nullable=False),
    Column("processing_directive", Text),                # as given, JSON
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("seller_id", "subscription_id"),
    UniqueConstraint("seller_id", "notification_type", name="uq_subscriptions_seller_type"),
    Index("ix_notification_subscriptions_id", "subscription_id", unique=True),
)

# Reports requested through the Reports API, processed by the worker.
report_requests = Table(
    "report_requests", metadata,
    Column("report_id", String(20), nullable=False),
    Column("seller_id", String(20), ForeignKey("sellers.seller_id"), nullable=False),
    Column("report_type", String(80), nullable=False),
    Column("status", String(20), nullable=False),
    Column("data_start", UTCDateTime),
    Column("data_end", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("processing_start", UTCDateTime),
    Column("processing_end", UTCDateTime),
    Column("document_id", String(100)),
    PrimaryKeyConstraint("seller_id", "report_id"),
    Index("ix_report_requests_report_id", "report_id"),   # the operator's and worker's
    Index("ix_report_requests_seller_created", "seller_id", "created_at"),
    Index("ix_report_requests_status", "status"),
)

# Documents exchanged through URLs on this server: a report's content, a feed's file before
# createFeed takes it. The id is random and long: the URL is the permission, as with Amazon's
# pre-signed URLs, since clients fetch and upload there without a token.
documents = Table(
    "documents", metadata,
    Column("document_id", String(100), primary_key=True),
    Column("seller_id", String(20), ForeignKey("sellers.seller_id"), nullable=False),
    Column("purpose", String(10), nullable=False),     # report | feed | result
    Column("subject_id", String(40)),                  # a result's feed
    Column("content_type", String(200), nullable=False),
    Column("content", LargeBinary),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_documents_subject", "subject_id"),
)

# Console sessions, kept here so that signing out, a password change or idle time ends them
# for every server process: the cookie holds only a random id, stored here as a hash.
console_sessions = Table(
    "console_sessions", metadata,
    Column("session_hash", String(64), primary_key=True),
    Column("seller_id", String(20), ForeignKey("sellers.seller_id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Index("ix_console_sessions_seller", "seller_id"),
)

# Console sign-in attempts in the current window, by account and by client address: every
# process counts in the same rows, and an attempt is counted before its password is checked.
sign_in_attempts = Table(
    "sign_in_attempts", metadata,
    Column("subject", String(400), primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("window_start", UTCDateTime, nullable=False),
)

# Amazon's usage plans, applied per seller and operation: the tokens left in each bucket and
# when they were counted, shared by every server process (and kept over a restart).
throttle_buckets = Table(
    "throttle_buckets", metadata,
    Column("seller_id", String(20), ForeignKey("sellers.seller_id"), nullable=False),
    Column("operation", String(60), nullable=False),
    Column("tokens", Float, nullable=False),
    Column("counted_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("seller_id", "operation"),
)

idempotency_keys = Table(
    "idempotency_keys", metadata,
    Column("buyer_id", String(20), ForeignKey("buyers.buyer_id"), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("response", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)


def declare_partial_indexes() -> None:
    """The two partial indexes migration 0001 creates, declared for Alembic (migrations/env.py)
    only: their dialect options load SQLAlchemy's PostgreSQL dialect, some 50 ms that no
    command needs, as the database already has them.
    - ix_deadlines_due: a sweep reads only unfired rows in due order, so its cost follows what
      is due, not what exists.
    - ix_outbox_unsent: a delivery pass reads only unsent messages."""
    if any(index.name == "ix_deadlines_due" for index in deadlines.indexes):
        return
    Index("ix_deadlines_due", deadlines.c.due_at, deadlines.c.id,
          sqlite_where=text("fired_at IS NULL"), postgresql_where=text("fired_at IS NULL"))
    Index("ix_outbox_unsent", outbox.c.id, sqlite_where=text("sent_at IS NULL"),
          postgresql_where=text("sent_at IS NULL"))
