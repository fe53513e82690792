"""Property-based API fuzzing from the OpenAPI document: whatever a client sends, no endpoint answers 500,
every error is problem+json, and responses match the documented status codes and schemas."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from clearway.app import create_app
from tests.documents import import_declaration

# a fuzzer over the whole API: part of the whole suite, not of the fast target
pytestmark = pytest.mark.slow


SKIP = {"/api/v1/auth/revoke"}  # would revoke the token the fuzzer uses


def test_no_request_breaks_the_api(runtime, client, auth):  # type: ignore[no-untyped-def]
    client.post("/api/v1/declarations", json=import_declaration("FUZZ-1"), headers=auth("trader"))
    app = create_app(runtime.settings, runtime=runtime)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    failures = []
    for operation in operations:
        if operation.path in SKIP:
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def exercise(case):  # type: ignore[no-untyped-def]
            case.headers = {**(case.headers or {}), **auth("trader")}
            response = case.call()
            # 503 is the documented answer when a part is not there (here: no classification model trained).
            assert response.status_code < 500 or response.status_code == 503, (
                f"{case.method} {case.formatted_path}: {response.text}"
            )
            if response.status_code >= 400:
                content_type = response.headers.get("content-type") or [""]
                assert content_type[0].startswith("application/problem+json"), response.text
            case.validate_response(response, checks=(response_schema_conformance, status_code_conformance))

        try:
            exercise()
        except Exception as error:  # collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)
