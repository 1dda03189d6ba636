"""In Teams' own renderer (the Agents Playground), the bot's text replies repeat a seller's
words literally: no link, even where the renderer auto-links the rendered text (escaping the
markdown alone left `https://…`, `www.…` and e-mail addresses live here)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.playground import WAIT_MS, PlaygroundPage

pytestmark = pytest.mark.slow  # the Playground and headless Chromium

HOSTILE = [
    pytest.param(
        "[Reset](https://evil.example/r) www.evil.org a@evil.com",
        "didn't understand",
        id="markdown-link-www-and-email",
    ),
    pytest.param("show www.evil.org", "couldn't find a referral matching", id="not-found"),
    pytest.param(
        "&#91;Open&#93;&#40;https&#58;//evil.example&#41;",
        "didn't understand",
        id="entities-echoed-as-typed",
    ),
]


@pytest.mark.parametrize(("typed", "reply"), HOSTILE)
def test_a_reply_shows_the_words_as_text_and_no_link(
    playground: PlaygroundPage, typed: str, reply: str
) -> None:
    playground.open_chat("Personal Chat")
    answers = playground.page.locator("p", has_text=reply)
    before = answers.count()

    playground.say(typed)

    answer = answers.nth(before)
    expect(answer).to_be_visible(timeout=WAIT_MS)
    words = typed.removeprefix("show ")
    shown = answer.inner_text().replace("\u2060", "")
    playground.screenshot("reply")
    assert f"“{words}”" in shown
    assert answer.locator("a").count() == 0, answer.inner_html()
