"""The traveller's declaration: checked input, the allowance, simplified rates, separate allowances, the
self-declaration reduction, and what goes to the officer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearway.errors import ValidationFailed
from clearway.traveller.declaration import TravellerParameters, compute, read_declaration

PARAMS = TravellerParameters(Decimal(800), Decimal(30), Decimal(200_000), Decimal(10))
RATES = {"USD": Decimal(1400), "EUR": Decimal(1500), "KRW": Decimal(1)}


def fx(currency: str) -> Decimal | None:
    return RATES.get(currency)


def duty(data: dict[str, Any]) -> Any:
    return compute(read_declaration(data), PARAMS, fx)


def test_a_bag_over_the_allowance_at_the_simplified_rate_with_the_self_declaration_reduction() -> None:
    result = duty({"goods": [{"description": "handbag", "price": "1000", "currency": "USD", "quantity": 1}]})
    # 1,400,000 won - 1,120,000 allowance = 280,000 x 20% = 56,000; 30% reduced = 16,800 → 39,200
    assert result.total_krw == Decimal(39_200)
    assert any("1,120,000 won" in line and "제48조" in line for line in result.explanation)
    assert any("자진신고" in line for line in result.explanation)
    unreduced = duty(
        {"goods": [{"description": "handbag", "price": "1000", "currency": "USD"}], "self_declared": False}
    )
    assert unreduced.total_krw == Decimal(56_000)


def test_separate_allowances_for_alcohol_perfume_and_tobacco() -> None:
    free = duty(
        {
            "alcohol": [
                {"kind": "spirits", "bottles": 2, "litres": "1.5", "price": "300", "currency": "USD"}
            ],
            "perfume_ml": 100,
            "perfume_price": 150,
            "cigarettes": 200,
        }
    )
    assert free.total_krw == 0 and free.officer == []
    beyond = duty(
        {"alcohol": [{"kind": "spirits", "bottles": 3, "litres": "2.1", "price": "300", "currency": "USD"}]}
    )
    # 420,000: duty 84,000; liquor tax 72% of 504,000 = 362,880; education 30% = 108,864; VAT 10% of 975,744
    # = 97,574 → 653,318; reduction 30% of the duty 84,000 = 25,200 → 628,118 → 628,110
    assert beyond.total_krw == Decimal(628_110)
    tobacco = duty({"cigarettes": 400, "restricted": ["meat"], "cash": 12000, "cash_currency": "USD"})
    assert tobacco.cash_to_declare and len(tobacco.officer) == 3


@pytest.mark.parametrize(
    ("data", "pointer"),
    [
        ({"goods": [{"description": "watch", "price": "-5", "currency": "USD"}]}, "/goods/0/price"),
        ({"goods": [{"description": "", "price": "5", "currency": "USD"}]}, "/goods/0/description"),
        ({"goods": [{"description": "tea", "price": "5", "currency": "dollars"}]}, "/goods/0/currency"),
        (
            {"goods": [{"description": "tea", "price": "5", "currency": "USD", "quantity": 0}]},
            "/goods/0/quantity",
        ),
        (
            {"alcohol": [{"kind": "mead", "bottles": 1, "litres": 1, "price": 9, "currency": "USD"}]},
            "/alcohol/0/kind",
        ),
        ({"restricted": ["nuclear"]}, "/restricted"),
        ({"cigarettes": -1}, "/cigarettes"),
    ],
)
def test_bad_declarations_are_refused_naming_the_field(data: dict[str, Any], pointer: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        read_declaration(data)
    assert pointer in [e.pointer for e in refused.value.errors]


def test_a_currency_without_a_customs_rate_is_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        duty({"goods": [{"description": "tea", "price": "5", "currency": "THB"}]})
    assert refused.value.errors[0].code == "no_rate"


prices = st.decimals(min_value=1, max_value=5000, places=2)


@given(st.lists(prices, min_size=1, max_size=6), prices)
def test_declaring_one_more_good_never_lowers_the_duty(existing: list[Decimal], extra: Decimal) -> None:
    goods = [{"description": f"g{i}", "price": str(p), "currency": "USD"} for i, p in enumerate(existing)]
    before = duty({"goods": goods}).total_krw
    after = duty(
        {"goods": [*goods, {"description": "more", "price": str(extra), "currency": "EUR"}]}
    ).total_krw
    assert Decimal(0) <= before <= after
