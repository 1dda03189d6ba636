"""`python -m emulators` as a newcomer runs it: a real process, real ports, clean stop."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def emulator_process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], dict[str, Any]]]:
    ready = tmp_path / "ready.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "emulators", "--demo", "--ready-file", str(ready)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() or not ready.read_text():
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline, "emulator did not become ready in 30 s"
            time.sleep(0.05)
        yield process, json.loads(ready.read_text())
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def test_the_emulator_prints_its_urls_and_stops_cleanly_on_ctrl_c(
    emulator_process: tuple[subprocess.Popen[str], dict[str, Any]],
) -> None:
    process, described = emulator_process
    assert described["referrals_url"].startswith("http://127.0.0.1:")
    assert described["authority"].startswith("https://127.0.0.1:")
    assert Path(described["ca_file"]).read_text().startswith("-----BEGIN CERTIFICATE-----")
    webhook_ca = Path(described["webhook_ca_file"]).read_text()
    assert webhook_ca.startswith("-----BEGIN CERTIFICATE-----")
    assert described["webhooks_url"] == described["referrals_url"].replace(
        "/v1.0/engagements/referrals", "/webhooks/v1/registration"
    )
    assert described["webhook_certificate_url"].startswith(described["identity_url"] + "/cert/")
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=15)
    assert process.returncode == 0
    assert described["referrals_url"] in output
    assert "adele.vance@contoso.com" in output
    assert "Traceback" not in output
