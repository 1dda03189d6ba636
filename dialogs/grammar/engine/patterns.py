"""A tiny template language for phrasings, so the grammar reads as tables, not regex chains.

    "(mark|set) {ref} [as] {outcome}"

Words match casefolded tokens; `(a|b c)` is a choice, `[…]` an optional choice, `{name}` a slot
whose parser decides which span of tokens it accepts (shortest first). Matching backtracks, and
slot results are cached per span, so a table of templates stays cheap on short messages.

Each template is compiled once, when its table is built (matchers.py), and knows the words a
match can start with, so most templates are refused on the first token without trying a slot.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from dialogs.grammar.engine.matchers import Matcher, compile_nodes
from dialogs.grammar.engine.nodes import Node, first_words, parse_template, template_words
from dialogs.grammar.engine.problems import Problem
from dialogs.grammar.engine.tokens import Token

T = TypeVar("T")


@dataclass(frozen=True)
class Pattern:
    source: str
    nodes: tuple[Node, ...]
    starts: frozenset[str] | None  # the words a match starts with; None: any (a slot first)
    matcher: Matcher = field(compare=False, repr=False)

    @property
    def words(self) -> frozenset[str]:
        return frozenset(template_words(self.nodes))


@dataclass(frozen=True)
class Span:
    tokens: tuple[Token, ...]
    text: str  # the seller's text for these tokens, punctuation inside included


@dataclass(frozen=True)
class SlotParser:
    parse: Callable[[Span], object | None]  # a value, a Problem, or None (not this kind of text)
    max_tokens: int = 8
    # False: never returns a Problem, so spans the template cannot continue after are skipped.
    # (A Problem is news even when its template fails, so objecting slots see every span.)
    objects: bool = True


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
    nodes = parse_template(source)
    return Pattern(source, nodes, first_words(nodes), compile_nodes(nodes))


def match(pattern: Pattern, subject: Subject) -> Bindings | None:
    """The first reading in template order (choices left to right, shortest slots first)."""
    tokens = subject.tokens
    if pattern.starts is not None and (not tokens or tokens[0].folded not in pattern.starts):
        return None
    values = pattern.matcher(0, {}, subject)
    return None if values is None else Bindings(values)
