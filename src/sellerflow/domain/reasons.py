"""Amazon's cancellation reason codes and sellerflow's history reasons."""

CANCELLATION_REASONS = (
    "NoInventory", "ShippingAddressUndeliverable", "CustomerExchange", "BuyerCanceled",
    "GeneralAdjustment", "CarrierCreditDecision", "RiskAssessmentInformationNotValid",
    "CarrierCoverageFailure", "CustomerReturn", "MerchandiseNotReceived",
)

PLACED = "placed"
APPROVED = "approved"
HOLD_ENDED = "hold-ended"
DECLINED = "declined"
FRAUD = "fraud"
VERIFICATION_EXPIRED = "verification-expired"
SHIP_DEADLINE = "ship-deadline"
AUTO_CANCEL = "auto-cancel"       # L23a: 7 business days after LatestShipDate
SHIPMENT = "shipment"
REDIRECT = "redirect"
REFUND = "refund"
BUYER_CANCELED = "BuyerCanceled"
NO_INVENTORY = "NoInventory"


def canonical_reason(code: str) -> str | None:
    wanted = code.strip().lower()
    return next((r for r in CANCELLATION_REASONS if r.lower() == wanted), None)
