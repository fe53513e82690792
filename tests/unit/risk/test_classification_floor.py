"""The classification floor: an unlikely declared code is checked, with a reason an officer can read."""

from __future__ import annotations

from clearway.declaration.lifecycle import Lane
from clearway.declaration.steps import Advice
from clearway.risk.selection import Decision
from clearway.risk.step import UNLIKELY_CRITERION, classification_floor

UNLIKELY = Advice(
    "/items/0/commodity_code",
    "commodity_code_unlikely",
    "8471300000 is unlikely for 'Men's leather shoes'",
    0.97,
    {"suggested_hs6": ["640399"]},
)


def test_an_unlikely_code_raises_green_to_yellow_with_the_reason():
    raised = classification_floor(Decision(Lane.GREEN, "none", 0.01, []), [UNLIKELY])
    assert (raised.lane, raised.method) == (Lane.YELLOW, "classification")
    assert raised.reasons[0]["code"] == UNLIKELY_CRITERION
    assert raised.reasons[0]["message"].startswith("declared code unlikely: description suggests 6403.99")


def test_red_stays_red_and_other_advice_changes_nothing():
    red = classification_floor(Decision(Lane.RED, "model", 0.99, []), [UNLIKELY])
    assert red.lane is Lane.RED and red.method == "model" and len(red.reasons) == 1
    other = Advice("/items/0/origin_country", "origin_unverified", "no certificate", 0.0)
    assert classification_floor(Decision(Lane.GREEN, "none", 0.01, []), [other]).lane is Lane.GREEN
