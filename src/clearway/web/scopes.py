"""Which scope each API operation requires, checked in one place before the endpoint runs.

Every operation of the API routers is listed here (method, path template under /api/v1). An operation not
listed is refused (fail closed) so a new endpoint cannot be reachable without a scope by oversight; the test
``tests/integration/test_scopes.py`` enumerates the OpenAPI operations and proves that each refuses a token
without its scope. Public operations and the self-service ones (your own identity and tokens) are listed
explicitly in :data:`PUBLIC` and :data:`SELF_SERVICE`.
"""

from __future__ import annotations

from fastapi import Request, Response

from clearway.errors import Forbidden
from clearway.identity.core import Principal, Scope
from clearway.web.deps import RuntimeDep, SessionDep, get_principal

PREFIX = "/api/v1"

# No credential at all: the health probe and the token issue (authenticated by the password in its body).
# The consultation assistant's conversations are open to everyone (travellers do not sign in; a conversation
# is reached by its secret); the bank's payment callback is authenticated by its HMAC signature.
PUBLIC: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/health"),
        ("GET", "/health/live"),
        ("GET", "/health/ready"),
        ("POST", "/auth/token"),
        ("POST", "/assistant/conversations"),
        ("GET", "/assistant/conversations/{conversation_id}"),
        ("POST", "/assistant/conversations/{conversation_id}/messages"),
        ("POST", "/assistant/conversations/{conversation_id}/handoff"),
        ("POST", "/payments/callback"),
        # Anyone holding a document may check it (only genuine / unchanged is answered).
        ("GET", "/verify/{code}"),
        ("POST", "/verify"),
        ("POST", "/receipts:verify"),  # a decision receipt: only genuine / unchanged is answered
        ("POST", "/travellers/declarations"),  # the traveller's own declaration: travellers do not sign in
        # The parcel buyer signs in with the personal customs code and a number sent to the phone on file;
        # the buyer's operations are authenticated by the signed buyer session (X-Buyer-Session).
        ("POST", "/parcels/buyer/sign-in"),
        ("POST", "/parcels/buyer/session"),
        ("GET", "/parcels/buyer/parcels"),
        ("POST", "/parcels/buyer/parcels/{parcel_id}/not-mine"),
    }
)
# A credential but no scope: who am I, my tokens, and revoking the credential itself (always possible).
SELF_SERVICE: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/auth/me"),
        ("GET", "/auth/tokens"),
        ("POST", "/auth/revoke"),
    }
)

_R, _W, _D = Scope.DECLARATIONS_READ, Scope.DECLARATIONS_WRITE, Scope.DECISIONS_WRITE
_OR, _OW = Scope.ORIGIN_READ, Scope.ORIGIN_WRITE
_RR, _RW = Scope.RISK_READ, Scope.RISK_WRITE
REQUIRED: dict[tuple[str, str], Scope] = {
    ("POST", "/declarations"): _W,
    ("GET", "/declarations"): _R,
    ("POST", "/declarations:batch"): _W,
    ("POST", "/edifact"): _W,
    ("POST", "/declarations:spreadsheet"): _W,
    ("GET", "/statistics/release-times"): _R,
    ("GET", "/declarations/{declaration_id}/certificate.pdf"): _R,
    ("GET", "/declarations/{declaration_id}/receipt.pdf"): _R,
    ("GET", "/statements/{period}.pdf"): _R,
    ("GET", "/declarations/{declaration_id}/receipt"): _R,  # decision receipt; filers without criteria
    ("GET", "/declarations/{declaration_id}/replay"): _RR,  # customs: officers, risk analysts, auditors
    ("GET", "/documents/{code}.pdf"): _R,
    ("GET", "/trade-statistics"): _R,
    ("GET", "/trade-statistics/export"): _R,
    ("GET", "/trade-statistics/fta"): _R,
    ("GET", "/trade-statistics/status"): _R,
    ("POST", "/trade-statistics/refresh"): _R,
    ("POST", "/prefiling"): _R,
    ("GET", "/fta-savings"): _R,
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
    ("GET", "/webhooks/dead-letters"): Scope.MESSAGING_ADMIN,
    ("POST", "/webhooks/dead-letters/{job_id}/replay"): Scope.MESSAGING_ADMIN,
    ("POST", "/webhooks/dead-letters:replay"): Scope.MESSAGING_ADMIN,
    ("GET", "/tariff/parameters"): Scope.TARIFF_READ,
    ("GET", "/tariff/{code}"): Scope.TARIFF_READ,
    ("POST", "/estimates"): Scope.TARIFF_READ,
    ("POST", "/classifications"): Scope.CLASSIFICATION_READ,
    ("GET", "/classifications/{classification_id}"): Scope.CLASSIFICATION_READ,
    ("POST", "/classifications/{classification_id}/answers"): Scope.CLASSIFICATION_READ,
    ("POST", "/origin/determinations"): _OR,
    ("GET", "/origin/agreements"): _OR,
    ("GET", "/origin/agreements/{code}/rules"): _OR,
    ("POST", "/origin/certificates/read"): _OR,
    ("POST", "/origin/certificates/upload"): _OW,
    ("POST", "/origin/certificates"): _OW,
    ("POST", "/origin/certificates/electronic"): _OW,
    ("GET", "/origin/certificates"): _OR,
    ("GET", "/origin/certificates/{certificate_id}"): _OR,
    ("POST", "/origin/certificates/{certificate_id}/withdraw"): _OW,
    ("POST", "/origin/certificates/{certificate_id}/confirm"): _OW,
    ("POST", "/origin/verifications"): _OR,
    ("GET", "/origin/declarations/{declaration_id}/items/{line_number}/preference"): _OR,
    ("GET", "/origin/declarations/{declaration_id}/verification-cases"): _OR,
    ("POST", "/origin/verification-cases"): _OW,
    ("GET", "/origin/verification-cases"): _OR,
    ("GET", "/origin/verification-cases/{case_id}"): _OR,
    ("POST", "/origin/verification-cases/{case_id}/send"): _OW,
    ("POST", "/origin/verification-cases/{case_id}/answer"): _OW,
    ("POST", "/origin/verification-cases/{case_id}/close"): _OW,
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
    # clearance integrity: check without filing, requests, documents, assignment, the officer's queue
    ("POST", "/declarations:check"): _W,
    ("POST", "/declarations/{declaration_id}/request-decision"): _D,
    ("POST", "/declarations/{declaration_id}/documents"): _W,
    ("GET", "/declarations/{declaration_id}/attachments/{attachment_id}"): _R,
    ("POST", "/declarations/{declaration_id}/assignment"): _D,
    ("GET", "/officer/queue"): _D,
    # payment
    ("GET", "/declarations/{declaration_id}/payment-order"): _R,
    ("POST", "/declarations/{declaration_id}/payment-order/pay"): _W,
    ("GET", "/payments/reconciliation"): _R,
    # intellectual property at the border
    ("POST", "/ipr/recordings"): Scope.IPR_WRITE,
    ("GET", "/ipr/recordings"): Scope.IPR_READ,
    ("GET", "/ipr/recordings/{recording_id}"): Scope.IPR_READ,
    ("POST", "/ipr/recordings/{recording_id}/review"): Scope.IPR_WRITE,
    ("POST", "/ipr/screen"): Scope.IPR_READ,
    ("POST", "/ipr/holds"): Scope.IPR_WRITE,
    ("GET", "/ipr/holds"): Scope.IPR_READ,
    ("GET", "/ipr/holds/{hold_id}"): Scope.IPR_READ,
    ("POST", "/ipr/holds/{hold_id}/answer"): Scope.IPR_WRITE,
    ("POST", "/ipr/holds/{hold_id}/evidence"): Scope.IPR_WRITE,
    ("POST", "/ipr/holds/{hold_id}/decide"): Scope.IPR_WRITE,
    ("GET", "/ipr/labels"): Scope.IPR_READ,
    ("GET", "/ipr/statistics"): Scope.IPR_READ,
    # consultation tickets (officers)
    ("GET", "/assistant/tickets"): _R,
    ("POST", "/assistant/tickets/{ticket_id}/answer"): _D,
    # direct-purchase parcels and personal customs codes
    ("POST", "/parcels/codes"): Scope.CODES_ADMIN,
    ("GET", "/parcels/codes"): Scope.CODES_ADMIN,
    ("POST", "/parcels/codes/verify"): Scope.PARCELS_WRITE,
    ("GET", "/parcels/codes/{code_id}"): Scope.CODES_ADMIN,
    ("POST", "/parcels/codes/{code_id}/suspend"): Scope.CODES_ADMIN,
    ("POST", "/parcels/codes/{code_id}/reissue"): Scope.CODES_ADMIN,
    ("GET", "/parcels/codes/{code_id}/parcels"): Scope.CODES_ADMIN,
    ("POST", "/parcels/code-reissue-jobs"): Scope.CODES_ADMIN,
    ("GET", "/parcels/code-reissue-jobs/{job_id}"): Scope.CODES_ADMIN,
    ("POST", "/parcels/lists"): Scope.PARCELS_WRITE,
    ("GET", "/parcels/lists/{list_id}"): Scope.PARCELS_READ,
    ("GET", "/parcels/statistics"): Scope.PARCELS_READ,
    ("GET", "/parcels"): Scope.PARCELS_READ,
    ("GET", "/parcels/{parcel_id}"): Scope.PARCELS_READ,
    ("GET", "/parcels/inspections"): Scope.PARCELS_INSPECT,
    ("POST", "/parcels/{parcel_id}/inspection"): Scope.PARCELS_INSPECT,
    ("GET", "/parcels/{parcel_id}/general-draft"): Scope.PARCELS_READ,
    ("POST", "/parcels/{parcel_id}/general-declaration"): Scope.DECLARATIONS_WRITE,
    ("POST", "/parcels/{parcel_id}/dispute"): Scope.CODES_ADMIN,
    # parties: companies (administrators) and brokers' mandates (the client company, the broker, admin)
    ("GET", "/parties/companies"): Scope.USERS_ADMIN,
    ("POST", "/parties/companies"): Scope.USERS_ADMIN,
    ("PUT", "/parties/companies/{company_id}/customs-code"): Scope.USERS_ADMIN,
    ("GET", "/parties/mandates"): _R,
    ("POST", "/parties/mandates"): _W,
    ("POST", "/parties/mandates/{mandate_id}/revoke"): _W,
    ("GET", "/parties/clients"): _W,
    # cargo: manifests, arrival, bonded storage, holds (carriers write their own; customs read all)
    ("POST", "/cargo/manifests"): Scope.CARGO_WRITE,
    ("GET", "/cargo/manifests"): Scope.CARGO_READ,
    ("POST", "/cargo/manifests:cuscar"): Scope.CARGO_WRITE,
    ("GET", "/cargo/manifests/{manifest_id}"): Scope.CARGO_READ,
    ("PUT", "/cargo/manifests/{manifest_id}"): Scope.CARGO_WRITE,
    ("POST", "/cargo/manifests/{manifest_id}/arrival"): Scope.CARGO_WRITE,
    ("GET", "/cargo/bills/{key}"): Scope.CARGO_READ,
    ("POST", "/cargo/bills/{key}/carry-in"): Scope.CARGO_WRITE,
    ("POST", "/cargo/bills/{key}/carry-out"): Scope.CARGO_WRITE,
    ("POST", "/cargo/bills/{key}/holds"): Scope.CARGO_WRITE,
    ("POST", "/cargo/holds/{hold_id}/result"): Scope.CARGO_WRITE,
    ("GET", "/cargo/declarations/{declaration_id}/match"): Scope.CARGO_READ,
    ("GET", "/cargo/undeclared"): Scope.CARGO_READ,
    ("GET", "/cargo/sheds/{shed}/stock"): Scope.CARGO_READ,
    # travellers: advance passenger data, read by the traveller unit only
    ("POST", "/travellers/messages"): Scope.TRAVELLERS_WRITE,
    ("POST", "/travellers/messages/paxlst"): Scope.TRAVELLERS_WRITE,
    ("GET", "/travellers/passengers/{passenger_id}"): Scope.TRAVELLERS_READ,
    ("GET", "/travellers/flights/{flight_number}/{arrival_date}"): Scope.TRAVELLERS_READ,
    ("POST", "/travellers/watchlists/{name}"): Scope.TRAVELLERS_WRITE,
    ("GET", "/travellers/watchlists"): Scope.TRAVELLERS_READ,
    ("POST", "/travellers/flights/{flight_number}/{arrival_date}/screening"): Scope.TRAVELLERS_WRITE,
    ("GET", "/travellers/passengers/{passenger_id}/hits"): Scope.TRAVELLERS_READ,
    ("POST", "/travellers/hits/{hit_id}/decision"): Scope.TRAVELLERS_WRITE,
    ("GET", "/travellers/flights/{flight_number}/{arrival_date}/selection"): Scope.TRAVELLERS_READ,
    ("POST", "/travellers/passengers/{passenger_id}/checks"): Scope.TRAVELLERS_WRITE,
    ("GET", "/travellers/passengers/{passenger_id}/checks"): Scope.TRAVELLERS_READ,
    ("POST", "/travellers/model/training"): Scope.TRAVELLERS_WRITE,
    ("GET", "/travellers/passengers/{passenger_id}/declarations"): Scope.TRAVELLERS_READ,
    ("GET", "/travellers/rules"): Scope.TRAVELLERS_READ,
    ("POST", "/travellers/rules"): Scope.TRAVELLERS_WRITE,
}


def operation_of(request: Request) -> tuple[str, str]:
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    return request.method.upper(), path.removeprefix(PREFIX)


def require_operation_scope(
    request: Request, response: Response, session: SessionDep, runtime: RuntimeDep
) -> Principal | None:
    """Router dependency: the caller's token must hold the scope this operation requires (public operations
    need no credential)."""
    operation = operation_of(request)
    if operation in PUBLIC:
        return None
    principal = get_principal(request, response, session, runtime)
    if operation in SELF_SERVICE:
        return principal
    scope = REQUIRED.get(operation)
    if scope is None:
        raise Forbidden(f"{operation[0]} {operation[1]} has no scope assigned (clearway.web.scopes.REQUIRED)")
    principal.require_scope(scope)
    return principal
