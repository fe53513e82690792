"""Refuse control characters in any request input, naming the field.

A NUL byte or another C0 control character is never meaningful in a customs document, and PostgreSQL refuses
NUL in text outright, so such input would otherwise fail deep in a query. Tab, line feed and carriage return
stay allowed (descriptions span lines). The check runs as an application-wide dependency: FastAPI has parsed
the body by then and the request caches it, so nothing is read twice, and the error is an ordinary
:class:`~clearway.errors.ValidationFailed` that the API renders as problem+json and the pages as HTML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from fastapi import Request

from clearway.errors import FieldError, ValidationFailed

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A JSON escape of such a character (\u0000 … \u001f, \u007f) not itself escaped: the quick test on raw bodies.
_ESCAPED_CONTROL = re.compile(rb"(?<!\\)(?:\\\\)*\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF])")
CODE = "control_character"
MESSAGE = "contains a control character (such as NUL), which is not accepted"


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def control_character_pointers(value: Any, pointer: str = "") -> Iterator[str]:
    """JSON pointers of every string (key or value) in a parsed JSON document holding a control character."""
    if isinstance(value, str):
        if _CONTROL.search(value):
            yield pointer
    elif isinstance(value, dict):
        for key, item in value.items():
            here = f"{pointer}/{_escape(str(key))}"
            if _CONTROL.search(str(key)):
                yield here
            yield from control_character_pointers(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from control_character_pointers(item, f"{pointer}/{index}")


async def reject_control_characters(request: Request) -> None:
    errors = [FieldError(f"/path/{name}", CODE, MESSAGE)
              for name, value in request.path_params.items() if _CONTROL.search(str(value))]
    errors += [FieldError(f"/query/{_escape(name)}", CODE, MESSAGE)
               for name, value in request.query_params.multi_items()
               if _CONTROL.search(name) or _CONTROL.search(value)]
    content_type = request.headers.get("content-type", "")
    if "json" in content_type:
        body = await request.body()
        if _ESCAPED_CONTROL.search(body):
            try:
                document = json.loads(body)
            except ValueError:
                document = None  # FastAPI has answered a malformed body already; nothing to name here
            errors += [FieldError(p, CODE, MESSAGE) for p in control_character_pointers(document)]
    elif "form" in content_type:
        form = await request.form()
        errors += [FieldError(f"/{_escape(name)}", CODE, MESSAGE)
                   for name, value in form.multi_items() if isinstance(value, str) and _CONTROL.search(value)]
    if errors:
        raise ValidationFailed("Control characters are not accepted in any field.", errors=errors)
