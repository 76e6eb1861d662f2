"""Names the pages show for the engine's values (order statuses, history causes), marked for
the catalogs and translated once per language when the server starts, not on every row."""

from __future__ import annotations

from sellerflow.web.pages_text import N_

STATUS = {"Pending": N_("Pending"), "Unshipped": N_("Unshipped"),
          "PartiallyShipped": N_("Partially shipped"), "Shipped": N_("Shipped"),
          "Canceled": N_("Canceled")}
CAUSE = {"buyer": N_("by the buyer"), "seller": N_("by the seller"),
         "verification": N_("by payment verification"), "deadline": N_("by a deadline")}
