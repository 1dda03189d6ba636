"""Every renderer in bot.cards has realistic samples, and every sample is a valid card.

The renderers are discovered, not listed: a new `render_*_card` without samples here fails
`test_every_renderer_has_samples`, so no card reaches Teams unvalidated.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable

import pytest

import bot.cards
from tests.cards import samples
from tests.support.cards import assert_inert, assert_valid_card


def _discovered_renderers() -> set[Callable[..., samples.Card]]:
    found: set[Callable[..., samples.Card]] = set()
    for module_info in pkgutil.iter_modules(bot.cards.__path__):
        module = importlib.import_module(f"bot.cards.{module_info.name}")
        for name, value in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("render_") and value.__module__ == module.__name__:
                found.add(value)
    return found


def test_every_renderer_has_samples() -> None:
    assert _discovered_renderers() == set(samples.CARD_SAMPLES)


@pytest.mark.parametrize(
    "renderer", list(samples.CARD_SAMPLES), ids=lambda renderer: renderer.__name__
)
def test_every_sample_card_is_schema_valid_small_and_inert(
    renderer: Callable[..., samples.Card],
) -> None:
    cards = samples.CARD_SAMPLES[renderer]()
    assert cards
    for card in cards:
        assert_valid_card(card)
        assert_inert(card, allowed_urls=_portal_links(card))


def _portal_links(card: samples.Card) -> frozenset[str]:
    return frozenset(
        action["url"]
        for action in card.get("actions", ())
        if action["type"] == "Action.OpenUrl" and action["url"].startswith(samples.PORTAL_URL + "/")
    )
