"""Requirements confirmed by customs at import (세관장확인대상, 관세법 제226조) likely for an HS code (pure).

The requirements are data (``data/sme/import_requirements.json``): each entry names the HS prefixes it covers
(chapters, headings or longer), the prefixes it leaves out, the authority, the law it rests on and the documents
that prove it. A code gets every entry one of whose prefixes it starts with and none of whose exceptions it
starts with. Nothing here reads a file: the shell loads the table and passes it in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    prefixes: tuple[str, ...]
    exceptions: tuple[str, ...]
    name_en: str
    name_ko: str
    authority: str
    legal_basis: str
    documents_en: str
    documents_ko: str

    def covers(self, code: str) -> bool:
        return any(code.startswith(p) for p in self.prefixes) and not any(
            code.startswith(e) for e in self.exceptions
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name_en": self.name_en,
            "name_ko": self.name_ko,
            "authority": self.authority,
            "legal_basis": self.legal_basis,
            "documents_en": self.documents_en,
            "documents_ko": self.documents_ko,
        }


def parse(table: Mapping[str, Any]) -> tuple[Requirement, ...]:
    """The entries of the table; a prefix must be 2 to 10 digits."""
    out = []
    for e in table["entries"]:
        prefixes = tuple(str(p) for p in e["hs"])
        exceptions = tuple(str(p) for p in e.get("except", ()))
        for p in (*prefixes, *exceptions):
            if not (p.isdigit() and 2 <= len(p) <= 10):
                raise ValueError(f"requirement {e['id']}: '{p}' is not an HS prefix of 2 to 10 digits")
        out.append(
            Requirement(
                e["id"],
                prefixes,
                exceptions,
                e["name_en"],
                e["name_ko"],
                e["authority"],
                e["legal_basis"],
                e["documents_en"],
                e["documents_ko"],
            )
        )
    return tuple(out)


def for_code(code: str, requirements: Iterable[Requirement]) -> list[Requirement]:
    """The requirements that cover ``code`` (digits only; dots and spaces are ignored), in table order."""
    digits = "".join(ch for ch in code if ch.isdigit())
    if len(digits) < 2:
        return []
    return [r for r in requirements if r.covers(digits)]
