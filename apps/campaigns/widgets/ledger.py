"""Home widget of the evidence ledger: the readiness of each active campaign the user sees."""

from ..selectors.ledger import visible_readiness


def readiness(request) -> dict | None:
    rows = visible_readiness(request.user)
    return {"rows": rows} if rows else None
