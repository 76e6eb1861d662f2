"""The usage plans sellerflow enforces are the ones Amazon's models state, operation by
operation (rate per second, burst)."""

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
        for verbs in json.loads(file.read_text())["paths"].values():
            for verb, operation in verbs.items():
                if verb != "parameters" and (found := PLAN.search(operation["description"])):
                    stated[operation["operationId"]] = (float(found[1]), int(found[2]))
    assert {name: (plan.rate, plan.burst) for name, plan in USAGE_PLANS.items()} == {
        name: stated[name] for name in USAGE_PLANS}
