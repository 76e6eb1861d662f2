"""The usage plans sellerflow enforces are the ones Amazon's models state, operation by
operation (rate per second, burst). An operation named alike in two versions of an API
(getOrder in Orders v0 and 2026-01-01) is the later one's under its name with the version
(getOrder_2026_01_01)."""

from __future__ import annotations

import json
import re

from sellerflow.api.rates import USAGE_PLANS
from tests.api.conformance import MODELS

PLAN = re.compile(r"\|\s*Rate \(requests per second\)\s*\|\s*Burst\s*\|\s*\n\|[-\s|]+\|\s*\n"
                  r"\|\s*([\d.]+)\s*\|\s*(\d+)\s*\|")


def test_every_served_operation_has_the_usage_plan_its_model_states() -> None:
    stated = {}
    for file in MODELS.glob("*.json"):
        # A dated model's operations are suffixed with its date; Shipping v2's cancelShipment
        # is cancelShipment_shipping_v2 beside Merchant Fulfillment's.
        version = (file.stem.partition("_")[2].replace("-", "_")
                   or {"shippingV2": "shipping_v2"}.get(file.stem, ""))
        for verbs in json.loads(file.read_text())["paths"].values():
            for operation in verbs.values():
                if isinstance(operation, dict) and "operationId" in operation and (
                        found := PLAN.search(operation["description"])):
                    plan = (float(found[1]), int(found[2]))
                    name = operation["operationId"]
                    if version:
                        stated[f"{name}_{version}"] = plan
                    if not version or name not in stated:
                        stated[name] = plan
    assert {name: (plan.rate, plan.burst) for name, plan in USAGE_PLANS.items()} == {
        name: stated[name] for name in USAGE_PLANS}
