"""Finding control characters in a parsed JSON document (pure)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clearway.web.control_characters import control_character_pointers

_clean = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cf")), max_size=8)
_documents = st.recursive(
    st.none() | st.booleans() | st.integers() | _clean,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_clean, inner, max_size=4),
    max_leaves=20,
)


@given(_documents)
def test_a_clean_document_has_no_pointers(document):
    assert list(control_character_pointers(document)) == []


def test_pointers_name_values_and_keys_with_escaping():
    document = {"a/b": ["ok", "bad\x00"], "c~": {"d\x1f": 1}, "e": "tab\tand\nline"}
    assert list(control_character_pointers(document)) == ["/a~1b/1", "/c~0/d\x1f"]
