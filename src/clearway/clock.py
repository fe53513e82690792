"""The one clock: UTC now, Korea's time zone, and the date in Korea of an instant.

Domain code never reads the machine's clock or date: it is handed ``now`` / ``today`` (or a ``Clock``) by its
shell, which takes them from the runtime (``Runtime.clock()``, ``Runtime.today()``). :func:`utcnow` is the
machine's clock and is only the default the runtime is built with (tests and the demo pass their own).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

KOREA = ZoneInfo("Asia/Seoul")
"""Korea Standard Time (UTC+9, no daylight saving): the legal time of customs dates (filing, payment, rates)."""

Clock = Callable[[], datetime]
"""A source of the current instant (timezone-aware)."""


def utcnow() -> datetime:
    """The machine's current instant, in UTC: the runtime's default clock."""
    return datetime.now(UTC)


def korea_date(moment: datetime) -> date:
    """The calendar date in Korea at ``moment`` (a timezone-aware instant)."""
    return moment.astimezone(KOREA).date()
