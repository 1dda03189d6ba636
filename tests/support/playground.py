"""Drive the Agents Playground UI in headless Chromium (Playwright, sync API) for e2e tests.

Debian's Chromium, never a downloaded browser; every request to a host other than loopback is
aborted (the page asks a CDN for fonts). Waits are bounded; a card action that silently fails
leaves the card as it was, so callers assert that the card changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, Route, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
)
CARD = ".ac-preview-panel > .ac-adaptiveCard"  # top-level cards only, not Action.ShowCard ones
WAIT_MS = 15_000


# Matched inside the browser, so loopback requests are not routed through Python at all.
NOT_LOOPBACK = re.compile(r"^(?!(https?|wss?)://(127\.0\.0\.1|localhost|\[::1\])[:/])")


def _abort(route: Route) -> None:
    route.abort()


@contextmanager
def headless_chromium() -> Iterator[Browser]:
    """Debian's Chromium, closed on exit; Playwright gives each launch a fresh temp profile."""
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=list(CHROMIUM_FLAGS), headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


class PlaygroundPage:
    """One Playground tab, shared by the tests of a session (the app takes ~4 s to boot).

    Screenshots go to `<screenshots>/<nn>-<step>.png`; `start_test` points them elsewhere.
    """

    def __init__(self, page: Page, screenshots: Path) -> None:
        self.page = page
        self._screenshots = screenshots
        self._shots = 0

    @classmethod
    @contextmanager
    def open(cls, browser: Browser, url: str, screenshots: Path) -> Iterator[PlaygroundPage]:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(WAIT_MS)
        context.route(NOT_LOOPBACK, _abort)
        try:
            page = context.new_page()
            page.goto(url, wait_until="domcontentloaded")
            yield cls(page, screenshots)
        finally:
            context.close()

    def start_test(self, screenshots: Path) -> None:
        self._screenshots = screenshots
        self._shots = 0

    def open_chat(self, name: str) -> None:
        """Personal Chat, the group chat, or a channel by its name in the left rail."""
        self.page.get_by_text(name, exact=True).first.click()
        self._composer().wait_for(state="visible")
        self._wait_until_cards_settle()

    def say(self, text: str) -> None:
        composer = self._composer()
        composer.click()
        composer.fill(text)
        composer.press("Enter")

    def mention_bot(self, bot_name: str, text: str) -> None:
        """Type `@`, pick the bot from the mention list, then the command."""
        composer = self._composer()
        composer.click()
        composer.press_sequentially("@" + bot_name[:4])
        self.page.get_by_role("menuitem", name=bot_name).first.click()
        composer.press_sequentially(" " + text)
        composer.press("Enter")

    def cards(self) -> Locator:
        return self.page.locator(CARD)

    def card_count(self) -> int:
        """Chats keep their history for the Playground's lifetime: count before acting."""
        return self.cards().count()

    def new_card(self, before: int, text: str) -> Locator:
        """The first card after the `before` ones already shown, once it contains `text`."""
        card = self.cards().nth(before)
        expect(card).to_contain_text(text, timeout=WAIT_MS)
        return card

    def _wait_until_cards_settle(self, polls: int = 3, interval_ms: int = 100) -> None:
        """A chat's history renders a moment after it opens; count cards only once it has."""
        counts = [-1]
        for _ in range(WAIT_MS // interval_ms):
            counts.append(self.card_count())
            if len(counts) > polls and len(set(counts[-polls:])) == 1:
                return
            self.page.wait_for_timeout(interval_ms)
        raise AssertionError(f"the card count never settled: {counts[-10:]}")

    def click_card_button(self, card: Locator, title: str) -> None:
        card.get_by_role("button", name=title, exact=True).click()

    def screenshot(self, step: str) -> Path:
        self._shots += 1
        self._screenshots.mkdir(parents=True, exist_ok=True)
        path = self._screenshots / f"{self._shots:02d}-{step}.png"
        self.page.screenshot(path=str(path))
        return path

    def _composer(self) -> Locator:
        return self.page.locator("[data-lexical-editor=true]").first
