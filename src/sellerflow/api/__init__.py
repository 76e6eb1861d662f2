"""The HTTP API: SP-API-compatible seller routes, sellerflow's own seller routes, buyer and
sandbox routes. Each route parses its request, calls a service as the caller its token names
and renders the read model through `sellerflow.wire`; no rule lives here."""
