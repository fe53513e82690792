"""The certificate-of-origin and verification-case pages through the app: an e-CO registered from the page
shows its boxes and what is left after a declaration drew on it; a scan's doubtful fields come back to be
confirmed beside the document kept in the form; errors stand next to their field and nothing is stored; a
company sees only its own certificates (another's is a 404 page); an officer opens a verification case from
a declaration's line, records it sent and answered, and the page shows the consequence.

Same demo tariff and e-CO as the API tests (microwave ovens from China, KR-CN FCN1 4 %, basic A 8 %)."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from benchmarks.origin.scan_set import as_pdf, records, scan
from clearway.assessment.step import TariffAssessment
from clearway.cargo.step import ManifestHold
from clearway.declaration.steps import FilingSteps
from clearway.origin.verification import CertificateVerifier
from clearway.web.pages.security import csrf_for
from tests.integration.origin.test_electronic_certificates import ECO, NUMBER, file, ovens

API = "/api/v1"
RCEP = records()[3]


@pytest.fixture
def steps() -> FilingSteps:
    return FilingSteps(assessment=TariffAssessment(CertificateVerifier()), hold_checks=(ManifestHold(),))


@pytest.fixture
def as_user(client, tokens, runtime):  # type: ignore[no-untyped-def]
    """``as_user("trader")`` → the CSRF token of that user's web session (the client now carries its cookie)."""

    def sign_in(username: str) -> str:
        client.cookies.set("clearway_session", tokens[username])
        return csrf_for(runtime.settings.secret_key, tokens[username])

    return sign_in


def post(client: Any, url: str, csrf: str, fields: dict[str, str], files: Any = None) -> Any:
    return client.post(url, data={"csrf_token": csrf, **fields}, files=files, follow_redirects=False)


def register_eco(client: Any, csrf: str, document: dict[str, Any] | None = None) -> int:
    response = post(
        client, "/origin/certificates/electronic", csrf, {"eco_json": json.dumps(document or ECO)}, files={}
    )
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/origin/certificates/(\d+)\?notice=registered", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def text_of(html: str) -> str:
    """The page's words without tags and runs of spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_e_co_registered_on_the_page_shows_its_boxes_and_what_is_left(client, auth, as_user, demo_tariff):  # type: ignore[no-untyped-def]
    csrf = as_user("trader")
    assert "Register a certificate" in client.get("/origin/certificates/new").text
    certificate_id = register_eco(client, csrf)

    page = client.get(f"/origin/certificates/{certificate_id}?notice=registered")
    assert page.status_code == 200
    words = text_of(page.text)
    assert "The certificate was registered." in words
    assert "Certificate of origin K263300012345" in words
    assert "China Council for the Promotion of International Trade" in words
    assert "Electronic (e-CO)" in words
    assert re.search(r'data-testid="left-1">500 U', page.text)
    assert "No declaration has drawn on this certificate yet." in words

    filed = file(client, auth, ovens("OV-PAGE-1", "300"))
    page = client.get(f"/origin/certificates/{certificate_id}")
    assert re.search(r'data-testid="left-1">200 U', page.text)
    uses = re.search(r'<ul id="certificate-uses">(.*?)</ul>', page.text, re.S)
    assert uses and f'href="/declarations/{filed["id"]}"' in uses.group(1) and "OV-PAGE-1" in uses.group(1)
    assert "line 1, version 1: 300" in text_of(uses.group(1))

    listed = client.get("/origin/certificates")
    row = re.search(r'<table class="table" id="certificates">.*?</table>', listed.text, re.S)
    assert row and NUMBER in row.group(0) and "200 U" in row.group(0)
    # the declaration page links its preference to the certificate
    declaration = client.get(f"/declarations/{filed['id']}").text
    assert f'href="/origin/certificates/{certificate_id}"' in declaration

    korean = client.get(f"/origin/certificates/{certificate_id}?lang=ko").text
    assert "원산지증명서 K263300012345" in korean and "이 증명서를 사용한 신고" in korean


def test_another_company_s_certificate_is_not_found_and_customs_sees_every_one(client, as_user):  # type: ignore[no-untyped-def]
    certificate_id = register_eco(client, as_user("trader"))

    as_user("trader2")
    other = client.get(f"/origin/certificates/{certificate_id}")
    assert other.status_code == 404 and NUMBER not in other.text
    assert NUMBER not in client.get("/origin/certificates").text
    found = client.get(f"/origin/certificates?reference={NUMBER}").text
    assert 'id="certificates"' not in found and "No certificate of origin yet." in found

    as_user("officer")
    assert client.get(f"/origin/certificates/{certificate_id}").status_code == 200
    assert NUMBER in client.get("/origin/certificates").text
    # the carrier registers no certificate: no page to do it
    as_user("carrier")
    assert client.get("/origin/certificates/new").status_code == 403


def test_e_co_errors_stand_next_to_the_field_and_nothing_is_stored(client, as_user):  # type: ignore[no-untyped-def]
    csrf = as_user("trader")
    broken = post(client, "/origin/certificates/electronic", csrf, {"eco_json": '{"agreement": "KR-CN",'}, {})
    assert broken.status_code == 422
    assert 'id="eco-json" name="eco_json"' in broken.text and 'aria-invalid="true"' in broken.text
    error = re.search(r'<p class="field-error" id="e-eco-json">(.*?)</p>', broken.text, re.S)
    assert error and "line 1, column 23" in error.group(1)
    assert "{&#34;agreement&#34;: &#34;KR-CN&#34;," in broken.text  # what was typed is kept

    wrong = copy.deepcopy(ECO)
    wrong["issuing_authority"]["country"] = "JP"
    wrong["items"][0]["origin_criterion"] = "XX"
    refused = post(client, "/origin/certificates/electronic", csrf, {"eco_json": json.dumps(wrong)}, {})
    assert refused.status_code == 422
    section = re.search(
        r'<section class="card stack" aria-labelledby="eco-h".*?</section>', refused.text, re.S
    )
    assert section
    words = text_of(section.group(0))
    assert "/issuing_authority/country" in words and "JP is not an exporting Party of KR-CN" in words
    assert "/items/0/origin_criterion" in words and "line 1" in words
    assert NUMBER not in client.get("/origin/certificates").text

    no_file = post(client, "/origin/certificates/upload", csrf, {"agreement": "KR-CN"}, {})
    assert no_file.status_code == 422
    assert re.search(r'<p class="field-error" id="e-file"><code>/file</code>', no_file.text)


def test_a_scan_s_doubtful_fields_are_confirmed_beside_the_kept_document_then_by_the_officer(
    client, auth, as_user
):  # type: ignore[no-untyped-def]
    csrf = as_user("trader")
    pdf = as_pdf(scan(RCEP, 1))  # tilted, blurred, stamped: some fields are read badly
    asked = post(
        client,
        "/origin/certificates/upload",
        csrf,
        {},
        files={"file": ("rcep-scan.pdf", pdf, "application/pdf")},
    )
    assert asked.status_code == 422, asked.text
    assert "was read by OCR and these fields need the officer" in asked.text
    doubtful = re.findall(r'<tr class="doubtful" data-doubtful="true" data-field="([a-z_]+)">', asked.text)
    assert "reference" in doubtful
    kept = re.search(r'<input type="hidden" name="document" value="([^"]+)">', asked.text)
    assert kept, "the document is kept in the form"
    assert "rcep-scan.pdf is kept" in asked.text
    # the reference's own field carries its error; the other required doubtful fields carry theirs
    assert re.search(r'id="e-reference"><code>/reference</code>', asked.text)
    required = re.findall(r'<p class="field-error" id="e-c-([a-z_]+)"><code>/', asked.text)
    assert required and set(required) < set(doubtful)
    inputs = dict(re.findall(r'name="confirm\.([a-z_]+)" value="([^"]*)"', asked.text))
    done = post(
        client,
        "/origin/certificates/upload",
        csrf,
        {
            "document": kept.group(1),
            "filename": "rcep-scan.pdf",
            "reference": RCEP.truth["reference"],
            **{f"confirm.{name}": str(RCEP.truth.get(name) or inputs[name]) for name in required},
        },
        files={},
    )
    assert done.status_code == 303, done.text
    url = done.headers["location"].split("?")[0]
    page = client.get(url).text
    assert "Certificate of origin RCEP-CN-2026-000381" in text_of(page)
    assert "Read by OCR from a scan" in page
    row = re.search(r'<tr data-field="reference">.*?</tr>', page, re.S)
    assert row and "1.00" in row.group(0) and "confirmed" in row.group(0)
    # what was not required stays doubtful, highlighted; only an officer is offered to confirm it
    still = re.findall(r'<tr class="doubtful" data-doubtful="true" data-field="([a-z_]+)">', page)
    assert still and not set(still) & {"reference", *required}
    assert 'id="confirm-form"' not in page

    csrf = as_user("officer")
    page = client.get(url).text
    offered = dict(re.findall(r'name="confirm\.([a-z_]+)" value="([^"]*)"', page))
    assert offered and set(offered) <= set(still)
    name = next(n for n in offered if n.endswith("_date"))  # this scan misreads the invoice date
    wrong = post(client, f"{url}/confirm", csrf, {f"confirm.{name}": "31/31/2026"})
    assert wrong.status_code == 422
    assert re.search(rf'<p class="field-error" id="e-cf-{name}"><code>/{name}</code>', wrong.text)
    assert 'value="31/31/2026"' in wrong.text  # what was typed is kept
    value = str(RCEP.truth.get(name) or "2026-03-02")
    confirmed = post(client, f"{url}/confirm", csrf, {f"confirm.{name}": value})
    assert confirmed.status_code == 303 and confirmed.headers["location"].endswith("?notice=confirmed")
    page = client.get(confirmed.headers["location"]).text
    assert "The fields were confirmed." in page
    row = re.search(rf'<tr data-field="{name}">.*?</tr>', page, re.S)
    assert row and "1.00" in row.group(0) and "confirmed" in row.group(0)
    assert name not in re.findall(r'data-doubtful="true" data-field="([a-z_]+)"', page)
    # the API confirms the same way, for officers only
    api = f"{API}{url}/confirm"
    assert client.post(api, json={name: value}, headers=auth("trader")).status_code == 403
    answer = client.post(api, json={"agreement": "KORUS"}, headers=auth("officer"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["pointer"] == "/agreement"


def test_an_officer_opens_a_case_from_the_declaration_and_a_denial_re_assesses_it(
    client, auth, as_user, demo_tariff
):  # type: ignore[no-untyped-def]
    certificate_id = register_eco(client, as_user("trader"))
    filed = file(client, auth, ovens("OV-CASE-1", "300"))
    assert "Request verification" not in client.get(f"/declarations/{filed['id']}").text
    assert client.get("/origin/cases").status_code == 403

    csrf = as_user("officer")
    declaration = client.get(f"/declarations/{filed['id']}").text
    link = re.search(r'href="(/origin/cases/new\?[^"]+)">Request verification', declaration)
    assert link, "the officer is offered a verification request on the claimed line"
    form = client.get(link.group(1).replace("&amp;", "&")).text
    assert f'name="certificate_id" inputmode="numeric" required value="{certificate_id}"' in form
    assert f'name="declaration_id" inputmode="numeric" value="{filed["id"]}"' in form

    fields = {"certificate_id": str(certificate_id), "declaration_id": str(filed["id"]), "line_number": "1"}
    missing = post(client, "/origin/cases", csrf, {**fields, "grounds": ""})
    assert missing.status_code == 422 and re.search(r'id="e-grounds"><code>/grounds</code>', missing.text)
    opened = post(
        client,
        "/origin/cases",
        csrf,
        {
            **fields,
            "grounds": "producer capacity does not match",
            "questions": "Assembled from originating parts?",
        },
    )
    assert opened.status_code == 303
    case_url = opened.headers["location"].split("?")[0]
    page = text_of(client.get(case_url).text)
    assert "Open" in page and "producer capacity does not match" in page
    assert "Assembled from originating parts?" in page and "HS 8516500000 · Microwave ovens" in page
    assert "Verification case" in client.get("/origin/cases").text
    assert f'href="{case_url}"' in client.get(f"/declarations/{filed['id']}").text

    early = post(client, f"{case_url}/answer", csrf, {"result": "denied", "answer": "no"})
    assert early.status_code == 409  # not sent yet: the page says why
    assert post(client, f"{case_url}/send", csrf, {"sent_reference": "KCS-OV-1"}).status_code == 303
    no_result = post(client, f"{case_url}/answer", csrf, {"answer": "not issued for these goods"})
    assert no_result.status_code == 422 and re.search(r'id="e-result"><code>/result</code>', no_result.text)
    assert "not issued for these goods" in no_result.text  # what was typed is kept
    answered = post(
        client, f"{case_url}/answer", csrf, {"result": "denied", "answer": "not issued for these goods"}
    )
    assert answered.status_code == 303
    page = client.get(case_url).text
    outcome = text_of(
        re.search(r'<section class="card" aria-labelledby="outcome-h".*?</section>', page, re.S).group(0)
    )  # type: ignore[union-attr]
    assert "the certificate is withdrawn and the duty re-assessed" in outcome
    assert f"#{filed['id']} · re-assessed as version 2" in outcome
    assert post(client, f"{case_url}/close", csrf, {"note": ""}).status_code == 303
    assert "Closed" in text_of(client.get(case_url).text)
    assert case_url not in client.get("/origin/cases").text  # the queue holds cases not closed
    assert case_url in client.get("/origin/cases?status=closed").text

    as_user("trader")
    assert client.get(case_url).status_code == 403
    now = client.get(f"{API}/declarations/{filed['id']}", headers=auth("trader")).json()
    assert now["version"] == 2 and now["assessment"]["lines"][0]["preference"]["granted"] is False


def test_a_confirmed_answer_shows_the_preference_kept(client, auth, as_user, demo_tariff):  # type: ignore[no-untyped-def]
    certificate_id = register_eco(client, as_user("trader"))
    filed = file(client, auth, ovens("OV-CASE-2", "100"))
    csrf = as_user("officer")
    opened = post(
        client, "/origin/cases", csrf, {"certificate_id": str(certificate_id), "grounds": "random check"}
    )
    case_url = opened.headers["location"].split("?")[0]
    post(client, f"{case_url}/send", csrf, {"sent_reference": "KCS-2"})
    post(client, f"{case_url}/answer", csrf, {"result": "confirmed", "answer": "genuine"})
    page = text_of(client.get(case_url).text)
    assert "The origin is confirmed: the preference is kept." in page
    now = client.get(f"{API}/declarations/{filed['id']}", headers=auth("trader")).json()
    assert now["version"] == 1
    bad = post(client, "/origin/cases", csrf, {"certificate_id": "abc", "grounds": "x"})
    assert bad.status_code == 422 and re.search(r'id="e-cert"><code>/certificate_id</code>', bad.text)


def test_the_declarant_sees_the_verification_on_its_declaration_page_and_another_company_nothing(
    client, auth, as_user, demo_tariff
):  # type: ignore[no-untyped-def]
    certificate_id = register_eco(client, as_user("trader"))
    filed = file(client, auth, ovens("OV-CASE-3", "300"))
    case = client.post(
        f"{API}/origin/verification-cases",
        json={
            "certificate_id": certificate_id,
            "declaration_id": filed["id"],
            "line_number": 1,
            "grounds": "producer capacity does not match",
        },
        headers=auth("officer"),
    ).json()
    url = f"/origin/verification-cases/{case['id']}"
    client.post(f"{API}{url}/send", json={"sent_reference": "KCS-OV-3"}, headers=auth("officer"))

    as_user("trader")
    page = client.get(f"/declarations/{filed['id']}").text
    shown = text_of(re.search(rf'<span data-testid="case-{case["id"]}">.*?</span>', page, re.S).group(0))  # type: ignore[union-attr]
    assert f"Verification case {case['id']} (Sent to the authority)" in shown
    assert "producer capacity" not in page and f'href="/origin/cases/{case["id"]}"' not in page

    client.post(
        f"{API}{url}/answer",
        json={"result": "denied", "answer": "not issued for these goods"},
        headers=auth("officer"),
    )
    page = text_of(client.get(f"/declarations/{filed['id']}").text)
    assert "(Answered: Denied) — the origin is denied: the certificate is withdrawn." in page
    assert "This declaration was re-assessed without the preference as version 2." in page
    assert (
        "producer capacity" not in page
    )  # the authority's answer is the refusal's reason; the grounds stay inside

    as_user("trader2")
    assert client.get(f"/declarations/{filed['id']}").status_code == 404
