"""The compiled matchers read exactly as plain backtracking does, only skipping hopeless work.

The oracle below is the straightforward backtracking matcher the compiled one replaced: same
first reading, and the same Problems in the same order (they reach the seller), for random
templates and texts.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs.grammar.engine.matchers import FirstWordIndex
from dialogs.grammar.engine.nodes import Choice, Node, Word, first_words, parse_template
from dialogs.grammar.engine.patterns import SlotParser, Span, Subject, compile_pattern, match
from dialogs.grammar.engine.problems import Problem
from dialogs.grammar.engine.tokens import tokenize


def _objecting(span: Span) -> object | None:
    """Objects to any "d"; reads an odd number of words."""
    if "d" in span.text.split():
        return Problem(f"no d in {span.text}")
    return span.text if len(span.tokens) % 2 else None


def _quiet(span: Span) -> object | None:
    return None if "c" in span.text.split() else span.text.upper()


def _subject(text: str, seen: list[tuple[str, str]]) -> Subject:
    def recorded(name: str, parse: SlotParser) -> SlotParser:
        def parse_and_note(span: Span) -> object | None:
            seen.append((name, span.text))
            return parse.parse(span)

        return SlotParser(parse_and_note, parse.max_tokens, objects=parse.objects)

    slots = {
        "x": recorded("x", SlotParser(_objecting, max_tokens=3)),
        "y": recorded("y", SlotParser(_quiet, max_tokens=3, objects=False)),
    }
    return Subject(tokenize(text), text, len(text), slots)


def _oracle(
    nodes: tuple[Node, ...], at: int, values: dict[str, object], subject: Subject
) -> Iterator[dict[str, object]]:
    if not nodes:
        if at == len(subject.tokens):
            yield values
        return
    head, rest = nodes[0], nodes[1:]
    if isinstance(head, Word):
        if at < len(subject.tokens) and subject.tokens[at].folded == head.text:
            yield from _oracle(rest, at + 1, values, subject)
    elif isinstance(head, Choice):
        for option in head.options:
            yield from _oracle(option + rest, at, values, subject)
        if head.optional:
            yield from _oracle(rest, at, values, subject)
    elif at < len(subject.tokens):
        total = len(subject.tokens)
        longest = min(total, at + subject.slots[head.name].max_tokens)
        ends = range(at + 1, longest + 1) if rest else (total,) if total <= longest else ()
        for end in ends:
            value = subject.slot_value(head.name, at, end)
            if value is not None:
                yield from _oracle(rest, end, {**values, head.name: value}, subject)


def _templates(depth: int = 2) -> st.SearchStrategy[str]:
    piece: st.SearchStrategy[str] = st.sampled_from(["a", "b", "c", "{x}", "{y}"])
    if depth:
        inner = st.lists(_templates(depth - 1), min_size=1, max_size=3)
        choice = st.tuples(st.sampled_from("(["), inner).map(
            lambda found: f"{found[0]}{' | '.join(found[1])}{')' if found[0] == '(' else ']'}"
        )
        piece = piece | choice
    return st.lists(piece, min_size=1, max_size=4).map(" ".join)


@pytest.mark.slow  # Hypothesis, 600 examples (about 2 s)
@settings(max_examples=600, deadline=None)
@given(_templates(), st.lists(st.sampled_from("abcd"), max_size=7).map(" ".join))
def test_compiled_matching_reads_and_objects_as_plain_backtracking_does(
    template: str, text: str
) -> None:
    oracle_seen: list[tuple[str, str]] = []
    oracle_subject = _subject(text, oracle_seen)
    expected = next(_oracle(parse_template(template), 0, {}, oracle_subject), None)

    compiled_seen: list[tuple[str, str]] = []
    subject = _subject(text, compiled_seen)
    found = match(compile_pattern(template), subject)

    assert (dict(found.values) if found else None) == expected
    assert subject.problems == oracle_subject.problems
    objecting_spans = [span for span in oracle_seen if span[0] == "x"]
    assert [span for span in compiled_seen if span[0] == "x"] == objecting_spans


def test_a_quiet_slot_is_not_read_where_the_template_cannot_go_on() -> None:
    seen: list[tuple[str, str]] = []
    found = match(compile_pattern("{y} won"), _subject("a b won", seen))
    assert found is not None
    assert found.values == {"y": "A B"}
    assert seen == [("y", "a b")]  # "a" alone is followed by "b", not "won"


def test_an_objecting_slot_is_read_on_every_span_for_its_problems() -> None:
    seen: list[tuple[str, str]] = []
    subject = _subject("d b lost", seen)
    assert match(compile_pattern("{x} won"), subject) is None
    assert seen == [("x", "d"), ("x", "d b"), ("x", "d b lost")]
    assert [problem.reason for problem in subject.problems] == [
        "no d in d",
        "no d in d b",
        "no d in d b lost",
    ]


def test_choices_keep_their_order_when_several_options_start_alike() -> None:
    found = match(compile_pattern("(a {y} | a b) [b]"), _subject("a b", []))
    assert found is not None
    assert found.values == {"y": "B"}


def test_first_words_say_which_words_a_template_starts_with() -> None:
    assert first_words(parse_template("(mark|set) {x} [as] won")) == frozenset({"mark", "set"})
    assert first_words(parse_template("[the] [deal] value")) == frozenset({"the", "deal", "value"})
    assert first_words(parse_template("[the] {x}")) is None  # a slot may come first
    assert first_words(parse_template("[the]")) is None  # may match nothing


def test_a_first_word_index_keeps_table_order_and_slot_first_entries() -> None:
    index = FirstWordIndex(
        [("mark", frozenset({"mark"})), ("any", None), ("set", frozenset({"set", "mark"}))]
    )
    assert index.at(tokenize("Mark 1 won"), 0) == ("mark", "any", "set")
    assert index.at(tokenize("set 1 won"), 0) == ("any", "set")
    assert index.at(tokenize("show 1"), 0) == ("any",)
    assert index.at((), 0) == ("any",)
