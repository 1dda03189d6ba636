"""Templates compiled to matcher functions: one per node, each calling the rest of the template.

A matcher returns the slot values of the first complete match in template order (choices left
to right, then an optional choice skipped; slots shortest span first), or None. Two shortcuts
keep that order and its side effects (slot Problems) while skipping work that cannot match:
choices try only options that can start with the next token, and slots that never object skip
spans the rest of the template cannot continue after.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Generic, TypeVar

from dialogs.grammar.engine.nodes import Node, Slot, Word, first_words, leading
from dialogs.grammar.engine.tokens import Token

if TYPE_CHECKING:
    from dialogs.grammar.engine.patterns import Subject

T = TypeVar("T")
Values = dict[str, object]
# From a token position with the slot values so far: the first complete match's values, or None.
Matcher = Callable[[int, Values, "Subject"], Values | None]


class FirstWordIndex(Generic[T]):
    """Items in order, of which only those that can start with a given token are looked up."""

    def __init__(self, items: Iterable[tuple[T, frozenset[str] | None]]) -> None:
        pairs = tuple(items)
        words = {word for _, starts in pairs for word in starts or ()}
        self._anywhere = tuple(item for item, starts in pairs if starts is None)
        self._by_word: Mapping[str, tuple[T, ...]] = {
            word: tuple(item for item, starts in pairs if starts is None or word in starts)
            for word in words
        }

    def at(self, tokens: tuple[Token, ...], position: int) -> tuple[T, ...]:
        if position >= len(tokens):
            return self._anywhere
        return self._by_word.get(tokens[position].folded, self._anywhere)


def compile_nodes(nodes: tuple[Node, ...]) -> Matcher:
    return _compile(nodes, _at_end, ())


def _compile(nodes: tuple[Node, ...], then: Matcher, after: tuple[Node, ...]) -> Matcher:
    """Right to left: each node's matcher calls `then`, the matcher of the nodes `after` it."""
    for at in reversed(range(len(nodes))):
        node, rest = nodes[at], nodes[at + 1 :] + after
        if isinstance(node, Word):
            then = _word(node.text, then)
        elif isinstance(node, Slot):
            then = _slot(node.name, then, last=not rest, followed_by=leading(rest))
        else:
            options = FirstWordIndex(
                (_compile(option, then, rest), first_words(option)) for option in node.options
            )
            then = _choice(options, then if node.optional else None)
    return then


def _at_end(position: int, values: Values, subject: Subject) -> Values | None:
    return values if position == len(subject.tokens) else None


def _word(text: str, then: Matcher) -> Matcher:
    def match_word(position: int, values: Values, subject: Subject) -> Values | None:
        tokens = subject.tokens
        if position < len(tokens) and tokens[position].folded == text:
            return then(position + 1, values, subject)
        return None

    return match_word


def _choice(options: FirstWordIndex[Matcher], skip: Matcher | None) -> Matcher:
    """Options left to right, then (if optional) none of them."""

    def match_choice(position: int, values: Values, subject: Subject) -> Values | None:
        for option in options.at(subject.tokens, position):
            found = option(position, values, subject)
            if found is not None:
                return found
        return None if skip is None else skip(position, values, subject)

    return match_choice


def _slot(
    name: str, then: Matcher, *, last: bool, followed_by: tuple[frozenset[str], bool] | None
) -> Matcher:
    """Shortest span first; a slot ending the template takes all remaining tokens.

    `followed_by`: the words the rest of the template can start with, and whether it can be
    empty (None: it may start with a slot, so any span may do).
    """
    next_words, may_end = followed_by if followed_by is not None else (frozenset(), True)

    def match_slot(position: int, values: Values, subject: Subject) -> Values | None:
        tokens = subject.tokens
        total = len(tokens)
        if position >= total:
            return None
        parser = subject.slots[name]
        longest = min(total, position + parser.max_tokens)
        ends = (
            range(position + 1, longest + 1) if not last else (total,) if total <= longest else ()
        )
        prune = followed_by is not None and not parser.objects
        for end in ends:
            if prune and not (tokens[end].folded in next_words if end < total else may_end):
                continue
            value = subject.slot_value(name, position, end)
            if value is not None:
                found = then(end, {**values, name: value}, subject)
                if found is not None:
                    return found
        return None

    return match_slot
