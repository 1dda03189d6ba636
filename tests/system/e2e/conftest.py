"""One stack (emulators, bot, Playground) and one Chromium per e2e session; a fresh tab per test.

Screenshots land in `artifacts/e2e/<test name>/`. The emulator is reset before every test, so
each test starts from the seeded demo data with no recorded requests.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.support.playground import CHROMIUM, PlaygroundPage, headless_chromium
from tests.support.playground_stack import PLAYGROUND_BIN, REPO_ROOT, Stack, running_stack
from tests.system.e2e.emulator_controls import Emulator

ARTIFACTS = REPO_ROOT / "artifacts" / "e2e"
_FAILED = pytest.StashKey[bool]()


def _require_tools() -> None:
    missing = [str(path) for path in (Path(CHROMIUM), PLAYGROUND_BIN) if not path.exists()]
    if missing:
        pytest.fail(
            f"e2e tools missing: {missing}; run `apt-get install -y chromium` and `npm ci`",
            pytrace=False,
        )


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    _require_tools()
    with running_stack(tmp_path_factory.mktemp("playground")) as running:
        yield running


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    _require_tools()
    with headless_chromium() as chromium:
        yield chromium


@pytest.fixture
def emulator(stack: Stack) -> Emulator:
    controls = Emulator(stack.referrals_base_url)
    controls.reset()
    return controls


@pytest.fixture(scope="package")
def playground_tab(stack: Stack, browser: Browser) -> Iterator[PlaygroundPage]:
    with PlaygroundPage.open(browser, stack.playground_url, ARTIFACTS) as page:
        yield page


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item, so a fixture can tell that its test failed."""
    report = yield
    item.stash.setdefault(_FAILED, False)
    if report.failed:
        item.stash[_FAILED] = True
    return report


@pytest.fixture
def playground(
    playground_tab: PlaygroundPage, emulator: Emulator, request: pytest.FixtureRequest
) -> Iterator[PlaygroundPage]:
    """The shared tab, its screenshots in `artifacts/e2e/<test name>/` (plus one on failure)."""
    screenshots = ARTIFACTS / request.node.name
    shutil.rmtree(screenshots, ignore_errors=True)
    playground_tab.start_test(screenshots)
    yield playground_tab
    if request.node.stash.get(_FAILED, False):
        playground_tab.screenshot("failure")
