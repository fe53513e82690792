"""The buyer signs in with the code and the phone on file, sees every parcel under the code with its status
and duty, is told on each clearance, and says "this is not mine" (the code is suspended, a case opens)."""

from __future__ import annotations

import re

from tests.integration.parcel.conftest import parcel
from tests.integration.parcel.test_list_clearance_api import _deliver, _submit

B = "/api/v1/parcels/buyer"


def _sign_in(api, runtime, code: str, name: str, phone: str) -> str:  # type: ignore[no-untyped-def]
    started = api.post(f"{B}/sign-in", json={"code": code, "name": name, "phone": phone})
    assert started.status_code == 201, started.text
    assert started.json()["sent_to"].startswith("010-") and "*" in started.json()["sent_to"]
    texts = [n.text for n in _deliver(runtime).inbox(phone) if n.event == "sign_in_number"]
    number = re.search(r"\b(\d{6})\b", texts[-1]).group(1)  # type: ignore[union-attr]
    wrong = str((int(number) + 1) % 1_000_000).zfill(6)
    assert (
        api.post(f"{B}/session", json={"challenge": started.json()["challenge"], "number": wrong}).status_code
        == 401
    )
    answered = api.post(f"{B}/session", json={"challenge": started.json()["challenge"], "number": number})
    assert answered.status_code == 201, answered.text
    return str(answered.json()["session"])


def test_the_buyer_sees_every_parcel_and_reports_one(api, auth, issue, runtime):  # type: ignore[no-untyped-def]
    mine = issue("BY-1", "정하늘", "010-1212-3434")
    other = issue("BY-2", "강바다", "010-5656-7878")
    who = {"name": "정하늘", "phone": "010-1212-3434"}
    answer = _submit(
        api,
        auth,
        [
            parcel("HY0001", mine["code"], price="40", shop="x.example", **who),
            parcel("HY0002", mine["code"], price="400", shop="y.example", arrival="2026-11-22", **who),
            parcel("HY0003", other["code"], name="강바다", phone="010-5656-7878", price="10"),
        ],
    )
    cleared = [n for n in _deliver(runtime).inbox("010-1212-3434") if n.event == "parcel_cleared"]
    assert {re.search(r"HY\d{4}", n.text).group(0) for n in cleared} == {"HY0001", "HY0002"}  # type: ignore[union-attr]

    assert (
        api.post(
            f"{B}/sign-in", json={"code": mine["code"], "name": "정하늘", "phone": "010-0000-0000"}
        ).status_code
        == 422
    )
    assert api.get(f"{B}/parcels").status_code == 401
    assert api.get(f"{B}/parcels", headers={"X-Buyer-Session": "1.9999999999.forged"}).status_code == 401
    token = _sign_in(api, runtime, mine["code"], "정하늘", "010-1212-3434")
    seen = api.get(f"{B}/parcels", headers={"X-Buyer-Session": token})
    assert seen.status_code == 200, seen.text
    parcels = {p["house_bill"]: p for p in seen.json()["parcels"]}
    assert set(parcels) == {"HY0001", "HY0002"}
    assert parcels["HY0002"]["route"] == "simplified" and int(parcels["HY0002"]["duty_krw"].split(".")[0]) > 0
    assert mine["code"] not in seen.text  # the code is masked even to its holder's page

    foreign = answer["results"][2]["parcel_id"]
    report = {"reason": "I did not order this"}
    assert (
        api.post(
            f"{B}/parcels/{foreign}/not-mine", json=report, headers={"X-Buyer-Session": token}
        ).status_code
        == 404
    )
    first = answer["results"][0]["parcel_id"]
    reported = api.post(f"{B}/parcels/{first}/not-mine", json=report, headers={"X-Buyer-Session": token})
    assert reported.status_code == 200, reported.text
    assert reported.json()["dispute"]["status"] == "open"
    code = api.get(f"/api/v1/parcels/codes/{mine['id']}", params={"purpose": "case"}, headers=auth("officer"))
    assert code.json()["status"] == "suspended"
    again = api.get(f"{B}/parcels", headers={"X-Buyer-Session": token}).json()  # a suspended code still sees
    assert {p["house_bill"] for p in again["parcels"]} == {"HY0001", "HY0002"}
    late = _submit(api, auth, [parcel("HY0004", mine["code"], **who)], reference="L-9")
    assert late["results"][0]["errors"][0]["code"] == "code_suspended"
