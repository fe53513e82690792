"""The filing form's fields ↔ the declaration document (pure).

A form field is named after the JSON pointer of the document field it fills, with ``-`` for ``/``:
``consignment-port`` is ``/consignment/port``, ``items-1-preference-agreement`` is
``/items/1/preference/agreement``. So a validation error's pointer names its form field
(:func:`field_for_pointer`), and the form files exactly the document the JSON API would receive
(:func:`document_from_fields`): empty fields are left out, an empty party or preference claim is absent, goods
lines are numbered 1, 2, 3 … in the order shown, and numbers stay the strings typed (the parser reads them as
Decimal).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

PARTIES = ("declarant", "importer", "exporter", "seller", "buyer")
PARTY_FIELDS = ("name", "brn", "address", "country")
CONSIGNMENT_FIELDS = ("transport_mode", "transport_document", "arrival_date", "customs_office", "port")
ITEM_FIELDS = (
    "description",
    "commodity_code",
    "origin_country",
    "quantity",
    "quantity_unit",
    "net_mass_kg",
    "invoice_amount",
    "currency",
    "incoterm",
    "freight",
    "insurance",
    "valuation_method",
    "use_type",
)
PREFERENCE_FIELDS = ("agreement", "certificate_reference")
DOCUMENT_FIELDS = ("kind", "reference", "issue_date", "issuer")
HEAD_FIELDS = ("kind", "declarant_reference")
MAX_ROWS = 999  # the document's own limit on goods lines (content.MAX_ITEMS)

_ROW = re.compile(r"^(items|documents)-(\d{1,3})-")


def header_names() -> list[str]:
    names = list(HEAD_FIELDS)
    names += [f"{p}-{f}" for p in PARTIES for f in PARTY_FIELDS]
    names += [f"consignment-{f}" for f in CONSIGNMENT_FIELDS]
    return names


def item_names(index: int) -> list[str]:
    return [f"items-{index}-{f}" for f in ITEM_FIELDS] + [
        f"items-{index}-preference-{f}" for f in PREFERENCE_FIELDS
    ]


def document_names(index: int) -> list[str]:
    return [f"documents-{index}-{f}" for f in DOCUMENT_FIELDS]


def row_indexes(fields: Mapping[str, str], container: str) -> list[int]:
    """The row numbers the form posted for ``items`` or ``documents``, in order (gaps allowed)."""
    seen = {int(m.group(2)) for name in fields if (m := _ROW.match(name)) and m.group(1) == container}
    return sorted(i for i in seen if i < MAX_ROWS)


def _text(fields: Mapping[str, str], name: str) -> str:
    value = fields.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _object(fields: Mapping[str, str], prefix: str, names: Iterable[str]) -> dict[str, Any]:
    return {n: v for n in names if (v := _text(fields, f"{prefix}-{n}"))}


def item_of(fields: Mapping[str, str], index: int) -> dict[str, Any]:
    """One goods line as the form has it (without its line number); empty when nothing was typed."""
    item: dict[str, Any] = _object(fields, f"items-{index}", ITEM_FIELDS)
    method = item.get("valuation_method")
    if isinstance(method, str) and method.isdigit() and len(method) < 4:
        item["valuation_method"] = int(method)
    preference = _object(fields, f"items-{index}-preference", PREFERENCE_FIELDS)
    if preference:
        item["preference"] = preference
    return item


def document_from_fields(fields: Mapping[str, str]) -> dict[str, Any]:
    """The declaration document the form describes, as the JSON API would receive it."""
    document: dict[str, Any] = {n: v for n in HEAD_FIELDS if (v := _text(fields, n))}
    for party in PARTIES:
        value = _object(fields, party, PARTY_FIELDS)
        if value:
            document[party] = value
    consignment = _object(fields, "consignment", CONSIGNMENT_FIELDS)
    if consignment:
        document["consignment"] = consignment
    items = [item for i in row_indexes(fields, "items") if (item := item_of(fields, i))]
    document["items"] = [{"line_number": n, **item} for n, item in enumerate(items, start=1)]
    documents = [
        d
        for i in row_indexes(fields, "documents")
        if (d := _object(fields, f"documents-{i}", DOCUMENT_FIELDS))
    ]
    if documents:
        document["documents"] = documents
    return document


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def fields_from_document(document: Mapping[str, Any]) -> dict[str, str]:
    """The form's fields filled from a document (a draft, a declaration to copy, a JSON paste)."""
    fields: dict[str, str] = {n: _shown(document.get(n)) for n in HEAD_FIELDS if document.get(n) is not None}
    for party in PARTIES:
        value = document.get(party)
        if isinstance(value, Mapping):
            fields.update(
                {f"{party}-{f}": _shown(value[f]) for f in PARTY_FIELDS if value.get(f) is not None}
            )
    consignment = document.get("consignment")
    if isinstance(consignment, Mapping):
        fields.update(
            {
                f"consignment-{f}": _shown(consignment[f])
                for f in CONSIGNMENT_FIELDS
                if consignment.get(f) is not None
            }
        )
    for index, item in enumerate(_rows(document.get("items"))):
        fields.update({f"items-{index}-{f}": _shown(item[f]) for f in ITEM_FIELDS if item.get(f) is not None})
        preference = item.get("preference")
        if isinstance(preference, Mapping):
            fields.update(
                {
                    f"items-{index}-preference-{f}": _shown(preference[f])
                    for f in PREFERENCE_FIELDS
                    if preference.get(f) is not None
                }
            )
    for index, row in enumerate(_rows(document.get("documents"))):
        fields.update(
            {f"documents-{index}-{f}": _shown(row[f]) for f in DOCUMENT_FIELDS if row.get(f) is not None}
        )
    return fields


def _rows(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)][:MAX_ROWS] if isinstance(value, list) else []


def field_for_pointer(pointer: str, names: Iterable[str]) -> str | None:
    """The form field an error at ``pointer`` belongs to: the field itself, or the first field inside the object
    the pointer names (a missing party → its name); None when no field of the form is there (the summary
    shows it)."""
    name = "-".join(part for part in pointer.split("/") if part)
    known = list(names)
    if name in known:
        return name
    if not name:
        return None
    return next((n for n in known if n.startswith(name + "-")), None)


def renumbered(fields: Mapping[str, str], container: str, drop: int | None = None) -> dict[str, str]:
    """The fields with the rows of ``container`` numbered 0, 1, 2 … again, row ``drop`` removed."""
    kept = [i for i in row_indexes(fields, container) if i != drop]
    order = {old: new for new, old in enumerate(kept)}
    out: dict[str, str] = {}
    for name, value in fields.items():
        m = _ROW.match(name)
        if m and m.group(1) == container:
            old = int(m.group(2))
            if old in order:
                out[f"{container}-{order[old]}-{name[m.end() :]}"] = value
        else:
            out[name] = value
    return out
