"""Who may file for whom: the pure binding rules."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from clearway.demo.parties import valid_brn
from clearway.party import core
from clearway.party.core import Account, MandateScope, MandateTerms

TRADER = Account(1, "Hanbit", valid_brn("120811234"), "trader")
BROKER = Account(2, "Seoul Brokerage", valid_brn("214863456"), "broker")
CLIENT = Account(3, "Gangnam Footwear", valid_brn("211812345"), "trader")
DAY = date(2026, 11, 20)
nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


@given(nine_digits)
def test_a_completed_brn_passes_and_any_other_last_digit_fails(first_nine: str) -> None:
    brn = valid_brn(first_nine)
    assert core.brn_errors(brn) == []
    assert core.brn_errors(f"{brn[:3]}-{brn[3:5]}-{brn[5:]}") == []  # the printed form
    for wrong in set("0123456789") - {brn[9]}:
        assert [e.code for e in core.brn_errors(brn[:9] + wrong)] == ["invalid_business_registration_number"]


def test_customs_code_format() -> None:
    assert core.customs_code_errors("HANBT1998000101") == []
    assert core.customs_code_errors("P123456789012") == []
    for bad in ("HANB1998000101", "hanbt1998000101", "HANBT19980001011", "12345"):
        assert [e.code for e in core.customs_code_errors(bad)] == ["bad_customs_code"], bad


def _bind(
    signed_in: Account,
    party_brn: str | None,
    mandates: list[MandateTerms],
    kind: str = "import",
    day: date = DAY,
    declarant: str | None = None,
) -> tuple[core.Binding | None, list[str]]:
    binding, errors = core.bind(
        kind=kind,
        role="importer" if kind == "import" else "exporter",
        signed_in=signed_in,
        named_declarant_brn=declarant,
        named_party_brn=party_brn,
        day=day,
        mandates=mandates,
    )
    return binding, [f"{e.pointer}:{e.code}" for e in errors]


def test_a_trader_files_for_itself_only() -> None:
    binding, errors = _bind(TRADER, TRADER.brn, [])
    assert errors == [] and binding is not None and binding.party == TRADER and binding.declarant == TRADER
    assert _bind(TRADER, CLIENT.brn, [])[1] == ["/importer/brn:not_your_company"]
    assert _bind(TRADER, TRADER.brn, [], declarant=CLIENT.brn)[1] == ["/declarant/brn:not_your_company"]
    assert _bind(TRADER, None, [])[1] == ["/importer/brn:required"]


def test_a_broker_files_for_a_client_only_under_a_mandate_valid_that_day_for_that_kind() -> None:
    mandate = MandateTerms(CLIENT, date(2026, 1, 1), date(2026, 12, 31), MandateScope.IMPORT)
    binding, errors = _bind(BROKER, CLIENT.brn, [mandate])
    assert errors == [] and binding is not None and binding.party == CLIENT and binding.declarant == BROKER
    assert _bind(BROKER, CLIENT.brn, [])[1] == ["/importer/brn:no_mandate"]
    assert _bind(BROKER, CLIENT.brn, [mandate], day=date(2027, 1, 1))[1] == ["/importer/brn:no_mandate"]
    assert _bind(BROKER, CLIENT.brn, [mandate], day=date(2025, 12, 31))[1] == ["/importer/brn:no_mandate"]
    assert _bind(BROKER, CLIENT.brn, [mandate], kind="export")[1] == ["/exporter/brn:no_mandate"]
    assert _bind(BROKER, BROKER.brn, [mandate])[1] == ["/importer/brn:no_mandate"]  # not its own client


@given(st.integers(-400, 400), st.integers(0, 400), st.one_of(st.none(), st.integers(-400, 400)))
def test_a_mandate_is_valid_exactly_within_its_dates_and_before_its_revocation(
    start: int, length: int, revoked: int | None
) -> None:
    base = date(2026, 1, 1)
    terms = MandateTerms(
        CLIENT,
        base + timedelta(start),
        base + timedelta(start + length),
        MandateScope.BOTH,
        None if revoked is None else base + timedelta(revoked),
    )
    for offset in (start - 1, start, start + length, start + length + 1):
        day = base + timedelta(offset)
        expected = start <= offset <= start + length and (revoked is None or offset < revoked)
        assert terms.valid_on(day, "import") is expected
        assert (_bind(BROKER, CLIENT.brn, [terms], day=day)[0] is not None) is expected
