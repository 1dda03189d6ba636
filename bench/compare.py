"""`python -m bench.compare`: is the working tree faster than a git revision? Paired A/B runs.

`make bench` measures each side in fresh processes a minute apart, and its run-to-run spread
(±15 % here) is as large as most single changes. This keeps the floor, the bot at `--base` (A,
a temporary git worktree) and the bot in the working tree (B) alive together, pinned to the
same core, and alternates short runs of each turn kind (A first in even rounds, B first in
odd ones). B ÷ A is taken within a round, then the median over rounds: drift hits both sides
alike. The processes are started afresh for each block of rounds, because one process can be
a few per cent faster than its twin for the whole of its life (address layout, hash seed):
with one block, the same code measured 1.10 against itself. Default: 3 blocks of 4 rounds of
600 turns at c=8, about 2.5 minutes; the same code then gave 0.97–1.01.

A imports its own code from the worktree but shares this virtualenv, so a base with other
dependencies is compared on these. Both use the SQLite state of the product (or `--state`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.connector import running_connector
from bench.fixtures import (
    SHOWN_ID,
    bench_emulators,
    bot_environment,
    marked_ids,
    state_environment,
)
from bench.load import run_load
from bench.medians import median
from bench.payloads import Payloads
from bench.scenarios import seller_payloads
from bench.server import Server, server_process, usable_cores
from bot.settings import StateBackend

KINDS = ("show", "mark")
Batch = Callable[[int], list[dict[str, Any]]]


@dataclass(frozen=True)
class Options:
    base: str = "HEAD"
    turns: int = 600
    warmup: int = 150
    rounds: int = 4  # per block
    concurrency: int = 8
    blocks: int = 3
    state: StateBackend = StateBackend.SQLITE
    env_b: tuple[tuple[str, str], ...] = ()  # settings for B only, e.g. another state backend
    module_b: str = "bot"  # what B runs (`python -m`), e.g. bench.io_only


@dataclass
class Rounds:
    """CPU ms per turn, one entry per round: the floor's echo, and A and B per turn kind."""

    floor: list[float] = field(default_factory=list)
    a: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    b: dict[str, list[float]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    failures: int = 0


def ratios(top: Sequence[float], bottom: Sequence[float]) -> list[float]:
    """Per-round top ÷ bottom; a round with a zero bottom is left out."""
    return [t / b for t, b in zip(top, bottom, strict=True) if b]


def report(rounds: Rounds, options: Options) -> str:
    lines = [
        f"B (working tree{_module_note(options)}) against A ({options.base}): "
        f"{len(rounds.floor)} rounds of "
        f"{options.turns} turns at c={options.concurrency} in {options.blocks} blocks of fresh "
        f"processes, state {options.state.value}"
        + "".join(f"; B with {name}={value}" for name, value in options.env_b),
        "",
        "| turn | A ÷ floor | B ÷ floor | B ÷ A (median) | B ÷ A per round |",
        "|---|---|---|---|---|",
    ]
    for kind in KINDS:
        per_round = ratios(rounds.b[kind], rounds.a[kind])
        lines.append(
            f"| {kind} | {median(ratios(rounds.a[kind], rounds.floor)):.3f} "
            f"| {median(ratios(rounds.b[kind], rounds.floor)):.3f} | {median(per_round):.3f} "
            f"| {' '.join(f'{value:.2f}' for value in per_round)} |"
        )
    lines.append("")
    lines.append(f"floor (echo): {median(rounds.floor):.2f} ms CPU per turn (median)")
    if rounds.failures:
        lines.append(f"{rounds.failures} turns failed: the figures are not comparable")
    return "\n".join(lines)


def _module_note(options: Options) -> str:
    return "" if options.module_b == "bot" else f", python -m {options.module_b}"


@contextlib.asynccontextmanager
async def worktree(revision: str) -> AsyncIterator[Path]:
    """`revision` checked out in a temporary git worktree, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-base-") as parent:
        path = Path(parent) / "base"
        await _git("worktree", "add", "--detach", str(path), revision)
        try:
            yield path
        finally:
            await _git("worktree", "remove", "--force", str(path))


async def _git(*args: str) -> None:
    process = await asyncio.create_subprocess_exec(
        "git", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {(err or out).decode().strip()}")


def _batches(payloads: Payloads, referral_ids: Iterator[str]) -> dict[str, Batch]:
    """Each turn in a new conversation; each mark on a referral nobody marked before."""
    tags = itertools.count()

    def echo(count: int) -> list[dict[str, Any]]:
        return [
            payloads.message("hello", payloads.conversation(f"e{next(tags)}")) for _ in range(count)
        ]

    def show(count: int) -> list[dict[str, Any]]:
        text = f"show {SHOWN_ID}"
        return [
            payloads.message(text, payloads.conversation(f"s{next(tags)}")) for _ in range(count)
        ]

    def mark(count: int) -> list[dict[str, Any]]:
        ids = [next(referral_ids) for _ in range(count)]
        return [
            payloads.message(f"mark {rid} won", payloads.conversation(f"m{rid}")) for rid in ids
        ]

    return {"echo": echo, "show": show, "mark": mark}


async def _cpu(
    server: Server, batch: list[dict[str, Any]], options: Options, rounds: Rounds
) -> float:
    measured = await run_load(server, batch, options.concurrency)
    rounds.failures += measured.failures
    return measured.cpu_ms_per_turn


async def compare(options: Options) -> Rounds:
    rounds = Rounds()
    # every "mark" turn, A's and B's alike, proposes on a referral of its own
    changes = 2 * options.blocks * (options.warmup + options.rounds * options.turns)
    async with worktree(options.base) as base:
        with (
            tempfile.TemporaryDirectory(prefix="bench-ab-") as folder,
            bench_emulators(changes) as emulators,
        ):
            async with running_connector() as (_, service_url):
                batch = _batches(seller_payloads(service_url), iter(marked_ids(changes)))
                env = bot_environment(emulators)
                for block in range(options.blocks):
                    sides = environments(options, env, Path(folder) / str(block))
                    await _block(options, base, sides, batch, rounds)
    return rounds


def environments(options: Options, env: dict[str, str], folder: Path) -> dict[str, dict[str, str]]:
    """A's and B's environments: their own state files; `--env-b` settings for B only."""
    return {
        "a": {**env, **state_environment(options.state, folder / "a")},
        "b": {**env, **state_environment(options.state, folder / "b"), **dict(options.env_b)},
    }


async def _block(
    options: Options,
    base: Path,
    sides: dict[str, dict[str, str]],
    batch: dict[str, Batch],
    rounds: Rounds,
) -> None:
    """Fresh processes: a process's own luck (address layout, hash seed) is not a change's."""
    cores = usable_cores()
    async with (
        server_process("bench.floor", {}, cores=cores) as floor,
        server_process("bot", sides["a"], cores=cores, cwd=base) as a,
        server_process(options.module_b, sides["b"], cores=cores) as b,
    ):
        await run_load(floor, batch["echo"](options.warmup), options.concurrency)
        for side, kind in itertools.product((a, b), KINDS):
            await run_load(side, batch[kind](options.warmup), options.concurrency)
        for number in range(options.rounds):
            rounds.floor.append(await _cpu(floor, batch["echo"](options.turns), options, rounds))
            order = ((a, rounds.a), (b, rounds.b))
            for kind in KINDS:
                for side, figures in order if number % 2 == 0 else order[::-1]:
                    figures[kind].append(
                        await _cpu(side, batch[kind](options.turns), options, rounds)
                    )


def _parse(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__)
    parser.add_argument("--base", default="HEAD", help="git revision of A (default HEAD)")
    parser.add_argument("--turns", type=int, default=600, help="measured turns per run")
    parser.add_argument(
        "--blocks", type=int, default=3, help="fresh floor, A and B processes (default 3)"
    )
    parser.add_argument("--rounds", type=int, default=4, help="rounds per block (default 4)")
    parser.add_argument("--concurrency", type=int, default=8, help="turns in flight (default 8)")
    parser.add_argument(
        "--state",
        choices=[StateBackend.MEMORY.value, StateBackend.SQLITE.value],
        default=StateBackend.SQLITE.value,
    )
    parser.add_argument(
        "--env-b",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for B only (repeatable), e.g. "
        "REFERRAL_BOT_STATE__BACKEND=memory to compare backends on the same code",
    )
    parser.add_argument(
        "--module-b",
        default="bot",
        metavar="MODULE",
        help="what B runs, `python -m MODULE` (default bot), e.g. bench.io_only: the bot with "
        "its own logic taken out of show and mark turns",
    )
    parser.add_argument("--quick", action="store_true", help="tiny counts (smoke test)")
    args = parser.parse_args(argv)
    env_b = tuple(_variable(parser, text) for text in args.env_b)
    if min(args.turns, args.blocks, args.rounds, args.concurrency) < 1:
        parser.error("--turns, --blocks, --rounds and --concurrency must be at least 1")
    if args.quick:
        return Options(
            args.base,
            turns=6,
            warmup=4,
            rounds=2,
            concurrency=2,
            blocks=1,
            env_b=env_b,
            module_b=args.module_b,
        )
    return Options(
        args.base,
        turns=args.turns,
        rounds=args.rounds,
        concurrency=args.concurrency,
        blocks=args.blocks,
        state=StateBackend(args.state),
        env_b=env_b,
        module_b=args.module_b,
    )


def _variable(parser: argparse.ArgumentParser, text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not name or not equals:
        parser.error(f"--env-b takes NAME=VALUE, not {text!r}")
    return name, value


def main(argv: Sequence[str] | None = None) -> None:
    options = _parse(sys.argv[1:] if argv is None else argv)
    print(report(asyncio.run(compare(options)), options))


if __name__ == "__main__":
    main()
