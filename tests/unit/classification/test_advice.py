"""The warning a filer sees when the declared code does not fit the description."""

from __future__ import annotations

from clearway.classification.results import CodeCheck
from clearway.classification.step import advice_for


def test_unlikely_code_gives_a_pointed_warning_naming_better_codes():
    check = CodeCheck("8517130000", 0.97, True, ["330410", "851713", "330499"])
    advice = advice_for(2, "립스틱 (lipstick), 3.5 g", check, "fast", "hs-x")
    assert advice is not None
    assert advice.pointer == "/items/2/commodity_code" and advice.code == "commodity_code_unlikely"
    assert "3304.10" in advice.message and "3304.99" in advice.message and "8517.13" not in advice.message
    assert advice.risk_signal == 0.97
    assert advice.details["suggested_hs6"] == ["330410", "330499"]


def test_plausible_or_unchecked_codes_give_no_warning():
    assert advice_for(0, "shoes", CodeCheck("6403990000", 0.1, False, ["640399"]), "fast", "v") is None
    assert (
        advice_for(0, "shoes", CodeCheck("9999990000", None, False, [], "unknown_code"), "fast", "v") is None
    )
