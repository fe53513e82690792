"""Trade statistics through the API: the refresh job applies only what changed, published cells of fewer than
three companies are suppressed, a company sees its own figures in full, exports in CSV and Parquet, FTA
utilisation per agreement."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from clearway.assessment.step import TariffAssessment
from clearway.declaration.lifecycle import Lane
from clearway.declaration.steps import FilingSteps
from clearway.demo.parties import COMPANIES
from clearway.tariff import service as tariff
from clearway.uow import unit_of_work
from tests.documents import broker_declaration, daehan_declaration, import_declaration, party
from tests.steps import FixedLane

URL = "/api/v1/declarations"
STATS = "/api/v1/trade-statistics"
GANGNAM = next(c for c in COMPANIES if c.key == "gangnam-footwear")


@pytest.fixture
def lanes() -> FixedLane:
    return FixedLane()


@pytest.fixture
def steps(lanes: FixedLane) -> FilingSteps:
    return FilingSteps(lane_selector=lanes, assessment=TariffAssessment())


@pytest.fixture(autouse=True)
def demo_tariff(runtime, tariff_sessions, clock):  # type: ignore[no-untyped-def]
    with unit_of_work(runtime.sessions) as session:
        tariff.load_demo_tariff(session, now=clock())


def _file(client, auth, user, document):  # type: ignore[no-untyped-def]
    r = client.post(URL, json=document, headers=auth(user))
    assert r.status_code == 201, r.text
    return r.json()


def _refresh(client, auth):  # type: ignore[no-untyped-def]
    r = client.post(f"{STATS}/refresh", headers=auth("officer"))
    assert r.status_code == 200, r.text
    return r.json()


def _three_companies(client, auth):  # type: ignore[no-untyped-def]
    filed = [
        _file(client, auth, "trader", import_declaration("ST-1")),
        _file(client, auth, "trader", import_declaration("ST-2", **{"items__0__origin_country": "JP"})),
        _file(client, auth, "trader2", daehan_declaration("ST-3")),
        _file(
            client,
            auth,
            "broker",
            broker_declaration("ST-4", importer=party(GANGNAM), buyer=party(GANGNAM)),
        ),
    ]
    return filed


def test_refresh_is_incremental_and_published_cells_are_suppressed(client, auth, lanes):
    filed = _three_companies(client, auth)
    first = _refresh(client, auth)
    assert first["changed"] == 4 and first["declarations_counted"] == 4
    assert _refresh(client, auth)["changed"] == 0  # nothing new: nothing recomputed

    by_hs = client.get(STATS, params={"group": "hs4"}, headers=auth("trader")).json()
    (cell,) = by_hs["items"]
    assert cell["key"] == "8471" and cell["companies"] == 3 and cell["suppressed"] is False
    assert cell["declarations"] == 4 and cell["lanes"]["green"] == 4
    values = [Decimal(d["assessment"]["lines"][0]["customs_value_krw"]) for d in filed]
    assert Decimal(cell["value_krw"]) == sum(values)
    assert Decimal(cell["value_usd"]) == (sum(values) / 1400).quantize(Decimal("0.01"))  # DEMO USD 1,400
    assert Decimal(cell["net_mass_kg"]) == 4 * 160 and Decimal(cell["quantity"]) == 400

    by_country = client.get(STATS, params={"group": "country"}, headers=auth("trader")).json()
    assert [(c["key"], c["suppressed"]) for c in by_country["items"]] == [("CN", False), ("JP", True)]
    assert "value_krw" not in by_country["items"][1]  # one company: the figure is withheld
    own = client.get(STATS, params={"group": "country", "view": "own"}, headers=auth("trader")).json()
    assert {c["key"]: c["declarations"] for c in own["items"]} == {"CN": 1, "JP": 1}
    everything = client.get(STATS, params={"group": "country", "view": "all"}, headers=auth("officer")).json()
    assert {c["key"]: c["declarations"] for c in everything["items"]} == {"CN": 3, "JP": 1}
    assert client.get(STATS, params={"view": "all"}, headers=auth("trader")).status_code == 403

    # A new declaration moves only its own cells.
    _file(client, auth, "trader2", daehan_declaration("ST-5"))
    again = _refresh(client, auth)
    assert again["changed"] == 1 and again["declarations_counted"] == 5
    monthly = client.get(STATS, params={"group": "month"}, headers=auth("officer")).json()
    assert monthly["items"][0]["key"] == "2026-11" and monthly["items"][0]["declarations"] == 5


def test_a_declaration_is_counted_only_once_accepted(client, auth, lanes):
    lanes.lane = Lane.YELLOW
    pending = _file(client, auth, "trader", import_declaration("ST-P"))
    assert _refresh(client, auth)["declarations_counted"] == 0
    r = client.post(f"{URL}/{pending['id']}/decision", json={"decision": "accept"}, headers=auth("officer"))
    assert r.status_code == 200, r.text
    assert _refresh(client, auth)["changed"] == 1
    own = client.get(STATS, params={"group": "mode", "view": "own"}, headers=auth("trader")).json()
    (sea,) = own["items"]
    assert sea["key"] == "sea" and sea["lanes"]["yellow"] == 1 and sea["checked"] == 1 and sea["hits"] == 0


def test_paging_filters_and_exports(client, auth, lanes):
    _three_companies(client, auth)
    _refresh(client, auth)
    page = client.get(STATS, params={"group": "hs10", "page_size": 1}, headers=auth("officer")).json()
    assert page["total"] == 1 and len(page["items"]) == 1
    filtered = client.get(
        STATS, params={"group": "hs2", "country": "JP", "view": "all"}, headers=auth("officer")
    )
    assert filtered.json()["items"][0]["declarations"] == 1
    assert (
        client.get(STATS, params={"group": "hs2", "hs": "99"}, headers=auth("officer")).json()["items"] == []
    )
    bad = client.get(STATS, params={"group": "colour"}, headers=auth("officer"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "/group"

    text = client.get(f"{STATS}/export", params={"group": "country"}, headers=auth("trader")).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["key"], r["suppressed"], r["value_krw"]) for r in rows][1] == ("JP", "True", "")
    assert rows[0]["key"] == "CN" and int(rows[0]["declarations"]) == 3
    parquet = client.get(
        f"{STATS}/export",
        params={"group": "country", "format": "parquet", "view": "all"},
        headers=auth("officer"),
    )
    assert parquet.headers["content-type"] == "application/vnd.apache.parquet"
    table = pq.read_table(io.BytesIO(parquet.content)).to_pylist()
    assert {r["key"]: r["declarations"] for r in table} == {"CN": 3, "JP": 1}
    assert isinstance(table[0]["value_krw"], Decimal)


def test_fta_utilisation_per_agreement(client, auth, lanes):
    claim = {"agreement": "KR-CN", "certificate_reference": "KRCN-CO-0001"}
    documents = [
        {"kind": "invoice", "reference": "INV-1", "issue_date": "2026-11-05"},
        {"kind": "certificate_of_origin", "reference": "KRCN-CO-0001", "issue_date": "2026-11-05"},
    ]
    claimed = import_declaration("FT-1", **{"items__0__preference": claim, "documents": documents})
    _file(client, auth, "trader", claimed)
    _file(client, auth, "trader", import_declaration("FT-2"))
    _refresh(client, auth)
    fta = client.get(f"{STATS}/fta", params={"view": "own"}, headers=auth("trader")).json()
    china = next(a for a in fta["items"] if a["agreement"] == "KR-CN")
    assert china["eligible_lines"] == 2 and china["claimed_lines"] == 1
    assert china["utilisation_rate"] == 0.5
    published = client.get(f"{STATS}/fta", headers=auth("trader2")).json()
    assert next(a for a in published["items"] if a["agreement"] == "KR-CN")["suppressed"] is True
