"""The statistics' pure core: contributions add up, a change is applied as an exact delta, the rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from clearway.reference.codes import agreements
from clearway.statistics import core
from clearway.statistics.core import CELL_MEASURES, FTA_MEASURES

RATES = {"USD": Decimal(1400)}
PACTS = list(agreements().values())

items = st.builds(
    core.Item,
    commodity_code=st.sampled_from(["8471300000", "8471410000", "0201300000"]),
    country=st.sampled_from(["CN", "US", "JP", "VN"]),
    quantity=st.decimals(1, 10_000, places=4),
    net_mass_kg=st.decimals(1, 10_000, places=4),
    invoice_amount=st.decimals(1, 1_000_000, places=2),
    currency=st.just("USD"),
    customs_value_krw=st.one_of(st.none(), st.integers(1, 10**10).map(Decimal)),
    duty_krw=st.integers(0, 10**8).map(Decimal),
    taxes_krw=st.integers(0, 10**8).map(Decimal),
    claimed=st.sampled_from([None, "KR-CN", "KORUS"]),
    granted=st.booleans(),
)
sources = st.builds(
    core.Source,
    declaration_id=st.integers(1, 1000),
    version=st.integers(1, 5),
    kind=st.sampled_from(["import", "export"]),
    status=st.sampled_from(["filed", "accepted", "paid", "released", "under_inspection"]),
    lane=st.sampled_from(["green", "yellow", "red", "blue", None]),
    company_id=st.integers(1, 5),
    filed_on=st.dates(date(2025, 1, 1), date(2026, 12, 31)),
    office=st.sampled_from(["030", "040"]),
    mode=st.sampled_from(["sea", "air"]),
    checked=st.booleans(),
    hit=st.booleans(),
    items=st.lists(items, min_size=1, max_size=4).map(tuple),
)


@given(sources)
def test_a_counted_declaration_contributes_its_lines_and_values(source: core.Source) -> None:
    part = core.contribution(source, RATES, PACTS)
    if source.status not in core.COUNTED:
        assert part == {"cells": {}, "fta": {}}
        return
    cells = part["cells"].values()
    total = lambda name: sum(c[CELL_MEASURES.index(name)] for c in cells)  # noqa: E731
    assert total("lines") == len(source.items)
    assert total("value_krw") == sum(int(core.value_krw(i, RATES)) for i in source.items)
    assert total("duty_krw") == sum(int(i.duty_krw) for i in source.items)
    assert all(c[CELL_MEASURES.index("declarations")] == 1 for c in cells)
    assert all(c[CELL_MEASURES.index("hits")] <= c[CELL_MEASURES.index("checked")] for c in cells)
    for values in part["fta"].values():
        assert (
            values[FTA_MEASURES.index("claimed_value_krw")]
            <= values[FTA_MEASURES.index("eligible_value_krw")]
        )
        assert values[FTA_MEASURES.index("granted_lines")] <= values[FTA_MEASURES.index("claimed_lines")]


@given(sources, sources)
def test_applying_the_delta_turns_the_old_contribution_into_the_new(a: core.Source, b: core.Source) -> None:
    old = core.contribution(a, RATES, PACTS)["cells"]
    new = core.contribution(b, RATES, PACTS)["cells"]
    applied = {k: list(v) for k, v in old.items()}
    for key, change in core.delta(old, new).items():
        row = applied.setdefault(key, [0] * len(change))
        for i, v in enumerate(change):
            row[i] += v
    assert {k: v for k, v in applied.items() if any(v)} == {k: v for k, v in new.items() if any(v)}
    assert core.delta(new, new) == {}


def test_the_confidentiality_rule() -> None:
    assert core.suppressed(1) and core.suppressed(2) and not core.suppressed(3)
    assert core.MIN_COMPANIES == 3


def test_export_values_use_the_weeks_rate_and_usd_rounds_to_the_cent() -> None:
    item = core.Item(
        "8471300000",
        "DE",
        Decimal(1),
        Decimal(1),
        Decimal("10.50"),
        "USD",
        None,
        Decimal(0),
        Decimal(0),
        None,
        False,
    )
    assert core.value_krw(item, RATES) == Decimal(14700)
    assert core.usd_cents(Decimal(14700), Decimal(1400)) == 1050
    assert core.value_krw(item, {}) == 0  # no rate that week: no value rather than a wrong one


def test_a_line_saving_counts_what_an_fta_saved_or_would_have() -> None:
    from clearway.sme.core import line_saving

    mfn = {"rate_code": "A", "legal_basis": "관세법 별표", "duty_krw": "800"}
    fta = {"rate_code": "FEU1", "legal_basis": "FTA 관세특례법 제5조", "duty_krw": "0"}
    claimed = {"rates": {"candidates": [{**mfn, "status": "superseded"}, {**fta, "status": "applied"}]}}
    assert line_saving("D", claimed).saved_krw == 800
    unclaimed = {"rates": {"candidates": [{**mfn, "status": "applied"}, {**fta, "status": "not_claimed"}]}}
    missed = line_saving("D", unclaimed)
    assert missed.saved_krw == 0 and missed.missed_krw == 800 and missed.missed_rate == "FEU1"
    assert line_saving("D", {"rates": {"candidates": [{**mfn, "status": "applied"}]}}).missed_krw == 0
