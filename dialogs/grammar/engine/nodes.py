"""The template language's syntax: a template's text -> nodes, and what the nodes can start with.

"(mark|set) {ref} [as] {outcome}"  ->  Choice(mark|set), Slot(ref), Choice(as, optional), …
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TEMPLATE_PIECE = re.compile(r"[()\[\]|]|\{\w+\}|[^\s()\[\]|{}]+")


@dataclass(frozen=True)
class Word:
    text: str


@dataclass(frozen=True)
class Slot:
    name: str


@dataclass(frozen=True)
class Choice:
    options: tuple[tuple[Node, ...], ...]
    optional: bool


Node = Word | Slot | Choice
# The words a node sequence can start with, and whether it can match no tokens at all;
# None when a slot may come first (then any token can).
Leading = tuple[frozenset[str], bool] | None


def parse_template(source: str) -> tuple[Node, ...]:
    pieces = _TEMPLATE_PIECE.findall(source)
    nodes, position = _parse_sequence(pieces, 0)
    if position != len(pieces):
        raise ValueError(f"unbalanced template: {source}")
    return nodes


def template_words(nodes: tuple[Node, ...]) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, Word):
            yield node.text
        elif isinstance(node, Choice):
            for option in node.options:
                yield from template_words(option)


def first_words(nodes: tuple[Node, ...]) -> frozenset[str] | None:
    """The words any match must start with; None if it may start with a slot or be empty."""
    found = leading(nodes)
    return None if found is None or found[1] else found[0]


def leading(nodes: tuple[Node, ...]) -> Leading:
    words: set[str] = set()
    for node in nodes:
        if isinstance(node, Slot):
            return None
        if isinstance(node, Word):
            return frozenset(words | {node.text}), False
        empty = node.optional
        for option in node.options:
            found = leading(option)
            if found is None:
                return None
            words |= found[0]
            empty = empty or found[1]
        if not empty:
            return frozenset(words), False
    return frozenset(words), True


def _parse_sequence(pieces: list[str], position: int) -> tuple[tuple[Node, ...], int]:
    nodes: list[Node] = []
    while position < len(pieces) and pieces[position] not in ")]|":
        piece = pieces[position]
        if piece in "([":
            options, position = _parse_options(pieces, position + 1, ")" if piece == "(" else "]")
            nodes.append(Choice(options, optional=piece == "["))
        elif piece.startswith("{"):
            nodes.append(Slot(piece[1:-1]))
            position += 1
        else:
            nodes.append(Word(piece.casefold()))
            position += 1
    return tuple(nodes), position


def _parse_options(
    pieces: list[str], position: int, closer: str
) -> tuple[tuple[tuple[Node, ...], ...], int]:
    options: list[tuple[Node, ...]] = []
    while True:
        option, position = _parse_sequence(pieces, position)
        options.append(option)
        if position >= len(pieces):
            raise ValueError("unclosed choice in template")
        if pieces[position] == closer:
            return tuple(options), position + 1
        if pieces[position] != "|":
            raise ValueError("mismatched brackets in template")
        position += 1
