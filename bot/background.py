"""Work the bot finishes after it has answered: kept, logged if it fails, drained at shutdown.

asyncio holds only weak references to tasks, so an unkept task can vanish mid-save, and a
failure nobody awaits is lost. `BackgroundTasks` keeps every task until it ends, logs what a
task raised under the task's name (which carries the turn's correlation id), and `drain` waits
for the rest at shutdown, then cancels whatever is still running after the bound.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")


class BackgroundTasks:
    """One per app (the composition root owns it); never a module global."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def start(self, work: Coroutine[Any, Any, T], *, name: str) -> asyncio.Task[T]:
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._ended)
        return task

    def _ended(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            logger.warning("background.cancelled task=%s", task.get_name())
            return
        error = task.exception()
        if error is not None:
            logger.error(
                "background.failed task=%s",
                task.get_name(),
                exc_info=(type(error), error, error.__traceback__),
            )

    async def drain(self, *, grace_seconds: float) -> None:
        """Wait up to `grace_seconds` for running work (new work too), then cancel it."""
        loop = asyncio.get_running_loop()
        until = loop.time() + grace_seconds
        while self._tasks and loop.time() < until:
            await asyncio.wait(set(self._tasks), timeout=until - loop.time())
        left = set(self._tasks)
        if not left:
            return
        logger.warning("background.drain_cut tasks=%d grace_s=%.1f", len(left), grace_seconds)
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)
