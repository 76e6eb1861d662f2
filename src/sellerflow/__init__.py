"""sellerflow: an order-processing engine that enforces a marketplace seller's order lifecycle."""

__version__ = "0.1.0"
