"""The filing form's endpoints through the app: filing field by field files the same declaration as the JSON
API; errors land next to their fields; lines are added and removed by partials; the estimate follows the lines;
drafts are saved, resumed, listed and deleted by their own user only; HS codes are suggested by the classifier."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from clearway.assessment.step import TariffAssessment
from clearway.classification import registry
from clearway.declaration.form import fields_from_document
from clearway.declaration.steps import FilingSteps
from clearway.tariff import service as tariff
from clearway.uow import unit_of_work
from clearway.web.pages.security import csrf_for
from tests.documents import HANBIT, broker_declaration, import_declaration
from tests.integration.classification.conftest import (  # noqa: F401 - the session's tiny classifier
    serve,
    tiny_data,
    tiny_model,
    tiny_model_folder,
)
from tests.integration.tariff_fixtures import tariff_sessions  # noqa: F401 - the shared fixture
from tests.steps import FixedLane

API = "/api/v1/declarations"
FORM = "/declarations/form"


@pytest.fixture
def steps() -> FilingSteps:
    return FilingSteps(lane_selector=FixedLane(), assessment=TariffAssessment())


@pytest.fixture(autouse=True)
def demo_tariff(runtime, tariff_sessions, clock):  # type: ignore[no-untyped-def]  # noqa: F811
    with unit_of_work(runtime.sessions) as session:
        tariff.load_demo_tariff(session, now=clock())


@pytest.fixture
def as_user(client, tokens, runtime):  # type: ignore[no-untyped-def]
    """``as_user("trader")`` → the CSRF token of that user's web session (the client now carries its cookie)."""

    def sign_in(username: str) -> str:
        client.cookies.set("clearway_session", tokens[username])
        return csrf_for(runtime.settings.secret_key, tokens[username])

    return sign_in


def post(client: Any, url: str, csrf: str, fields: dict[str, str], **extra: str) -> Any:
    return client.post(url, data={"csrf_token": csrf, **fields, **extra}, follow_redirects=False)


def value_of(html: str, name: str) -> str | None:
    match = re.search(rf'<input id="f-{name}" name="{name}"[^>]* value="([^"]*)"', html)
    return match.group(1) if match else None


def selected(html: str, name: str) -> str | None:
    block = re.search(rf'<select id="f-{name}" name="{name}".*?</select>', html, re.S)
    chosen = re.search(r'<option value="([^"]*)" selected>', block.group(0)) if block else None
    return chosen.group(1) if chosen else None


def total(html: str) -> Decimal:
    """The estimate's total due, in won."""
    match = re.search(r'id="estimate-total">([\d,]+) KRW', html)
    assert match, html
    return Decimal(match.group(1).replace(",", ""))


def two_lines(reference: str) -> dict[str, Any]:
    document = import_declaration(reference)
    second = {
        **document["items"][0],
        "line_number": 2,
        "commodity_code": "6403999000",
        "description": "Leather shoes, rubber soles",
        "quantity": "40",
        "quantity_unit": "PR",
        "net_mass_kg": "32",
        "invoice_amount": "2400.00",
        "origin_country": "VN",
        "freight": "90.00",
        "insurance": "10.00",
    }
    return {**document, "items": [document["items"][0], second]}


def test_the_form_names_every_field_in_both_languages_with_sensible_defaults(client, as_user):  # type: ignore[no-untyped-def]
    as_user("trader")
    english = client.get(FORM, params={"lang": "en"})
    assert english.status_code == 200
    for label in (
        "Your reference",
        "Bill of lading / air waybill no.",
        "HS code (HSK 10 digits)",
        "Incoterm",
    ):
        assert label in english.text
    assert value_of(english.text, "declarant-name") == HANBIT.name
    assert selected(english.text, "items-0-currency") == "USD"
    assert selected(english.text, "consignment-customs_office") == "030"
    assert 'value="KRPUS" selected' in english.text
    korean = client.get(FORM, params={"lang": "ko"})
    for label in ("신고인 참조번호", "B/L(AWB) 번호", "세번부호 (HSK 10단위)", "인도조건", "원산지"):
        assert label in korean.text
    assert "대한민국" in korean.text  # the country list in Korean


def test_filing_by_the_form_and_by_the_json_api_gives_the_same_declaration(client, auth, as_user):  # type: ignore[no-untyped-def]
    document = two_lines("FORM-SAME-1")
    csrf = as_user("trader")
    filed = post(client, FORM, csrf, fields_from_document(document))
    assert filed.status_code == 303, filed.text
    declaration_id = int(re.search(r"/declarations/(\d+)\?notice=filed", filed.headers["location"]).group(1))
    client.cookies.clear()
    by_api = client.post(API, json=document, headers=auth("trader"))
    # the API recognises the form's declaration as the one it would have filed: the same content
    assert by_api.status_code == 200 and by_api.json()["id"] == declaration_id
    stored = client.get(f"{API}/{declaration_id}", headers=auth("trader")).json()
    assert [i["commodity_code"] for i in stored["content"]["items"]] == ["8471300000", "6403999000"]

    # and the other way round: filed by the API first, the form's filing is a replay of it
    other = two_lines("FORM-SAME-2")
    first = client.post(API, json=other, headers=auth("trader")).json()
    csrf = as_user("trader")
    again = post(client, FORM, csrf, fields_from_document(other))
    assert again.headers["location"] == f"/declarations/{first['id']}?notice=replayed"
    api_content = client.get(f"{API}/{first['id']}", headers=auth("trader")).json()["content"]
    form_content = client.get(f"{API}/{declaration_id}", headers=auth("trader")).json()["content"]
    assert {**api_content, "declarant_reference": "-"} == {**form_content, "declarant_reference": "-"}


def test_an_error_is_shown_next_to_its_field_and_focused_first(client, as_user):  # type: ignore[no-untyped-def]
    document = two_lines("FORM-ERR-1")
    document["items"][1]["commodity_code"] = "12345"
    document["consignment"]["transport_document"] = "AB"
    csrf = as_user("trader")
    answer = post(client, FORM, csrf, fields_from_document(document), lang="en")
    assert answer.status_code == 422
    html = answer.text
    assert (
        'id="f-items-1-commodity_code-error"' in html
        and 'id="f-consignment-transport_document-error"' in html
    )
    code_input = re.search(r'<input id="f-items-1-commodity_code"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in code_input and "f-items-1-commodity_code-error" in code_input
    assert 'data-focus="f-consignment-transport_document"' in html  # the first error on the page
    assert value_of(html, "items-1-commodity_code") == "12345"  # what was typed stays to be corrected
    assert "10 digits" in html


def test_a_missing_party_points_at_its_first_field(client, as_user):  # type: ignore[no-untyped-def]
    document = import_declaration("FORM-ERR-2")
    del document["seller"]
    csrf = as_user("trader")
    html = post(client, FORM, csrf, fields_from_document(document)).text
    assert 'id="f-seller-name-error"' in html


def test_lines_are_added_and_removed_and_the_estimate_follows(client, as_user):  # type: ignore[no-untyped-def]
    csrf = as_user("trader")
    fields = fields_from_document(import_declaration("FORM-ROWS-1"))
    added = post(client, f"{FORM}/rows", csrf, fields, op="add-item")
    assert added.status_code == 200
    html = added.text
    assert 'name="items-1-description"' in html and 'data-focus="f-items-1-description"' in html
    assert selected(html, "items-1-origin_country") == "CN"  # the new line starts with the previous terms
    assert 'id="estimate-body" hx-swap-oob="innerHTML"' in html
    assert "still missing" in html  # line 2 has no code yet

    two = fields_from_document(two_lines("FORM-ROWS-1"))
    removed = post(client, f"{FORM}/rows", csrf, two, op="remove-item-0", lang="en").text
    assert value_of(removed, "items-0-commodity_code") == "6403999000"  # line 2 is line 1 now
    assert 'name="items-1-description"' not in removed
    assert 'data-focus="add-items"' in removed  # one line left: no remove button, focus goes to "Add a line"

    one = post(client, f"{FORM}/estimate", csrf, fields, lang="en").text
    both = post(client, f"{FORM}/estimate", csrf, two, lang="en").text
    assert total(both) > total(one) > 0
    assert both.count('class="estimate-line"') == 2


def test_a_broken_line_is_explained_in_the_estimate_not_a_failure(client, as_user):  # type: ignore[no-untyped-def]
    csrf = as_user("trader")
    fields = fields_from_document(import_declaration("FORM-EST-1"))
    fields["items-0-quantity"] = "many"
    answer = post(client, f"{FORM}/estimate", csrf, fields, lang="en")
    assert answer.status_code == 200
    assert "Line 1 Quantity" in answer.text


def test_drafts_are_saved_resumed_listed_and_deleted_by_their_user_only(client, as_user):  # type: ignore[no-untyped-def]
    csrf = as_user("trader")
    fields = fields_from_document(two_lines("FORM-DRAFT-1"))
    fields["items-1-commodity_code"] = "64"  # a draft need not be valid
    saved = post(client, f"{FORM}/draft", csrf, fields)
    assert saved.status_code == 303
    draft_id = int(re.search(r"draft=(\d+)", saved.headers["location"]).group(1))
    resumed = client.get(FORM, params={"draft": draft_id}).text
    assert value_of(resumed, "items-1-commodity_code") == "64"
    assert f'name="draft" value="{draft_id}"' in resumed
    fields["items-1-commodity_code"] = "6403999000"
    again = post(client, f"{FORM}/draft", csrf, fields, draft=str(draft_id))
    assert f"draft={draft_id}" in again.headers["location"]  # saved over, not a second draft
    listing = client.get("/declarations/drafts").text
    assert listing.count("/declarations/form?draft=") == 1 and "FORM-DRAFT-1" in listing

    as_user("trader2")  # another company's user
    assert client.get(FORM, params={"draft": draft_id}).status_code == 404
    assert "FORM-DRAFT-1" not in client.get("/declarations/drafts").text

    csrf = as_user("trader")
    filed = post(client, FORM, csrf, fields, draft=str(draft_id))
    assert filed.status_code == 303
    assert "FORM-DRAFT-1" not in client.get("/declarations/drafts").text  # filed: the draft is gone
    second = post(client, f"{FORM}/draft", csrf, fields_from_document(import_declaration("FORM-DRAFT-2")))
    other_id = int(re.search(r"draft=(\d+)", second.headers["location"]).group(1))
    deleted = post(client, f"/declarations/drafts/{other_id}/delete", csrf, {})
    assert deleted.status_code == 303
    assert client.get(FORM, params={"draft": other_id}).status_code == 404


def test_a_form_post_without_its_csrf_token_is_refused(client, as_user):  # type: ignore[no-untyped-def]
    as_user("trader")
    fields = fields_from_document(import_declaration("FORM-CSRF-1"))
    assert client.post(FORM, data=fields, follow_redirects=False).status_code == 403
    assert client.post(f"{FORM}/draft", data=fields, follow_redirects=False).status_code == 403


def test_hs_code_suggestions_come_from_the_classifier(client, as_user, runtime, tiny_model_folder):  # type: ignore[no-untyped-def]  # noqa: F811
    registry.forget()
    csrf = as_user("trader")
    unavailable = post(client, f"{FORM}/hs", csrf, {"row": "1", "items-1-description": "leather shoes"})
    assert "not available" in unavailable.text
    serve(tiny_model_folder, runtime.settings.models_dir)
    registry.forget()
    answer = client.post(
        f"{FORM}/hs",
        data={"csrf_token": csrf, "row": "1", "items-1-description": "남성용 가죽 신발, 바깥바닥은 고무"},
        params={"lang": "ko"},
    )
    assert answer.status_code == 200
    codes = re.findall(r'data-pick-code="(\d{10})" data-pick-for="f-items-1-commodity_code"', answer.text)
    assert codes and codes[0].startswith("6403")
    assert "가능성" in answer.text  # the confidence, in Korean
    registry.forget()


def test_a_broker_files_for_a_mandated_client_chosen_in_the_form(client, auth, as_user):  # type: ignore[no-untyped-def]
    csrf = as_user("broker")
    page = client.get(FORM).text
    client_id = re.search(rf'<option value="(\d+)">{re.escape(HANBIT.name)}', page).group(1)
    document = broker_declaration("FORM-BRK-1")
    fields = fields_from_document(document)
    for name in [n for n in fields if n.startswith("importer-")]:
        del fields[name]  # the client comes from the choice, not typed
    filed = post(client, FORM, csrf, fields, party=client_id)
    assert filed.status_code == 303, filed.text
    declaration_id = int(re.search(r"/declarations/(\d+)", filed.headers["location"]).group(1))
    client.cookies.clear()
    seen = client.get(f"{API}/{declaration_id}", headers=auth("trader"))  # the importer sees its declaration
    assert seen.status_code == 200 and seen.json()["content"]["importer"]["brn"] == HANBIT.brn
