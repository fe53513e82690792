"""The filing form's fields ↔ the declaration document: what the form files is what the JSON API receives, and
a validation error's pointer names its form field."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from clearway.declaration import form as core
from clearway.web import i18n
from tests.documents import broker_declaration, import_declaration

value = st.text(alphabet="ABCXYZ0189 -.가나", min_size=1, max_size=12).map(str.strip).filter(bool)


def _object(names: tuple[str, ...], required: tuple[str, ...] = ()) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {n: value for n in required}, optional={n: value for n in names if n not in required}
    )


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    document: dict[str, Any] = draw(_object(core.HEAD_FIELDS))
    for party in core.PARTIES:
        if draw(st.booleans()):
            document[party] = draw(_object(core.PARTY_FIELDS, ("name",)))
    if draw(st.booleans()):
        document["consignment"] = draw(_object(core.CONSIGNMENT_FIELDS, ("port",)))
    items = []
    for n in range(1, draw(st.integers(0, 4)) + 1):
        item = draw(_object(tuple(f for f in core.ITEM_FIELDS if f != "valuation_method"), ("description",)))
        if draw(st.booleans()):
            item["valuation_method"] = draw(st.integers(1, 6))
        if draw(st.booleans()):
            item["preference"] = draw(_object(core.PREFERENCE_FIELDS, ("agreement",)))
        items.append({"line_number": n, **item})
    document["items"] = items
    rows = draw(st.lists(_object(core.DOCUMENT_FIELDS, ("reference",)), max_size=3))
    if rows:
        document["documents"] = rows
    return document


@given(documents())
def test_a_document_shown_in_the_form_files_as_the_same_document(document: dict[str, Any]) -> None:
    assert core.document_from_fields(core.fields_from_document(document)) == document


def test_the_test_documents_survive_the_form_unchanged() -> None:
    for document in (import_declaration("F-1"), broker_declaration("F-2")):
        assert core.document_from_fields(core.fields_from_document(document)) == document


def test_empty_fields_parties_and_lines_are_left_out_and_lines_numbered_in_order() -> None:
    fields = {
        "kind": "import",
        "seller-name": "  ",
        "seller-country": "",
        "items-3-description": "Tea",
        "items-3-preference-agreement": "",
        "items-7-description": "",
        "items-9-description": "Cups",
        "items-9-valuation_method": "2",
        "documents-0-kind": "invoice",
        "documents-0-reference": "INV-1",
    }
    assert core.document_from_fields(fields) == {
        "kind": "import",
        "items": [
            {"line_number": 1, "description": "Tea"},
            {"line_number": 2, "description": "Cups", "valuation_method": 2},
        ],
        "documents": [{"kind": "invoice", "reference": "INV-1"}],
    }


def test_an_error_pointer_names_its_field_or_the_first_field_of_its_object() -> None:
    names = core.header_names() + core.item_names(0) + core.item_names(1) + core.document_names(0)
    assert core.field_for_pointer("/items/1/commodity_code", names) == "items-1-commodity_code"
    assert core.field_for_pointer("/items/0/preference/certificate_reference", names) == (
        "items-0-preference-certificate_reference"
    )
    assert core.field_for_pointer("/seller", names) == "seller-name"  # a missing party: its first field
    assert core.field_for_pointer("/items/1/preference", names) == "items-1-preference-agreement"
    assert core.field_for_pointer("/documents/0/issue_date", names) == "documents-0-issue_date"
    assert core.field_for_pointer("/items", names) == "items-0-description"
    assert core.field_for_pointer("", names) is None
    assert core.field_for_pointer("/items/5/quantity", names) is None  # no such line on the form: the summary


def test_removing_a_row_renumbers_the_others_and_keeps_their_values() -> None:
    fields = {
        "kind": "import",
        "items-0-description": "A",
        "items-2-description": "C",
        "items-2-preference-agreement": "KORUS",
        "items-5-description": "F",
        "documents-4-reference": "D",
    }
    assert core.renumbered(fields, "items", drop=2) == {
        "kind": "import",
        "items-0-description": "A",
        "items-1-description": "F",
        "documents-4-reference": "D",
    }
    assert core.renumbered(fields, "documents")["documents-0-reference"] == "D"


def test_every_field_of_the_form_has_a_label_in_both_languages() -> None:
    segments = {n.split("-")[-1] for n in core.header_names() + core.item_names(0)}
    segments |= {"document_kind", "document_reference", "issue_date", "issuer", "party"}
    missing = sorted(s for s in segments if f"form.f.{s}" not in i18n.STRINGS)
    assert missing == []
    assert all(all(i18n.STRINGS[f"form.f.{s}"]) for s in segments)
