"""A tiny template language for phrasings, so the grammar reads as tables, not regex chains.

    "(mark|set) {ref} [as] {outcome}"

Words match casefolded tokens; `(a|b c)` is a choice, `[…]` an optional choice, `{name}` a slot
whose parser decides which span of tokens it accepts (shortest first). Matching backtracks, and
slot results are cached per span, so a table of templates stays cheap on short messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from dialogs.grammar.problems import Problem
from dialogs.grammar.tokens import Token

T = TypeVar("T")

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


@dataclass(frozen=True)
class Pattern:
    source: str
    nodes: tuple[Node, ...]

    @property
    def words(self) -> frozenset[str]:
        return frozenset(_words(self.nodes))


@dataclass(frozen=True)
class Span:
    tokens: tuple[Token, ...]
    text: str  # the seller's text for these tokens, punctuation inside included


@dataclass(frozen=True)
class SlotParser:
    parse: Callable[[Span], object | None]  # a value, a Problem, or None (not this kind of text)
    max_tokens: int = 8


@dataclass(frozen=True)
class Bindings:
    values: Mapping[str, object]

    def take(self, name: str, kind: type[T]) -> T:
        value = self.values[name]
        if not isinstance(value, kind):
            raise TypeError(f"slot {name} holds {type(value).__name__}, not {kind.__name__}")
        return value

    def maybe(self, name: str, kind: type[T]) -> T | None:
        return self.take(name, kind) if name in self.values else None


@dataclass
class Subject:
    """The tokens to match, plus what a match learns on the way (cache, problems)."""

    tokens: tuple[Token, ...]
    text: str  # the normalized message
    end_offset: int  # where the last token's slot text ends (may include trailing punctuation)
    slots: Mapping[str, SlotParser]
    problems: list[Problem] = field(default_factory=list)
    _cache: dict[tuple[str, int, int], object | None] = field(default_factory=dict)

    def span(self, start: int, end: int) -> Span:
        tokens = self.tokens[start:end]
        stop = self.end_offset if end == len(self.tokens) else tokens[-1].end
        return Span(tokens, self.text[tokens[0].start : stop].strip())

    def slot_value(self, name: str, start: int, end: int) -> object | None:
        key = (name, start, end)
        if key not in self._cache:
            value = self.slots[name].parse(self.span(start, end))
            if isinstance(value, Problem):
                self.problems.append(value)
                value = None
            self._cache[key] = value
        return self._cache[key]


def compile_pattern(source: str) -> Pattern:
    pieces = _TEMPLATE_PIECE.findall(source)
    nodes, position = _parse_sequence(pieces, 0)
    if position != len(pieces):
        raise ValueError(f"unbalanced template: {source}")
    return Pattern(source, nodes)


def match(pattern: Pattern, subject: Subject) -> Bindings | None:
    for values in _match(pattern.nodes, 0, {}, subject):
        return Bindings(values)
    return None


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


def _match(
    nodes: tuple[Node, ...], position: int, values: dict[str, object], subject: Subject
) -> Iterator[dict[str, object]]:
    if not nodes:
        if position == len(subject.tokens):
            yield values
        return
    head, rest = nodes[0], nodes[1:]
    if isinstance(head, Word):
        if position < len(subject.tokens) and subject.tokens[position].folded == head.text:
            yield from _match(rest, position + 1, values, subject)
    elif isinstance(head, Choice):
        for option in head.options:
            yield from _match(option + rest, position, values, subject)
        if head.optional:
            yield from _match(rest, position, values, subject)
    else:
        yield from _match_slot(head, rest, position, values, subject)


def _match_slot(
    slot: Slot,
    rest: tuple[Node, ...],
    position: int,
    values: dict[str, object],
    subject: Subject,
) -> Iterator[dict[str, object]]:
    total = len(subject.tokens)
    if position >= total:
        return
    longest = min(total, position + subject.slots[slot.name].max_tokens)
    ends = range(position + 1, longest + 1) if rest else (total,) if total <= longest else ()
    for end in ends:
        value = subject.slot_value(slot.name, position, end)
        if value is not None:
            yield from _match(rest, end, {**values, slot.name: value}, subject)


def _words(nodes: tuple[Node, ...]) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, Word):
            yield node.text
        elif isinstance(node, Choice):
            for option in node.options:
                yield from _words(option)
