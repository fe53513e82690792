"""Property-based fuzzing of the parcel endpoints as an officer (the app-wide fuzz test acts as a trader):
whatever is sent, no 500, every error is problem+json, answers match the documented codes and schemas."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from clearway.app import create_app

# a fuzzer over the whole API: part of the whole suite, not of the fast target
pytestmark = pytest.mark.slow


def test_no_request_breaks_the_parcel_api_as_an_officer(runtime, client, auth):  # type: ignore[no-untyped-def]
    app = create_app(runtime.settings, runtime=runtime)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    ops = [r.ok() for r in schema.get_all_operations()]
    ops = [o for o in ops if "/parcels" in o.path]
    assert len(ops) >= 10
    failures = []
    headers = auth("officer")
    for operation in ops:

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def exercise(case):  # type: ignore[no-untyped-def]
            case.headers = {**(case.headers or {}), **headers}
            response = case.call()
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text}"
            if response.status_code >= 400:
                ct = response.headers.get("content-type") or [""]
                assert ct[0].startswith("application/problem+json"), response.text
            checks = (response_schema_conformance, status_code_conformance)
            case.validate_response(response, checks=checks)

        try:
            exercise()
        except Exception as error:  # collect every operation's failure, then report them all
            failures.append(f"officer {operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)
