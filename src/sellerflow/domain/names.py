"""What people call the engine's codes (shipping service levels, Amazon's cancellation
reasons), marked for the catalogs: the console's pages and the e-mails name them so, in the
reader's language; the wire formats keep the codes."""

from __future__ import annotations

from sellerflow.domain.text import N_

LEVELS = {"Standard": N_("Standard"), "Expedited": N_("Expedited"),
          "SecondDay": N_("Second day"), "NextDay": N_("Next day")}
# Amazon's cancellation (and refund) reason codes, as Seller Central names them.
REASONS = {
    "NoInventory": N_("No inventory"),
    "ShippingAddressUndeliverable": N_("Shipping address undeliverable"),
    "CustomerExchange": N_("Customer exchange"),
    "BuyerCanceled": N_("Buyer canceled"),
    "GeneralAdjustment": N_("General adjustment"),
    "CarrierCreditDecision": N_("Carrier credit decision"),
    "RiskAssessmentInformationNotValid": N_("Risk assessment information not valid"),
    "CarrierCoverageFailure": N_("Carrier coverage failure"),
    "CustomerReturn": N_("Customer return"),
    "MerchandiseNotReceived": N_("Merchandise not received"),
}
