"""Which characters a customs document accepts, pure: one rule for the API, web forms and every file input.

* Control characters (C0 except tab/LF/CR, DEL, C1) are never meaningful in a customs document.
* Invisible and bidirectional-control characters (zero-width space/joiners, word joiner, BOM, LRM/RLM/ALM,
  embeddings, overrides and isolates) make two values look alike or display in another order than stored
  ("Trojan Source"); they are refused in free text rather than silently stripped, so what is stored is what
  the filer saw.
* Identifiers (references, document numbers) are normalised to NFKC (fullwidth ``ＺＷ－１３６３６`` becomes
  ``ZW-13636``) and restricted to letters A-Z/a-z, digits and ``- / . _ :`` with inner spaces, so invisibly
  different references cannot name different declarations.
"""

from __future__ import annotations

import re
import unicodedata

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
INVISIBLE = re.compile(
    r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
IDENTIFIER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 ./_:-]*[A-Za-z0-9./_:-])?")


def unsafe_character(value: str) -> tuple[str, str] | None:
    """(code, message) naming the first unacceptable character of free text, or None."""
    found = CONTROL.search(value)
    if found:
        return (
            "control_character",
            f"contains the control character U+{ord(found.group()):04X}, which is not accepted",
        )
    found = INVISIBLE.search(value)
    if found:
        name = unicodedata.name(found.group(), "unnamed")
        return (
            "invisible_character",
            f"contains the invisible or text-direction character "
            f"U+{ord(found.group()):04X} ({name}), which is not accepted",
        )
    return None


def normalise_identifier(value: str) -> tuple[str, tuple[str, str] | None]:
    """The NFKC form of a reference, and (code, message) when it holds characters outside the identifier
    set."""
    problem = unsafe_character(value)
    if problem:
        return value, problem
    normal = unicodedata.normalize("NFKC", value).strip()
    if not IDENTIFIER.fullmatch(normal):
        return normal, ("bad_identifier", "a reference holds only letters A-Z, digits, spaces and - / . _ :")
    return normal, None
