"""Names and explanations the pages show for the engine's values (order statuses, history
causes, the rule that refused a command, a processing report's error codes), marked for the
catalogs and translated once per language when the server starts, not on every row."""

from __future__ import annotations

from sellerflow.domain import names
from sellerflow.web.pages_text import N_

STATUS = {"Pending": N_("Pending"), "Unshipped": N_("Unshipped"),
          "PartiallyShipped": N_("Partially shipped"), "Shipped": N_("Shipped"),
          "Canceled": N_("Canceled")}
LEVELS, REASONS = names.LEVELS, names.REASONS
# Carriers whose name a reader's language writes its own way; the others are brand names.
CARRIERS = {"Other": N_("Other"), "China Post": N_("China Post"), "Yanwen": N_("Yanwen"),
            "YunExpress": N_("YunExpress"), "4PX": N_("4PX"), "SF Express": N_("SF Express")}
# Where a Pending order waits (domain/pending.py), in the seed's words.
PENDING_HOLD = N_("Amazon holds the order for %(minutes)s minutes so the buyer can cancel it: "
                  "until %(time)s (%(left)s min left).")
PENDING_VERIFICATION = N_("Payment and order details are being verified, which can take up to "
                          "%(days)s days: until %(date)s at the latest.")
# A package's way (L30): Shipping v2's summary status, and each scan.
PACKAGE = {"PreTransit": N_("Label created"), "InTransit": N_("On the way"),
           "OutForDelivery": N_("Out for delivery"), "Delivered": N_("Delivered"),
           "Lost": N_("Lost by the carrier")}
SCANS = {"ReadyForReceive": N_("Label created"), "PickupDone": N_("Picked up by the carrier"),
         "Departed": N_("Departed the carrier's facility"),
         "ArrivedAtCarrierFacility": N_("Arrived at the local facility"),
         "OutForDelivery": N_("Out for delivery"), "Delivered": N_("Delivered"),
         "Lost": N_("Reported lost by the carrier")}
CAUSE = {"buyer": N_("by the buyer"), "seller": N_("by the seller"),
         "verification": N_("by payment verification"), "deadline": N_("by a deadline")}
# What each lifecycle rule means when it refuses a command: shown above the engine's own
# message (which names the order, dates and numbers, in English).
RULES = {
    "L2": N_("Not enough units are in stock: nothing was ordered."),
    "L6": N_("The buyer can cancel only while the order is Pending; after that, a "
             "cancellation is a request the seller answers."),
    "L7": N_("Pending orders cannot be shipped or canceled by the seller; ask the buyer to "
             "contact customer service."),
    "L9": N_("Payment verification is settled only once, while the order is Pending."),
    "L17": N_("The order's status does not allow this."),
    "L19": N_("The address can change only when the buyer asked for it, before shipment; "
              "otherwise cancel and let the buyer order again."),
    "L20": N_("The shipment cannot be confirmed as entered: the ship date may be neither "
              "before the order nor in the future, and no more units than are left to ship."),
    "L21": N_("This is for Professional sellers; on the Individual plan, confirm shipments "
              "one by one in Manage Orders."),
    "L22": N_("Feedback is for orders the seller released and handled."),
    "L23": N_("Nothing is left for the ship-confirm deadline to cancel."),
    "L26": N_("Refunds come after shipment and never exceed what the buyer paid."),
    "L29": N_("A label is bought for units still to ship, and canceled only before the "
              "carrier scans the package."),
}
# The processing report's codes (docs/shipment-upload.md), as the report page explains them.
UPLOAD_ERRORS = {
    "10001": N_("A required cell is empty."),
    "10002": N_("No such order for this seller."),
    "10003": N_("That item is not in the order."),
    "10004": N_("The quantity is not a whole number of at least 1."),
    "10005": N_("More units than remain to ship."),
    "10006": N_("The ship date is not a date."),
    "10007": N_("The ship date is before the purchase date or in the future."),
    "10008": N_("Unknown carrier code."),
    "10009": N_("Carrier code Other needs a carrier name."),
    "10010": N_("The tracking number is missing."),
    "10011": N_("The order cannot be shipped or canceled now (Pending, Canceled or already "
                "shipped)."),
    "10012": N_("The order ID is not in Amazon's 123-1234567-1234567 form."),
    "10013": N_("Not one of Amazon's cancellation reason codes."),
    "10014": N_("Names one item while others of the order are still to ship; leave the item "
                "code empty to cancel the order's unshipped rest."),
    "20001": N_("The tracking number does not fit its carrier's format: accepted, counted as "
                "not valid."),
    "20002": N_("Applied by an earlier upload; nothing was applied again."),
    "20003": N_("A column that is not one of Amazon's was ignored."),
    "90001": N_("No header line holding order-id."),
    "90002": N_("The header lacks a required column."),
    "90003": N_("The file is not text."),
}
