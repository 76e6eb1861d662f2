"""Amazon's static sandbox, offline: a request that matches one of the canned cases of a
bundled model (api/sandbox_models/) is answered with that case's response, as Amazon's sandbox
endpoint answers it, so a suite written for Amazon's sandbox runs with only its endpoint
changed. Two ways in:

- the endpoint `http://host:port/static-sandbox`: every case is answered, including those
  that name no parameter (Amazon's sandbox answers them whatever is asked); a request no case
  matches goes on to the stateful API at the same path without the prefix;
- the API's own paths: only cases naming one of Amazon's magic values (`TEST_CASE_200`,
  `TEST_CASE_400`…), which no real request carries.

A case matches when each parameter it names has the value it gives (path, query and body);
parameters it does not name may be anything. Of several, the one naming the most wins."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/static-sandbox"
MODELS = Path(__file__).parent / "sandbox_models"
MAGIC = "TEST_CASE"
MAX_BODY = 1024 * 1024


@dataclass(frozen=True)
class Case:
    method: str
    template: str
    path: re.Pattern[str]
    status: int
    parameters: dict[str, Any]      # name -> the value the case asks for (absent: anything)
    response: Any                   # None: an answer without a body (cancelReport's)

    @property
    def magic(self) -> bool:
        return MAGIC in json.dumps(self.parameters)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p)
                              for p in parts))


def load_cases(folder: Path = MODELS) -> list[Case]:
    cases = []
    for file in sorted(folder.glob("*.json")):
        for template, verbs in json.loads(file.read_text())["paths"].items():
            for verb, statuses in verbs.items():
                for status, static in statuses.items():
                    for case in static:
                        asked = {name: given["value"] for name, given in
                                 case["request"].get("parameters", {}).items()
                                 if isinstance(given, dict) and "value" in given}
                        cases.append(Case(verb.upper(), template, _pattern(template),
                                          int(status), asked, case.get("response")))
    # The most specific first: a case naming more parameters wins over one naming fewer.
    return sorted(cases, key=lambda c: -len(c.parameters))


def _matches(case: Case, path_values: dict[str, str], query: dict[str, list[str]],
             body: Any) -> bool:
    for name, wanted in case.parameters.items():
        if name in path_values:
            if path_values[name] != str(wanted):
                return False
        elif name == "body":
            if body != wanted:
                return False
        else:
            given = [part for value in query.get(name, []) for part in value.split(",")]
            expected = ([str(v) for v in wanted] if isinstance(wanted, list)
                        else [_text(wanted)])
            if given != expected:
                return False
    return True


def _text(value: Any) -> str:
    return json.dumps(value) if isinstance(value, bool) else str(value)


class StaticSandbox:
    """The ASGI middleware in front of the API."""

    def __init__(self, app: ASGIApp, folder: Path = MODELS) -> None:
        self.app = app
        self.folder = folder

    @cached_property
    def cases(self) -> list[Case]:
        return load_cases(self.folder)      # read at the first request that may need them

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        prefixed = path.startswith(PREFIX + "/")
        if not prefixed and MAGIC.encode() not in scope["query_string"] and MAGIC not in path:
            await self.app(scope, receive, send)         # every ordinary request: untouched
            return
        if prefixed:
            path = path[len(PREFIX):]
        method = scope["method"]
        chunks, body = [], None
        if method in ("POST", "PUT", "PATCH"):
            chunks = await _read(receive)
            try:
                body = json.loads(b"".join(m.get("body", b"") for m in chunks) or b"null")
            except ValueError:
                body = None
        query = parse_qs(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        for case in self.cases:
            if case.method != method or (not prefixed and not case.magic):
                continue
            found = case.path.fullmatch(path)
            if found and _matches(case, found.groupdict(), query, body):
                await _answer(send, case)
                return
        if prefixed:        # no case: the stateful API answers, at the path without prefix
            scope = {**scope, "path": path, "raw_path": path.encode()}
        await self.app(scope, _replay(chunks, receive) if chunks else receive, send)


async def _read(receive: Receive) -> list[Message]:
    messages, size = [], 0
    while True:
        message = await receive()
        messages.append(message)
        size += len(message.get("body", b""))
        if message["type"] != "http.request" or not message.get("more_body") or size > MAX_BODY:
            return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    queue = list(messages)

    async def replayed() -> Message:
        return queue.pop(0) if queue else await receive()

    return replayed


async def _answer(send: Send, case: Case) -> None:
    body = b"" if case.response is None else json.dumps(case.response).encode()
    await send({"type": "http.response.start", "status": case.status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"x-amzn-requestid", b"static-sandbox")]})
    await send({"type": "http.response.body", "body": body})
