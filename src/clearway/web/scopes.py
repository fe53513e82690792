"""Which scope each API operation requires, checked in one place before the endpoint runs.

Every operation of the API routers is listed here (method, path template under /api/v1). An operation not
listed is refused (fail closed) so a new endpoint cannot be reachable without a scope by oversight; the test
``tests/integration/test_scopes.py`` enumerates the OpenAPI operations and proves that each refuses a token
without its scope. Public operations and the self-service ones (your own identity and tokens) are listed
explicitly in :data:`PUBLIC` and :data:`SELF_SERVICE`.
"""

from __future__ import annotations

from fastapi import Request

from clearway.errors import Forbidden
from clearway.identity.core import Principal, Scope
from clearway.web.deps import PrincipalDep

PREFIX = "/api/v1"

# No credential at all: the health probe and the token issue (authenticated by the password in its body).
PUBLIC: frozenset[tuple[str, str]] = frozenset({
    ("GET", "/health"),
    ("POST", "/auth/token"),
})
# A credential but no scope: who am I, my tokens, and revoking the credential itself (always possible).
SELF_SERVICE: frozenset[tuple[str, str]] = frozenset({
    ("GET", "/auth/me"),
    ("GET", "/auth/tokens"),
    ("POST", "/auth/revoke"),
})

_R, _W, _D = Scope.DECLARATIONS_READ, Scope.DECLARATIONS_WRITE, Scope.DECISIONS_WRITE
_OR, _OW = Scope.ORIGIN_READ, Scope.ORIGIN_WRITE
_RR, _RW = Scope.RISK_READ, Scope.RISK_WRITE
REQUIRED: dict[tuple[str, str], Scope] = {
    ("POST", "/declarations"): _W,
    ("GET", "/declarations"): _R,
    ("POST", "/declarations:batch"): _W,
    ("GET", "/statistics/release-times"): _R,
    ("GET", "/declarations/{declaration_id}"): _R,
    ("POST", "/declarations/{declaration_id}/amend"): _W,
    ("POST", "/declarations/{declaration_id}/cancel"): _W,
    ("GET", "/declarations/{declaration_id}/events"): _R,
    ("POST", "/declarations/{declaration_id}/decision"): _D,
    ("POST", "/declarations/{declaration_id}/payment"): _W,
    ("POST", "/declarations/{declaration_id}/release"): _D,
    ("GET", "/webhooks"): Scope.WEBHOOKS_WRITE,
    ("POST", "/webhooks"): Scope.WEBHOOKS_WRITE,
    ("DELETE", "/webhooks/{subscription_id}"): Scope.WEBHOOKS_WRITE,
    ("GET", "/tariff/parameters"): Scope.TARIFF_READ,
    ("GET", "/tariff/{code}"): Scope.TARIFF_READ,
    ("POST", "/estimates"): Scope.TARIFF_READ,
    ("POST", "/classifications"): Scope.CLASSIFICATION_READ,
    ("POST", "/origin/determinations"): _OR,
    ("GET", "/origin/agreements"): _OR,
    ("GET", "/origin/agreements/{code}/rules"): _OR,
    ("POST", "/origin/certificates/read"): _OR,
    ("POST", "/origin/certificates/upload"): _OW,
    ("POST", "/origin/certificates"): _OW,
    ("GET", "/origin/certificates"): _OR,
    ("GET", "/origin/certificates/{certificate_id}"): _OR,
    ("POST", "/origin/certificates/{certificate_id}/withdraw"): _OW,
    ("POST", "/origin/verifications"): _OR,
    ("GET", "/origin/declarations/{declaration_id}/items/{line_number}/preference"): _OR,
    ("GET", "/risk/criteria"): _RR,
    ("POST", "/risk/criteria"): _RW,
    ("GET", "/risk/criteria/{criterion_id}"): _RR,
    ("PATCH", "/risk/criteria/{criterion_id}"): _RW,
    ("DELETE", "/risk/criteria/{criterion_id}"): _RW,
    ("GET", "/risk/criteria/{criterion_id}/versions"): _RR,
    ("POST", "/risk/conditions/check"): _RR,
    ("GET", "/risk/watchlists"): _RR,
    ("POST", "/risk/watchlists"): _RW,
    ("GET", "/risk/watchlists/{watchlist_id}"): _RR,
    ("PATCH", "/risk/watchlists/{watchlist_id}"): _RW,
    ("POST", "/risk/watchlists/{watchlist_id}/entries"): _RW,
    ("DELETE", "/risk/watchlists/{watchlist_id}/entries/{entry_id}"): _RW,
    ("GET", "/risk/policy"): _RR,
    ("PUT", "/risk/policy"): _RW,
    ("GET", "/risk/models"): _RR,
    ("POST", "/risk/models/train"): _RW,
    ("POST", "/risk/models/{version}/promote"): _RW,
    ("GET", "/risk/report"): _RR,
    ("GET", "/risk/declarations/{declaration_id}/decisions"): _RR,
    ("GET", "/risk/declarations/{declaration_id}/explanation"): _RR,
}


def operation_of(request: Request) -> tuple[str, str]:
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    return request.method.upper(), path.removeprefix(PREFIX)


def require_operation_scope(request: Request, principal: PrincipalDep) -> Principal:
    """Router dependency: the caller's token must hold the scope this operation requires."""
    operation = operation_of(request)
    if operation in SELF_SERVICE:
        return principal
    scope = REQUIRED.get(operation)
    if scope is None:
        raise Forbidden(f"{operation[0]} {operation[1]} has no scope assigned (clearway.web.scopes.REQUIRED)")
    principal.require_scope(scope)
    return principal
