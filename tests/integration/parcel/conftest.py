"""Parcel tests: the demo tariff (real parameters, DEMO rates and exchange rates) loaded, and helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clearway.tariff import service as tariff
from clearway.uow import unit_of_work

NOW = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


@pytest.fixture
def api(client: TestClient, runtime) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with unit_of_work(runtime.sessions) as session:
        tariff.load_demo_tariff(session, now=NOW)
    yield client


@pytest.fixture
def issue(api: TestClient, auth) -> Callable[..., dict[str, Any]]:  # type: ignore[no-untyped-def]
    """``issue("P-1", "김민수", "010-1234-5678")`` → the issued code's answer (with the code in clear)."""

    def make(person_id: str, name: str, phone: str) -> dict[str, Any]:
        body = {"person_id": person_id, "name": name, "phone": phone}
        response = api.post("/api/v1/parcels/codes", json=body, headers=auth("officer"))
        assert response.status_code == 201, response.text
        return response.json()

    return make


def parcel(
    house_bill: str,
    code: str,
    *,
    name: str = "김민수",
    phone: str = "010-1234-5678",
    price: str = "50",
    currency: str = "USD",
    country: str = "CN",
    arrival: str = "2026-11-20",
    **extra: Any,
) -> dict[str, Any]:
    item = {
        "description": "cotton t-shirt",
        "quantity": "1",
        "unit_price": price,
        "currency": currency,
        "hs_code": "6109101000",
    }
    item.update(extra.pop("item", {}))
    return {
        "house_bill": house_bill,
        "buyer_name": name,
        "personal_code": code,
        "buyer_phone": phone,
        "address": "서울특별시 중구 세종대로 110",
        "arrival_date": arrival,
        "dispatch_country": country,
        "shop": "shop.example",
        "items": [item],
        **extra,
    }
