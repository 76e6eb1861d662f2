"""Every SP-API-compatible answer checked against Amazon's published models: the status must
be one the operation declares and the body must fit the declared schema."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator

MODELS = Path(__file__).parent / "sp_api_models"


@cache
def _operations() -> list[tuple[re.Pattern[str], str, dict[str, Any], dict[str, Any]]]:
    found = []
    for file in sorted(MODELS.glob("*.json")):
        model = json.loads(file.read_text())
        for template, verbs in model["paths"].items():
            pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
            for verb, operation in verbs.items():
                if verb != "parameters":
                    found.append((pattern, verb.upper(), operation, model))
    return found


def operation_for(method: str, path: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    for pattern, verb, operation, model in _operations():
        if verb == method and pattern.match(path):
            return operation, model
    return None


def check(method: str, path: str, status: int, body: bytes) -> None:
    """Raise AssertionError when an SP-API answer breaks its model."""
    found = operation_for(method, path)
    if found is None:
        return
    operation, model = found
    declared = operation["responses"]
    assert str(status) in declared, (
        f"{method} {path} answered {status}, which {operation['operationId']} does not "
        f"declare ({', '.join(declared)}): {body[:300]!r}")
    schema = declared[str(status)].get("schema")
    if schema is None:
        return
    document = json.loads(body)
    validator = Draft4Validator({**schema, "definitions": model["definitions"]})
    problems = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not problems, (f"{method} {path} {status} breaks {operation['operationId']}'s "
                          f"model: {problems[0].message} at {list(problems[0].path)}")
