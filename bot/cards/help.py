"""What sellers can say, grouped, with examples.

Examples that only read (show, list, help) are buttons too: a click sends the example as the
seller's message. Examples that change a referral stay text, since their ids and names are
made up and a click would start a change the seller did not mean.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.cards.elements import Element, action_set, adaptive_card, container, im_back, text_block
from bot.cards.text import inert, plain

TITLE = "Here's what you can ask me"
INTRO = (
    "Write to me in your own words, here or by mentioning me in a channel. "
    "I always show you the change and wait for your confirmation before I update Partner Center."
)
MAX_GROUPS = 12
MAX_EXAMPLES = 60
GROUP_LIMIT = 80
EXAMPLE_LIMIT = 160
READ_ONLY_STARTS = ("show ", "list ", "my ", "new leads", "deals closing")


def render_help_card(examples: Sequence[tuple[str, str]]) -> Element:
    """`examples` are (group, example) pairs; groups keep the order they first appear in."""
    groups: dict[str, list[str]] = {}
    for group, example in examples[:MAX_EXAMPLES]:
        groups.setdefault(group, []).append(example)
    body = [text_block(TITLE, heading=True), text_block(INTRO, subtle=True)]
    body.extend(_group(name, lines) for name, lines in list(groups.items())[:MAX_GROUPS])
    return adaptive_card(body, summary=TITLE)


def _group(name: str, examples: Sequence[str]) -> Element:
    items = [text_block(inert(name, limit=GROUP_LIMIT), bold=True)]
    items.extend(
        text_block(f"“{inert(example, limit=EXAMPLE_LIMIT)}”")
        for example in examples
        if not _is_read_only(example)
    )
    buttons = [_button(example) for example in examples if _is_read_only(example)]
    if buttons:
        items.append(action_set(buttons))
    return container(items, separator=True)


def _button(example: str) -> Element:
    text = plain(example, limit=EXAMPLE_LIMIT)
    return im_back(text, text)


def _is_read_only(example: str) -> bool:
    return example.strip().casefold().startswith(READ_ONLY_STARTS)
