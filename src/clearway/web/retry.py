"""A read that lost its database connection is tried once more before the client hears of it.

A pooled connection cut while a request runs (the database restarted, ``pg_terminate_backend``) fails that
request; the pool drops the connection and the next checkout gets a fresh one. For a read (GET, HEAD: nothing
was written) the middleware runs the request again once, so the client gets its answer instead of a 503. Writes
are never repeated here: the client retries them (they are idempotent by reference and ``Idempotency-Key``).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# set in the request's state by the problem handler when the failure was a lost or unreachable connection
LOST_CONNECTION = "clearway.lost_connection"
READS = frozenset({"GET", "HEAD"})


class RetryReadsOnce:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in READS:
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def hold_a_503(message: Message) -> None:
            if held or (message["type"] == "http.response.start" and message["status"] == 503):
                held.append(message)
            else:
                await send(message)

        await self.app(scope, receive, hold_a_503)
        state = scope.get("state")
        if held and isinstance(state, dict) and state.pop(LOST_CONNECTION, False):
            await self.app(scope, receive, send)  # once: a second failure is answered as it is
            return
        for message in held:
            await send(message)
