"""Reject bodies larger than the configured limit with 413, before reading them into memory."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from clearway.errors import PayloadTooLarge
from clearway.web.problems import wants_html


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, receive, send, int(declared))
            return
        if declared is None:
            # No declared length (chunked): read up to the limit before the application sees the request, so
            # that an oversized body is answered 413 here (raised while the application parses it, it would
            # become a 400 "error parsing the body").
            buffered = await self._buffer(receive)
            if buffered is None:
                await self._reject(scope, receive, send, self.max_bytes + 1)
                return
            await self.app(scope, self._replay(buffered, receive), send)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise PayloadTooLarge(self._detail(seen), max_bytes=self.max_bytes)
            return message

        await self.app(scope, limited_receive, send)

    async def _buffer(self, receive: Receive) -> list[Message] | None:
        """The request's body messages, or None once they exceed the limit."""
        messages: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                return messages
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                return None
            if not message.get("more_body", False):
                return messages

    @staticmethod
    def _replay(messages: list[Message], receive: Receive) -> Receive:
        pending = list(messages)

        async def replay() -> Message:
            return pending.pop(0) if pending else await receive()

        return replay

    def _detail(self, size: int) -> str:
        return f"the body has {size} bytes or more; the limit is {self.max_bytes} bytes"

    async def _reject(self, scope: Scope, receive: Receive, send: Send, size: int) -> None:
        error = PayloadTooLarge(self._detail(size), max_bytes=self.max_bytes)
        request = Request(scope, receive)
        app = scope.get("app")
        html = getattr(app.state, "html_errors", None) if app is not None else None
        if html is not None and wants_html(request):
            await html(request, error)(scope, receive, send)
            return
        body = error.to_problem(instance=scope.get("path"))
        payload = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(payload)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})
