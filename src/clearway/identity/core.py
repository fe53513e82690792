"""Roles, scopes and who may see what. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from clearway.errors import FieldError, Forbidden, ValidationFailed


class Role(StrEnum):
    TRADER = "trader"
    BROKER = "broker"
    OFFICER = "officer"
    RISK_ANALYST = "risk_analyst"
    ADMIN = "admin"
    RIGHT_HOLDER = "right_holder"  # a trademark owner (or its agent) with rights recorded with customs
    CARRIER = "carrier"  # a carrier or forwarder: submits manifests, reports arrival and bonded storage
    TRAVELLER_OFFICER = "traveller_officer"


class Scope(StrEnum):
    DECLARATIONS_READ = "declarations:read"
    DECLARATIONS_WRITE = "declarations:write"
    DECISIONS_WRITE = "decisions:write"
    RISK_READ = "risk:read"
    RISK_WRITE = "risk:write"
    TARIFF_READ = "tariff:read"
    TARIFF_WRITE = "tariff:write"
    USERS_ADMIN = "users:admin"
    IPR_READ = "ipr:read"
    IPR_WRITE = "ipr:write"
    PARCELS_READ = "parcels:read"
    PARCELS_WRITE = "parcels:write"
    CODES_ADMIN = "codes:admin"
    PARCELS_INSPECT = "parcels:inspect"
    WEBHOOKS_WRITE = "webhooks:write"
    ORIGIN_READ = "origin:read"
    ORIGIN_WRITE = "origin:write"
    CLASSIFICATION_READ = "classification:read"
    CARGO_READ = "cargo:read"
    CARGO_WRITE = "cargo:write"
    TRAVELLERS_READ = "travellers:read"
    TRAVELLERS_WRITE = "travellers:write"
    MESSAGING_ADMIN = "messaging:admin"  # webhook dead letters: list and replay (administrators)


COMPANY_ROLES = frozenset({Role.TRADER, Role.BROKER, Role.RIGHT_HOLDER, Role.CARRIER})
CUSTOMS_ROLES = frozenset({Role.OFFICER, Role.RISK_ANALYST, Role.ADMIN, Role.TRAVELLER_OFFICER})

_FILER = frozenset(
    {
        Scope.DECLARATIONS_READ,
        Scope.DECLARATIONS_WRITE,
        Scope.TARIFF_READ,
        Scope.WEBHOOKS_WRITE,
        Scope.ORIGIN_READ,
        Scope.ORIGIN_WRITE,
        Scope.CLASSIFICATION_READ,
    }
)
ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.TRADER: _FILER,
    Role.BROKER: _FILER,
    Role.OFFICER: frozenset(
        {
            Scope.DECLARATIONS_READ,
            Scope.DECISIONS_WRITE,
            Scope.TARIFF_READ,
            Scope.RISK_READ,
            Scope.ORIGIN_READ,
            Scope.ORIGIN_WRITE,
            Scope.CLASSIFICATION_READ,
        }
    ),
    Role.RISK_ANALYST: frozenset(
        {
            Scope.DECLARATIONS_READ,
            Scope.RISK_READ,
            Scope.RISK_WRITE,
            Scope.TARIFF_READ,
            Scope.ORIGIN_READ,
            Scope.CLASSIFICATION_READ,
        }
    ),
    Role.ADMIN: frozenset(Scope),
    # The traveller unit: the only officers who see passenger data (API and PNR).
    Role.TRAVELLER_OFFICER: frozenset(
        {Scope.TRAVELLERS_READ, Scope.TRAVELLERS_WRITE, Scope.DECLARATIONS_READ, Scope.TARIFF_READ}
    ),
}
# Direct-purchase parcels (clearway.parcel): carriers are trading companies (express carriers, the post)
# that submit parcel lists; officers read parcels and administer personal customs codes (one additive block).
for _role, _extra in (
    (Role.TRADER, {Scope.PARCELS_READ, Scope.PARCELS_WRITE}),
    (Role.BROKER, {Scope.PARCELS_READ, Scope.PARCELS_WRITE}),
    (Role.OFFICER, {Scope.PARCELS_READ, Scope.CODES_ADMIN, Scope.PARCELS_INSPECT}),
):
    ROLE_SCOPES[_role] = ROLE_SCOPES[_role] | _extra

# IPR (지식재산권): officers record holds and decide; right holders record marks and answer holds; importers
# (traders, brokers) see the holds of their declarations and submit evidence.
IPR_ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.TRADER: frozenset({Scope.IPR_READ, Scope.IPR_WRITE}),
    Role.BROKER: frozenset({Scope.IPR_READ, Scope.IPR_WRITE}),
    Role.OFFICER: frozenset({Scope.IPR_READ, Scope.IPR_WRITE}),
    Role.RIGHT_HOLDER: frozenset({Scope.IPR_READ, Scope.IPR_WRITE}),
}
ROLE_SCOPES = {
    role: ROLE_SCOPES.get(role, frozenset()) | IPR_ROLE_SCOPES.get(role, frozenset()) for role in Role
}

# Cargo (issue 12): carriers and forwarders submit manifests and report storage; officers screen and hold cargo.
ROLE_SCOPES[Role.CARRIER] = frozenset({Scope.CARGO_READ, Scope.CARGO_WRITE})
ROLE_SCOPES[Role.OFFICER] = ROLE_SCOPES[Role.OFFICER] | {Scope.CARGO_READ, Scope.CARGO_WRITE}
ROLE_SCOPES[Role.RISK_ANALYST] = ROLE_SCOPES[Role.RISK_ANALYST] | {Scope.CARGO_READ}


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is making a request: resolved from a session cookie or a bearer token."""

    user_id: int
    username: str
    role: Role
    company_id: int | None
    scopes: frozenset[Scope]
    token_expires_at: datetime | None = None

    @property
    def is_customs(self) -> bool:
        return self.role in CUSTOMS_ROLES

    def require_scope(self, scope: Scope) -> None:
        if scope not in self.scopes:
            raise Forbidden(f"this credential lacks the scope '{scope.value}'", required_scope=scope.value)

    def require_role(self, *roles: Role) -> None:
        if self.role not in roles:
            names = ", ".join(r.value for r in roles)
            raise Forbidden(f"only {names} may do this; you are {self.role.value}")

    def sees_company(self, company_id: int | None) -> bool:
        """Traders and brokers see only their own company's records; customs sees all."""
        return self.is_customs or (self.company_id is not None and self.company_id == company_id)


_SCOPE_NAMES = frozenset(s.value for s in Scope)


def scopes_for(role: Role, requested: list[str] | None = None) -> frozenset[Scope]:
    """A token's scopes: what the role allows, narrowed to what was requested."""
    allowed = ROLE_SCOPES[role]
    if requested is None:
        return allowed
    unknown = sorted(s for s in requested if s not in _SCOPE_NAMES)
    if unknown:
        raise ValidationFailed(
            "unknown scope(s): " + ", ".join(unknown),
            errors=[FieldError("/scopes", "unknown_scope", f"one of {', '.join(sorted(_SCOPE_NAMES))}")],
        )
    wanted = {Scope(s) for s in requested}
    if not wanted <= allowed:
        extra = ", ".join(sorted(s.value for s in wanted - allowed))
        raise Forbidden(f"a {role.value} cannot hold the scope(s) {extra}")
    return frozenset(wanted)
