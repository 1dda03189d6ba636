"""`python -m bench.compare`: A really runs the base revision's code, B ÷ A is per round, and
the temporary worktree is gone afterwards."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

import aiohttp
import pytest

from bench.compare import (
    KINDS,
    Options,
    Rounds,
    _parse,
    environments,
    main,
    ratios,
    report,
    worktree,
)
from bench.server import server_process

REPO = Path(__file__).resolve().parents[2]


def _git(*args: str, cwd: Path = REPO) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _worktree_paths() -> set[str]:
    """Where the worktrees are, not what they hold: other work may commit meanwhile."""
    listed = _git("worktree", "list", "--porcelain").splitlines()
    return {line.removeprefix("worktree ") for line in listed if line.startswith("worktree ")}


async def test_the_worktree_is_the_revision_and_is_removed_afterwards() -> None:
    head = _git("rev-parse", "HEAD")
    async with worktree("HEAD") as path:
        checked_out = await asyncio.to_thread(_git, "rev-parse", "HEAD", cwd=path)
        assert checked_out == head
        assert (path / "bot" / "__init__.py").exists()
    assert not path.exists()
    assert str(path) not in await asyncio.to_thread(_git, "worktree", "list")


async def test_a_bad_revision_is_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match="git worktree add"):
        async with worktree("no-such-revision-anywhere"):
            pass


async def test_the_server_imports_its_module_from_cwd(tmp_path: Path) -> None:
    """How A runs the base revision: `-m` imports from the server's working directory."""
    package = tmp_path / "bench"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "floor.py").write_text(
        textwrap.dedent(
            """
            import asyncio

            from aiohttp import web


            async def healthz(request):
                return web.Response(text="the copy in cwd")


            async def main():
                app = web.Application()
                app.router.add_get("/healthz", healthz)
                runner = web.AppRunner(app)
                await runner.setup()
                await web.TCPSite(runner, "127.0.0.1", 0).start()
                port = runner.addresses[0][1]
                print(f"listening on http://127.0.0.1:{port}/api/messages", flush=True)
                await asyncio.Event().wait()


            asyncio.run(main())
            """
        )
    )
    async with (
        server_process("bench.floor", {}, cwd=tmp_path) as server,
        aiohttp.ClientSession() as session,
        session.get(f"{server.base_url}/healthz") as answer,
    ):
        assert await answer.text() == "the copy in cwd"


def test_b_over_a_is_taken_within_each_round() -> None:
    rounds = Rounds(floor=[1.0, 2.0, 1.0])
    rounds.a = {kind: [2.0, 4.0, 2.0] for kind in KINDS}
    rounds.b = {kind: [1.8, 4.4, 1.9] for kind in KINDS}
    assert ratios(rounds.b["show"], rounds.a["show"]) == pytest.approx([0.9, 1.1, 0.95])
    table = report(rounds, Options(base="v1"))
    [show] = [line for line in table.splitlines() if line.startswith("| show |")]
    # A ÷ floor is 2.0 every round; B ÷ A's median is 0.95, not a ratio of medians (1.9 / 2.0).
    assert show == "| show | 2.000 | 1.900 | 0.950 | 0.90 1.10 0.95 |"
    assert "against A (v1)" in table
    assert "failed" not in table


def test_env_b_settings_reach_b_only(tmp_path: Path) -> None:
    options = Options(env_b=(("REFERRAL_BOT_STATE__BACKEND", "memory"), ("X", "1")))
    sides = environments(options, {"SHARED": "yes"}, tmp_path)
    assert sides["b"]["REFERRAL_BOT_STATE__BACKEND"] == "memory"
    assert sides["b"]["X"] == "1"
    assert sides["a"]["REFERRAL_BOT_STATE__BACKEND"] == "sqlite"
    assert "X" not in sides["a"]
    assert sides["a"]["SHARED"] == sides["b"]["SHARED"] == "yes"
    assert (
        sides["a"]["REFERRAL_BOT_STATE__SQLITE_PATH"]
        != sides["b"]["REFERRAL_BOT_STATE__SQLITE_PATH"]
    )


def test_env_b_without_a_value_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--env-b", "NO_EQUALS_SIGN"])
    assert "--env-b takes NAME=VALUE" in capsys.readouterr().err


def test_module_b_is_what_b_runs_and_the_report_says_so() -> None:
    for extra in ([], ["--quick"]):
        assert _parse([*extra]).module_b == "bot"
        assert _parse(["--module-b", "bench.io_only", *extra]).module_b == "bench.io_only"
    rounds = Rounds(floor=[1.0])
    rounds.a = {kind: [2.0] for kind in KINDS}
    rounds.b = {kind: [1.5] for kind in KINDS}
    assert "B (working tree) against" in report(rounds, Options())
    assert "B (working tree, python -m bench.io_only) against" in report(
        rounds, Options(module_b="bench.io_only")
    )


def test_failed_turns_are_reported() -> None:
    rounds = Rounds(floor=[1.0], failures=3)
    rounds.a = {kind: [1.0] for kind in KINDS}
    rounds.b = {kind: [1.0] for kind in KINDS}
    assert "3 turns failed" in report(rounds, Options())


@pytest.mark.slow  # python -m bench.compare --quick, both sides end to end
def test_quick_run_end_to_end() -> None:
    worktrees_before = _worktree_paths()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.compare",
            "--quick",
            "--env-b",
            "REFERRAL_BOT_LOG_LEVEL=ERROR",
            "--module-b",
            "bench.io_only",  # A runs the bot, B the I/O-only lower bound: both end to end
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for kind in KINDS:
        assert any(line.startswith(f"| {kind} | ") for line in done.stdout.splitlines())
    assert "failed" not in done.stdout, done.stdout
    assert "B with REFERRAL_BOT_LOG_LEVEL=ERROR" in done.stdout
    assert "B (working tree, python -m bench.io_only)" in done.stdout
    assert _worktree_paths() == worktrees_before  # its temporary worktree is gone
