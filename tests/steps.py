"""Filing steps for tests: a lane selector that sends every declaration to the lane a test chooses."""

from __future__ import annotations

from clearway.declaration.lifecycle import Lane
from clearway.declaration.steps import LaneSelection, LaneSelector


class FixedLane(LaneSelector):
    def __init__(self) -> None:
        self.lane = Lane.GREEN

    def select(self, session, content, context, assessment, advice):  # type: ignore[no-untyped-def]
        return LaneSelection(
            self.lane, "fixed-for-test", False, [{"kind": "test", "message": "set by the test"}]
        )
