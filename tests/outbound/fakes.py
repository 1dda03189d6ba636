"""A clock whose `sleep` only moves time on: pacing and retries run without waiting."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field


@dataclass
class FakeClock:
    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)
