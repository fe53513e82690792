"""Refuse control, invisible and text-direction characters in any request input, naming the field.

A NUL byte or another C0 control character is never meaningful in a customs document, and PostgreSQL refuses
NUL in text outright, so such input would otherwise fail deep in a query. Tab, line feed and carriage return
stay allowed (descriptions span lines). DEL, C1 controls, zero-width and bidi-control characters are refused
too (:mod:`clearway.reference.text`, the rule the declaration document applies to file inputs).
The check runs as an application-wide dependency: FastAPI has parsed
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
from clearway.reference.text import unsafe_character

# The quick test on raw bodies: a JSON \u escape, or any byte that is a control or not ASCII — only then
# is the parsed document walked.
_SUSPECT = re.compile(rb"\\u|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\xff]")
_ESCAPE = re.compile(
    rb"\\u([0-9a-fA-F]{4})"
)  # a JSON \u escape (an escaped backslash before it only adds a walk)
CODE = "control_character"
MESSAGE = "contains a control character (such as NUL), which is not accepted"


def _unsafe(value: str) -> bool:
    return unsafe_character(value) is not None


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def control_character_pointers(value: Any, pointer: str = "") -> Iterator[str]:
    """JSON pointers of every string (key or value) in a parsed JSON document holding a control character."""
    if isinstance(value, str):
        if _unsafe(value):
            yield pointer
    elif isinstance(value, dict):
        for key, item in value.items():
            here = f"{pointer}/{_escape(str(key))}"
            if _unsafe(str(key)):
                yield here
            yield from control_character_pointers(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from control_character_pointers(item, f"{pointer}/{index}")


async def reject_control_characters(request: Request) -> None:
    errors = [
        _error(f"/path/{name}", str(value))
        for name, value in request.path_params.items()
        if _unsafe(str(value))
    ]
    errors += [
        _error(f"/query/{_escape(name)}", name + value)
        for name, value in request.query_params.multi_items()
        if _unsafe(name) or _unsafe(value)
    ]
    content_type = request.headers.get("content-type", "")
    if "json" in content_type:
        body = await request.body()
        if _SUSPECT.search(body) and _worth_walking(body):
            try:
                document = json.loads(body)
            except ValueError:
                document = None  # FastAPI has answered a malformed body already; nothing to name here
            errors += [_error(p, _at(document, p)) for p in control_character_pointers(document)]
    elif "form" in content_type:
        form = await request.form()
        errors += [
            _error(f"/{_escape(name)}", value)
            for name, value in form.multi_items()
            if isinstance(value, str) and _unsafe(value)
        ]
    if errors:
        raise ValidationFailed(
            "Control, invisible and text-direction characters are not accepted in any field.", errors=errors
        )


def _worth_walking(body: bytes) -> bool:
    """Whether a suspect body may hold an unacceptable character, found without parsing it: the characters its
    JSON ``\\u`` escapes spell (clients that escape all non-ASCII text send Korean as escapes) and the text
    itself (outside strings JSON has only ASCII punctuation, digits and whitespace) are searched once each, so
    a document of plain accented or Korean text is not walked. A body that is not UTF-8 is walked."""
    spelled = "".join(chr(int(code, 16)) for code in set(_ESCAPE.findall(body)))
    if unsafe_character(spelled) is not None:
        return True
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return unsafe_character(text) is not None


def _error(pointer: str, value: str) -> FieldError:
    code, message = unsafe_character(value) or (CODE, MESSAGE)
    return FieldError(pointer, code, message)


def _at(document: Any, pointer: str) -> str:
    """The string at a JSON pointer (the key itself when the pointer names a key holding a bad character)."""
    value = document
    for token in pointer.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value.get(key, key)
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            return key
    return value if isinstance(value, str) else ""
