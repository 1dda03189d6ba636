"""The background registry: kept until done, failures logged by name, drained with a bound."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.background import BackgroundTasks


async def test_drain_waits_for_work_that_finishes_within_the_grace() -> None:
    tasks = BackgroundTasks()
    finished: list[str] = []

    async def save() -> None:
        await asyncio.sleep(0.1)
        finished.append("saved")

    tasks.start(save(), name="card_action.finish correlation_id=a1")
    assert len(tasks) == 1

    await tasks.drain(grace_seconds=5.0)

    assert finished == ["saved"]
    assert len(tasks) == 0


async def test_drain_cancels_what_outlives_the_grace(caplog: pytest.LogCaptureFixture) -> None:
    tasks = BackgroundTasks()
    stuck = tasks.start(asyncio.sleep(3600), name="card_action.finish correlation_id=b2")
    loop = asyncio.get_running_loop()
    started = loop.time()

    with caplog.at_level(logging.WARNING, logger="bot.background"):
        await tasks.drain(grace_seconds=0.2)

    assert 0.2 <= loop.time() - started < 1.0
    assert stuck.cancelled()
    assert len(tasks) == 0
    assert "background.drain_cut tasks=1" in caplog.text
    assert "background.cancelled task=card_action.finish correlation_id=b2" in caplog.text


async def test_a_failure_is_logged_with_the_task_name(caplog: pytest.LogCaptureFixture) -> None:
    tasks = BackgroundTasks()

    async def broken() -> None:
        raise RuntimeError("lost card")

    with caplog.at_level(logging.ERROR, logger="bot.background"):
        task = tasks.start(broken(), name="card_action.finish correlation_id=c3")
        await asyncio.wait({task})

    assert len(tasks) == 0
    [record] = caplog.records
    assert record.getMessage() == "background.failed task=card_action.finish correlation_id=c3"
    assert record.exc_info is not None
    assert "lost card" in str(record.exc_info[1])
