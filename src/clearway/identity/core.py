"""Roles, scopes and who may see what. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clearway.errors import Forbidden


class Role(StrEnum):
    TRADER = "trader"
    BROKER = "broker"
    OFFICER = "officer"
    RISK_ANALYST = "risk_analyst"
    ADMIN = "admin"
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
    TRAVELLERS_READ = "travellers:read"
    TRAVELLERS_WRITE = "travellers:write"


COMPANY_ROLES = frozenset({Role.TRADER, Role.BROKER})
CUSTOMS_ROLES = frozenset({Role.OFFICER, Role.RISK_ANALYST, Role.ADMIN, Role.TRAVELLER_OFFICER})

ROLE_SCOPES: dict[Role, frozenset[Scope]] = {
    Role.TRADER: frozenset({Scope.DECLARATIONS_READ, Scope.DECLARATIONS_WRITE, Scope.TARIFF_READ}),
    Role.BROKER: frozenset({Scope.DECLARATIONS_READ, Scope.DECLARATIONS_WRITE, Scope.TARIFF_READ}),
    Role.OFFICER: frozenset({Scope.DECLARATIONS_READ, Scope.DECISIONS_WRITE, Scope.TARIFF_READ, Scope.RISK_READ}),
    Role.RISK_ANALYST: frozenset({Scope.DECLARATIONS_READ, Scope.RISK_READ, Scope.RISK_WRITE, Scope.TARIFF_READ}),
    Role.ADMIN: frozenset(Scope),
    # The traveller unit: the only officers who see passenger data (API and PNR).
    Role.TRAVELLER_OFFICER: frozenset({Scope.TRAVELLERS_READ, Scope.TRAVELLERS_WRITE, Scope.DECLARATIONS_READ,
                                       Scope.TARIFF_READ}),
}


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is making a request: resolved from a session cookie or a bearer token."""

    user_id: int
    username: str
    role: Role
    company_id: int | None
    scopes: frozenset[Scope]

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


def scopes_for(role: Role, requested: list[str] | None = None) -> frozenset[Scope]:
    """A token's scopes: what the role allows, narrowed to what was requested."""
    allowed = ROLE_SCOPES[role]
    if requested is None:
        return allowed
    wanted = {Scope(s) for s in requested}
    if not wanted <= allowed:
        extra = ", ".join(sorted(s.value for s in wanted - allowed))
        raise Forbidden(f"a {role.value} cannot hold the scope(s) {extra}")
    return frozenset(wanted)
