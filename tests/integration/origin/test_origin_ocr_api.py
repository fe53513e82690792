"""Scanned certificates through the API: OCR, the same field reader, confirmation of doubtful fields."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from benchmarks.origin.scan_set import as_pdf, as_png, records, render, scan
from clearway.app import create_app
from clearway.origin.api import router
from clearway.runtime import Runtime

API = "/api/v1/origin"
KORUS, RCEP = records()[2], records()[3]


@pytest.fixture
def api(runtime: Runtime) -> Iterator[TestClient]:
    runtime.close = lambda: None  # type: ignore[method-assign]  # the engine is shared by the session
    app = create_app(runtime.settings, runtime=runtime)
    if not any(getattr(r, "path", "").startswith(API) for r in app.routes):
        app.include_router(router, prefix="/api/v1")
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _scanned(record_index: int) -> Image.Image:
    """The certificate printed and scanned flat at 150 dpi (no stamp or tilt)."""
    return render(records()[record_index]).resize((1240, 1754), Image.Resampling.LANCZOS)


def test_a_scanned_png_is_read_into_fields(api, auth) -> None:  # type: ignore[no-untyped-def]
    files = {"file": ("korus-scan.png", as_png(_scanned(2)), "image/png")}
    response = api.post(f"{API}/certificates/read", files=files, headers=auth("trader"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["source"] == "ocr" and body["agreement"] == "KORUS" and body["missing"] == []
    fields = body["fields"]
    assert fields["reference"]["value"] == KORUS.truth["reference"]
    assert fields["issue_date"]["value"] == "2026-01-05" and fields["certifier_role"]["value"] == "exporter"
    assert fields["origin_criterion"]["value"] == "CTH"
    assert body["items"][0]["hs6"] == "848180" and body["items"][0]["quantity"] == "1200"
    assert all(isinstance(f["needs_confirmation"], bool) for f in fields.values())
    assert body["needs_confirmation"] == [k for k, f in fields.items() if f["needs_confirmation"]]


def test_a_scanned_pdf_upload_asks_to_confirm_doubtful_fields(api, auth) -> None:  # type: ignore[no-untyped-def]
    pdf = as_pdf(scan(RCEP, 1))  # tilted, blurred, stamped: some fields are read badly
    files = {"file": ("rcep-scan.pdf", pdf, "application/pdf")}
    refused = api.post(f"{API}/certificates/upload", files=files, headers=auth("trader"))
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    doubtful = problem["needs_confirmation"]
    assert "reference" in doubtful and "'rcep-scan.pdf' was read by OCR" in problem["detail"]
    assert all(problem["reading"]["fields"][name]["needs_confirmation"] for name in doubtful)
    assert {e["pointer"] for e in problem["errors"]} == {f"/{name}" for name in doubtful}
    assert api.get(f"{API}/certificates", headers=auth("trader")).json() == []

    confirmations = {
        name: RCEP.truth.get(name) or problem["reading"]["fields"][name]["value"] for name in doubtful
    }
    files = {"file": ("rcep-scan.pdf", pdf, "application/pdf")}
    response = api.post(f"{API}/certificates/upload", files=files, data=confirmations, headers=auth("trader"))
    assert response.status_code == 201, response.text
    cert = response.json()["certificate"]
    assert cert["reference"] == "RCEP-CN-2026-000381" and cert["agreement"] == "RCEP"
    reading = response.json()["reading"]
    assert reading["fields"]["reference"]["label"] == "confirmed by the officer"
    assert reading["fields"]["reference"]["needs_confirmation"] is False


def test_an_unreadable_image_names_the_file(api, auth) -> None:  # type: ignore[no-untyped-def]
    files = {"file": ("torn.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg")}
    response = api.post(f"{API}/certificates/read", files=files, headers=auth("trader"))
    assert response.status_code == 422
    assert response.json()["type"].endswith("certificate-unreadable")
    assert "'torn.jpg' is not a readable PNG, JPEG or TIFF image" in response.json()["detail"]


def test_without_ocr_a_scan_gets_a_clear_problem(api, auth, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CLEARWAY_TESSERACT", "/nonexistent/tesseract")
    files = {"file": ("korus-scan.png", as_png(_scanned(2)), "image/png")}
    response = api.post(f"{API}/certificates/read", files=files, headers=auth("trader"))
    assert response.status_code == 503
    problem = response.json()
    assert problem["type"].endswith("ocr-unavailable") and problem["file"] == "korus-scan.png"
    assert "install Debian's tesseract-ocr" in problem["detail"]
