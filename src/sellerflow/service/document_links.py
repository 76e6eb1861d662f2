"""Document URLs as Amazon hands them out: pre-signed for one document and one method, and
good for five minutes (by the wall clock, like tokens). The signature is an HMAC of the
document, the method and the expiry under a key kept in the database, so every server process
(and a restarted one) accepts the links any of them made, and nobody can make one."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from sellerflow.clock import SystemClock
from sellerflow.domain.errors import NotPermitted
from sellerflow.service.auth import kept_secret
from sellerflow.service.context import Marketplace

LINK_LIFETIME = timedelta(minutes=5)
SECRET_KEY = "document_link_secret"
EXPIRES, SIGNATURE = "X-Amz-Expires-At", "X-Amz-Signature"


@dataclass(frozen=True)
class DocumentLink:
    document_id: str
    expires: int            # seconds since the epoch
    signature: str

    @property
    def parameters(self) -> dict[str, str]:
        return {EXPIRES: str(self.expires), SIGNATURE: self.signature}


def link(market: Marketplace, document_id: str, method: str) -> DocumentLink:
    """A link to `method` (GET a report, PUT a feed's file) the document for five minutes."""
    expires = int((SystemClock.read() + LINK_LIFETIME).timestamp())
    return DocumentLink(document_id, expires, _sign(market, document_id, method, expires))


def check(market: Marketplace, document_id: str, method: str, expires: str | None,
          signature: str | None) -> None:
    """Refuses a request to a document URL that is not one `link` made, or has expired."""
    if not expires or not signature:
        raise NotPermitted(f"a document URL needs the {EXPIRES} and {SIGNATURE} parameters "
                           "it was given with; get a fresh URL from getReportDocument, "
                           "getFeedDocument or createFeedDocument", reason="unsigned")
    if not expires.isdigit() or len(expires) > 12 or not hmac.compare_digest(
            signature, _sign(market, document_id, method, int(expires))):
        raise NotPermitted("the document URL's signature does not match; use the URL exactly "
                           "as it was given", reason="bad-signature")
    if int(expires) <= SystemClock.read().timestamp():
        raise NotPermitted("Request has expired: a document URL lasts five minutes; get a "
                           "fresh one from getReportDocument, getFeedDocument or "
                           "createFeedDocument", reason="expired")


def _sign(market: Marketplace, document_id: str, method: str, expires: int) -> str:
    key = kept_secret(market, SECRET_KEY).encode()
    message = f"{method}\n{document_id}\n{expires}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
