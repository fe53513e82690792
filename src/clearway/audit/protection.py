"""PostgreSQL privileges that make the audit table append-only for the application's database role.

The owner (who runs migrations) keeps every right; the application role may SELECT and INSERT audit events and
update only the chain head. Used by migration 0012 and testable on its own.
"""

from __future__ import annotations

import re

_ROLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def _quoted(role: str) -> str:
    if not _ROLE.fullmatch(role):
        raise ValueError(f"not a plain PostgreSQL role name: {role!r}")
    return f'"{role}"'


def protect_statements(app_role: str | None) -> list[str]:
    statements = ["REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM PUBLIC"]
    if app_role:
        role = _quoted(app_role)
        statements += [
            f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM {role}",
            f"GRANT SELECT, INSERT ON audit_event TO {role}",
            f"GRANT SELECT, UPDATE ON audit_chain_head TO {role}",
        ]
    return statements


def unprotect_statements(app_role: str | None) -> list[str]:
    if not app_role:
        return []
    return [f"GRANT UPDATE, DELETE ON audit_event TO {_quoted(app_role)}"]
