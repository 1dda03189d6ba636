"""Checks every card the bot sends must pass: Adaptive Card 1.5 schema (offline), Teams' size
limit, and nothing untrusted rendered as markup.

The official schema ships in the `adaptive_cards` package. Its `$ref`s all point inside the file;
the registry below has no retriever, so a reference to anything else fails instead of fetching.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft6Validator, validators
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT6

from bot.cards.elements import MAX_CARD_BYTES, TOO_BIG
from bot.cards.text import json_size

SCHEMA_ID = "http://adaptivecards.io/schemas/adaptive-card.json"
MARKDOWN_SPECIALS = frozenset("\\`*_~[]()#|&!<>{}")
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# "scheme://" and "www.": what linkifiers turn into links (an escaped "\\://" or "www\\." is not)
URL = re.compile(r"(?i)[a-z0-9+.-]://|www\.")
ACTION_TYPES = frozenset(
    {"Action.Execute", "Action.Submit", "Action.OpenUrl", "Action.ToggleVisibility"}
)


@cache
def card_validator() -> Any:
    """Loaded once per session: the schema is 125 KB and building the validator is not free."""
    text = resources.files("adaptive_cards").joinpath("schemas/schema-1.5.json").read_text("utf-8")
    schema = json.loads(text)
    Draft6Validator.check_schema(schema)
    registry: Registry[Any] = Registry().with_resource(
        SCHEMA_ID, Resource.from_contents(schema, default_specification=DRAFT6)
    )
    fast = validators.extend(Draft6Validator, {"anyOf": _any_of_by_type(schema["definitions"])})
    return fast(schema, registry=registry, format_checker=Draft6Validator.FORMAT_CHECKER)


def _any_of_by_type(definitions: Mapping[str, Any]) -> Callable[..., Iterator[ValidationError]]:
    """Draft 6 `anyOf`, but only trying the branches whose `type` enum can match the element's
    `type`. The others fail on that enum anyway, so the verdict is the same; skipping them makes
    validation about ten times faster (a card element is tried against 16 element kinds)."""
    kinds = {
        f"#/definitions/{name}": frozenset(enum)
        for name, definition in definitions.items()
        if isinstance(enum := definition.get("properties", {}).get("type", {}).get("enum"), list)
    }

    def branch_kinds(branch: Mapping[str, Any]) -> frozenset[str] | None:
        refs = [branch.get("$ref")] + [part.get("$ref") for part in branch.get("allOf", ())]
        found = [kinds[ref] for ref in refs if ref in kinds]
        return found[0] if found else None

    def any_of(
        validator: Any, branches: list[Any], instance: Any, schema: Any
    ) -> Iterator[ValidationError]:
        kind = instance.get("type") if isinstance(instance, dict) else None
        tried = list(enumerate(branches))
        if isinstance(kind, str):
            possible = [(index, branch) for index, branch in tried if _may_be(branch, kind)]
            tried = possible or tried
        errors: list[ValidationError] = []
        for index, branch in tried:
            found = list(validator.descend(instance, branch, schema_path=index))
            if not found:
                return
            errors.extend(found)
        yield ValidationError(
            f"{instance!r} is not valid under any of the given schemas", context=errors
        )

    def _may_be(branch: Any, kind: str) -> bool:
        allowed = branch_kinds(branch) if isinstance(branch, dict) else None
        return allowed is None or kind in allowed

    return any_of


def assert_valid_card(card: Mapping[str, Any]) -> None:
    """Schema-valid 1.5 card, ≤ 28 KB on the wire, unique ids, toggles that point somewhere."""
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.5"
    assert card["$schema"] == SCHEMA_ID
    error = best_match(card_validator().iter_errors(card))
    assert error is None, f"{error.message} at {list(error.absolute_path)}"
    assert json_size(card) <= MAX_CARD_BYTES, f"card is {json_size(card)} bytes"
    ids = [node["id"] for node in walk(card) if "id" in node and "type" in node]
    assert len(ids) == len(set(ids)), f"duplicate element ids {ids}"
    for action in actions(card):
        if action["type"] == "Action.ToggleVisibility":
            assert set(action["targetElements"]) <= set(ids)
    assert TOO_BIG not in rendered_texts(card), "the card hit the size fence"


def assert_inert(card: Mapping[str, Any], *, allowed_urls: frozenset[str] = frozenset()) -> None:
    """No markup, mention, link, control or bidi character reaches what Teams renders."""
    for text in rendered_texts(card):
        assert "](" not in text, text
        assert "<" not in text, text
        assert "{{" not in text, text
        assert not URL.search(text), text
        assert not unescaped_markdown(text), text
        for char in text:
            assert char == "\n" or unicodedata.category(char) not in {"Cc", "Cs"}, repr(char)
            assert char not in BIDI, repr(char)
    for action in actions(card):
        title = action.get("title", "")
        assert "://" not in title, title  # titles render no links: www. is only text there
        assert "<" not in title, title
        assert not any(char in BIDI or unicodedata.category(char) == "Cc" for char in title)
        url = action.get("url")
        assert url is None or url in allowed_urls, url


def unescaped_markdown(text: str) -> list[str]:
    """Markdown characters not preceded by an escaping backslash."""
    found, escaped = [], False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in MARKDOWN_SPECIALS:
            found.append(char)
    return found


def unescape(text: str) -> str:
    """What a markdown renderer shows for escaped text: for comparing with expected words."""
    return re.sub(r"\\(.)", r"\1", text)


def walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def rendered_texts(card: Mapping[str, Any]) -> list[str]:
    """Every string Teams renders with markdown: TextBlock texts and Fact titles and values."""
    texts: list[str] = []
    for node in walk(card):
        if node.get("type") == "TextBlock":
            texts.append(node["text"])
        elif node.get("type") == "FactSet":
            texts.extend(text for fact in node["facts"] for text in (fact["title"], fact["value"]))
    return texts


def visible_text(card: Mapping[str, Any]) -> str:
    return "\n".join(unescape(text) for text in rendered_texts(card))


def actions(card: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [node for node in walk(card) if node.get("type") in ACTION_TYPES]
