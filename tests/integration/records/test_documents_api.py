"""Trade documents through the API: a released import's certificate, an export's certificate, the payment
receipt and the monthly statement, each read back from the PDF; the public verification of a code and a file."""

from __future__ import annotations

import io
import random
from datetime import date

import pytest
from pypdf import PdfReader

from clearway.assessment.step import TariffAssessment
from clearway.declaration.lifecycle import Lane
from clearway.declaration.steps import FilingSteps
from clearway.demo.scenario import export_declaration
from clearway.tariff import service as tariff
from clearway.uow import unit_of_work
from tests.documents import import_declaration
from tests.steps import FixedLane

URL = "/api/v1/declarations"


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


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _released(client, auth, reference="DOC-1"):  # type: ignore[no-untyped-def]
    document = import_declaration(reference)
    d = client.post(URL, json=document, headers=auth("trader")).json()
    assert d["status"] == "accepted", d
    assert client.post(f"{URL}/{d['id']}/payment-order/pay", headers=auth("trader")).json()["applied"]
    assert client.post(f"{URL}/{d['id']}/release", headers=auth("officer")).json()["status"] == "released"
    return client.get(f"{URL}/{d['id']}", headers=auth("trader")).json()


def test_import_certificate_carries_every_field_and_verifies(client, auth, lanes):
    d = _released(client, auth)
    r = client.get(f"{URL}/{d['id']}/certificate.pdf", headers=auth("trader"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    code = r.headers["x-verification-code"]
    text = _text(r.content)
    assert "수입신고필증" in text and "Import Declaration Certificate" in text
    item = d["content"]["items"][0]
    line = d["assessment"]["lines"][0]
    for value in (
        "HDMU12345678",
        item["commodity_code"],
        "Notebook computer, 14-inch",
        "Shenzhen Everbright Trading Co.",
        "KRPUS",
        "INV-1",
        "관세법 제30조",  # the valuation's legal basis
        "국고금 관리법" if "국고금 관리법" in str(line) else "관세법",
        "녹색(전자수리) green",
        f"{int(d['assessment']['total_due_krw']):,} KRW",
        code,
        d["number"],
    ):
        assert value in text, value
    for figure in line["figures"]:
        assert figure["name_ko"] in text and f"{int(figure['amount_krw']):,} KRW" in text
    # Issuing again returns the same document (same code, same bytes).
    again = client.get(f"{URL}/{d['id']}/certificate.pdf", headers=auth("trader"))
    assert again.headers["x-verification-code"] == code and again.content == r.content

    # Anyone, without signing in, can check the code and the file.
    assert client.get(f"/api/v1/verify/{code}").json() == {
        "code": code,
        "genuine": True,
        "kind": "import_certificate",
        "issued_on": "2026-11-20",
    }
    assert client.get(f"/api/v1/verify/{code.lower().replace('-', '')}").json()["genuine"] is True
    checked = client.post("/api/v1/verify", params={"code": code}, content=r.content).json()
    assert checked["genuine"] is True and checked["unchanged"] is True
    changed = (
        r.content.replace(b"HDMU12345678", b"HDMU12345679") if b"HDMU" in r.content else r.content + b" "
    )
    altered = client.post("/api/v1/verify", params={"code": code}, content=changed).json()
    assert altered["genuine"] is True and altered["unchanged"] is False
    by_file = client.post("/api/v1/verify", content=r.content).json()
    assert by_file["genuine"] is True and by_file["unchanged"] is True and by_file["code"] == code
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert client.get(f"/api/v1/verify/{forged}").json()["genuine"] is False
    # The verification answer reveals nothing of the content.
    assert "HDMU" not in client.get(f"/api/v1/verify/{code}").text


def test_certificate_only_for_a_released_import_and_only_for_its_companies(client, auth, lanes):
    lanes.lane = Lane.YELLOW
    d = client.post(URL, json=import_declaration("DOC-2"), headers=auth("trader")).json()
    r = client.get(f"{URL}/{d['id']}/certificate.pdf", headers=auth("trader"))
    assert r.status_code == 409 and "released" in r.json()["detail"]
    lanes.lane = Lane.GREEN
    done = _released(client, auth, "DOC-3")
    assert client.get(f"{URL}/{done['id']}/certificate.pdf", headers=auth("trader2")).status_code == 404
    assert client.get(f"{URL}/{done['id']}/certificate.pdf", headers=auth("officer")).status_code == 200
    assert client.get(f"{URL}/{done['id']}/certificate.pdf").status_code == 401


def test_export_certificate(client, auth, lanes):
    document = export_declaration(random.Random(3), 7, date(2026, 11, 20))
    d = client.post(URL, json=document, headers=auth("trader")).json()
    assert d["status"] in ("accepted", "paid"), d  # nothing due on an export
    r = client.get(f"{URL}/{d['id']}/certificate.pdf", headers=auth("trader"))
    assert r.status_code == 200, r.text
    text = _text(r.content)
    assert "수출신고필증" in text and "Export Declaration Certificate" in text
    assert document["buyer"]["name"] in text and document["items"][0]["commodity_code"] in text
    assert (
        client.get(f"/api/v1/verify/{r.headers['x-verification-code']}").json()["kind"]
        == "export_certificate"
    )


def test_receipt_and_monthly_statement(client, auth, lanes):
    d = _released(client, auth, "DOC-4")
    total = int(d["assessment"]["total_due_krw"])
    r = client.get(f"{URL}/{d['id']}/receipt.pdf", headers=auth("trader"))
    assert r.status_code == 200, r.text
    text = _text(r.content)
    assert "납부영수증" in text and "Receipt of Payment" in text
    assert f"{total:,} KRW" in text and "SIM-" in text  # the bank simulator's reference
    s = client.get("/api/v1/statements/2026-11.pdf", headers=auth("trader"))
    assert s.status_code == 200, s.text
    text = _text(s.content)
    assert "월별 관세 등 납부 명세서" in text and "Hanbit" in text and "2026-11" in text
    assert f"{total:,} KRW" in text
    assert client.get("/api/v1/statements/2026-13.pdf", headers=auth("trader")).status_code == 422
    empty = client.get("/api/v1/statements/2026-10.pdf", headers=auth("trader"))
    assert empty.status_code == 200 and "신고 건수 / Declarations 0" in _text(empty.content)
    code = s.headers["x-verification-code"]
    assert client.get(f"/api/v1/documents/{code}.pdf", headers=auth("trader")).content == s.content
    assert client.get(f"/api/v1/documents/{code}.pdf", headers=auth("trader2")).status_code == 404
