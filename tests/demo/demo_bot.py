"""The demo's bot on the demo's emulators, served as `python -m demo` serves it (memory state)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from bot.__main__ import served
from bot.settings import Settings, StateBackend, StateSettings
from demo.settings import demo_settings
from emulators.config import EmulatorConfig
from emulators.seed import demo_fixtures
from emulators.server import RunningEmulators


@dataclass(frozen=True)
class DemoBot:
    url: str
    events_url: str
    settings: Settings


def demo_emulator_config(**config: Any) -> EmulatorConfig:
    """What `python -m demo` starts (the seeded demo, test controls on), plus `config`."""
    return EmulatorConfig(fixtures=demo_fixtures(), test_controls=True, **config)


@asynccontextmanager
async def demo_bot(running: RunningEmulators, **overrides: Any) -> AsyncIterator[DemoBot]:
    """`demo_settings(running)` served until the block ends; `overrides` replace settings."""
    memory = StateSettings(backend=StateBackend.MEMORY)
    settings = demo_settings(running, **({"state": memory} | overrides))
    async with served(settings) as runner:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}"
        yield DemoBot(url, url + settings.events.path, settings)
