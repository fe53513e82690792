"""Evidence paths: section → chapter → heading → subheading → national line."""

from __future__ import annotations

from clearway.classification.hierarchy import bundled_hierarchy


def test_path_of_a_national_line():
    path = bundled_hierarchy().path("1302191210")
    assert [s.level for s in path] == ["section", "chapter", "heading", "subheading", "national"]
    assert [s.code for s in path] == ["II", "13", "1302", "130219", "1302191210"]
    assert "extract" in path[2].description.lower()
    assert "홍삼" in path[-1].description_ko
    assert path[-1].as_dict()["level"] == "national"


def test_path_of_an_hs6_and_of_unknown_codes():
    h = bundled_hierarchy()
    assert [s.level for s in h.path("640399")] == ["section", "chapter", "heading", "subheading"]
    assert h.path("0000000000") == []
    assert h.known("640399") and not h.known("6403990001")


def test_every_hs6_has_a_description_and_lines_nest_under_it():
    h = bundled_hierarchy()
    assert len(h.hs6_codes) > 5600
    for hs6, codes in list(h.lines_by_hs6.items())[:500]:
        assert all(c.startswith(hs6) for c in codes)
