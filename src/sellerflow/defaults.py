"""Where a new user's data goes when nothing else is said: an embedded SQLite file beside
them, so sellerflow needs nothing but Python."""

DEFAULT_URL = "sqlite:///./sellerflow.db"
