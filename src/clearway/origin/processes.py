"""Specific processes (가공공정기준): the process vocabulary of the rule texts, and matching declared processes.

A process rule such as "Weaving combined with making-up, including cutting of fabric" becomes an AND of
OR-groups of canonical keywords — ``(("weaving",), ("making-up",))`` — and is met when the producer's declared
processes cover every group. A text with a condition keywords cannot express ("at least two finishing
operations", a value limit) is not turned into keywords: it stays a condition to attest.
"""

from __future__ import annotations

import re

# Process vocabulary: canonical keyword -> pattern found in rule texts and in declared processes.
PROCESS_WORDS: dict[str, str] = {
    "yarn dyeing": r"yarn[- ]dyeing",
    "dyeing": r"(?<!yarn )(?<!yarn-)dyeing|\bdyed\b",
    "spinning": r"spinning",
    "extrusion": r"extrusion",
    "twisting": r"twisting",
    "texturing": r"texturi[sz]ing",
    "weaving": r"weaving|\bwoven\b",
    "knitting": r"knitting|knit to shape",
    "crocheting": r"crocheting",
    "tufting": r"tufting",
    "flocking": r"flocking",
    "nonwoven fabric formation": r"non-?woven fabric formation",
    "making-up": r"making[- ]up",
    "printing": r"printing",
    "coating": r"coating",
    "laminating": r"laminating",
    "metalising": r"metali[sz]ing",
    "impregnating": r"impregnating",
    "covering": r"\bcovering",
    "embroidery": r"embroider",
    "fabric formation": r"fabric[- ]making process|fabric formation",
    "chemical reaction": r"chemical reaction",
    "purification": r"purification",
    "mixing": r"mixing",
    "blending": r"blending",
    "production of standard materials": r"production of standard materials",
    "change in particle size": r"change in particle size",
    "isomer separation": r"isomer separation",
    "biotechnological processing": r"biotechnological process",
    "refining": r"refining",
    "distillation": r"distillation",
    "crushing": r"crushing",
    "grinding": r"grinding",
    "smoking": r"\bsmok(?:ing|ed)\b",
    "retreading": r"retreading",
    "beading": r"beading",
    "moulding": r"moulding|molding",
    "alloying": r"alloying",
    "electrolytic separation": r"electrolytic, thermal or chemical separation|electrolytic separation",
    "thermal treatment": r"thermal or electrolytic treatment|thermal treatment",
    "cell manufacture": r"cell manufacture",
    "cell activation": r"cell activation",
    "melt and pour": r"melt and pour",
    "powdering": r"made into powder",
    "glazing": r"glazing",
    "assembly": r"\bassembl(?:y|ed)\b",
}
_PROCESS_RES = {name: re.compile(p, re.I) for name, p in PROCESS_WORDS.items()}
_JOINERS = re.compile(r"\b(?:combined with|accompanied by|preceded by|followed by|and subsequent)\b", re.I)


def process_groups(text: str) -> tuple[tuple[str, ...], ...] | None:
    """'Weaving combined with making-up, including cutting' -> (('weaving',), ('making-up',)); None if a part
    names no known process or the text carries a condition that keywords cannot express."""
    if re.search(r"at least|provided|not exceed|%|\bexcept\b|\bunless\b", text, re.I):
        return None
    groups = []
    for part in _JOINERS.split(text):
        part = re.split(r"\bincluding\b", part, maxsplit=1, flags=re.I)[0]
        found = tuple(name for name, rx in _PROCESS_RES.items() if rx.search(part))
        if not found:
            return None
        groups.append(found)
    return tuple(groups) or None


def declared_processes(processes: list[str] | tuple[str, ...]) -> frozenset[str]:
    """Map free-text declared processes onto the canonical keywords."""
    out = set()
    for p in processes:
        for name, rx in _PROCESS_RES.items():
            if rx.search(p) or p.strip().lower() == name:
                out.add(name)
    return frozenset(out)
