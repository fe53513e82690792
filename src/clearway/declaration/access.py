"""Who may see and who may change a declaration: the one access rule, pure.

* **See**: customs sees every declaration; a company sees what it filed and what a broker filed in its name
  (the importer or exporter named as a party, read only). Another company's declaration is reported as absent
  (404), so its existence does not leak.
* **Change** (amend, cancel, attach, pay): only the filing company.

:meth:`clearway.declaration.service.DeclarationService.visible` / ``owned`` / ``get`` apply it to a stored
declaration (with the ``declarations:read`` scope for reading); other domains reach declarations through that
service or, when they read a declaration row of their own query, through :func:`may_see`.
"""

from __future__ import annotations

from typing import Protocol

from clearway.identity.core import Principal


class Owned(Protocol):
    """What the rule reads of a declaration: the filing company and the company named as its party."""

    @property
    def filer_company_id(self) -> int | None: ...

    @property
    def party_company_id(self) -> int | None: ...


def may_see(principal: Principal, declaration: Owned) -> bool:
    """Customs, the filing company, or the company a broker filed for."""
    return principal.sees_company(declaration.filer_company_id) or principal.sees_company(
        declaration.party_company_id
    )


def may_change(principal: Principal, declaration: Owned) -> bool:
    """Only the filing company changes a declaration (a broker's client reads it)."""
    return principal.company_id is not None and declaration.filer_company_id == principal.company_id
