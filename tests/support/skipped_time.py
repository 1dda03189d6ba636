"""Time for the whole bot (`create_app(sleep=, monotonic=)`): its waits are skipped, not spent.

`monotonic()` is the real clock plus every wait the bot asked for, so deadlines, pacing windows
and a test's "how long did the seller wait" read as if the waits had been spent, while the
network, the emulators and an attempt's timeout stay on the real clock. The fakes in
tests/outbound/fakes.py and tests/partner_center/test_retry_policy.py only move on a sleep: right
for one policy alone, wrong for an app that also spends real time on loopback.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field


@dataclass
class SkippedTime:
    skipped: float = 0.0
    sleeps: list[float] = field(default_factory=list)  # every wait asked for, in order

    def monotonic(self) -> float:
        return time.monotonic() + self.skipped

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.skipped += max(0.0, seconds)
        await asyncio.sleep(0)
