from __future__ import annotations

import pytest

from dialogs.grammar.engine.patterns import SlotParser, Span, Subject, compile_pattern, match
from dialogs.grammar.engine.tokens import tokenize


def _subject(text: str) -> Subject:
    def word(span: Span) -> str | None:
        return span.text if len(span.tokens) == 1 else None

    slots = {"x": SlotParser(word, max_tokens=3), "rest": SlotParser(lambda s: s.text, 50)}
    return Subject(tokenize(text), text, len(text), slots)


@pytest.mark.parametrize(
    ("template", "text", "values"),
    [
        ("mark {x} won", "mark 123 won", {"x": "123"}),
        ("mark {x} won", "MARK 123 WON", {"x": "123"}),
        ("(mark|set) {x} [as] won", "set 123 as won", {"x": "123"}),
        ("(mark|set) {x} [as] won", "set 123 won", {"x": "123"}),
        ("(pass on|decline) {x}", "pass on 123", {"x": "123"}),
        ("note [(on|for) {x}] : {rest}", "note on 1: a b", {"x": "1", "rest": "a b"}),
        ("note [(on|for) {x}] : {rest}", "note: a b", {"rest": "a b"}),
        ("[[the] deal] value", "the deal value", {}),
        ("[[the] deal] value", "value", {}),
    ],
)
def test_templates_match_words_choices_and_slots(
    template: str, text: str, values: dict[str, str]
) -> None:
    bindings = match(compile_pattern(template), _subject(text))
    assert bindings is not None
    assert dict(bindings.values) == values


@pytest.mark.parametrize(
    ("template", "text"),
    [
        ("mark {x} won", "mark 123 lost"),
        ("mark {x} won", "mark won"),
        ("mark {x} won", "mark 123 won now"),
        ("(mark|set) {x}", "flag 123"),
        ("value", ""),
    ],
)
def test_templates_reject_other_text(template: str, text: str) -> None:
    assert match(compile_pattern(template), _subject(text)) is None


@pytest.mark.parametrize("template", ["(a|b", "[a", "a)", "(a]"])
def test_broken_templates_fail_at_import_not_at_runtime(template: str) -> None:
    with pytest.raises(ValueError, match="template"):
        compile_pattern(template)


def test_template_words_feed_the_suggestions() -> None:
    assert compile_pattern("(mark|set) {x} [as] won").words == {"mark", "set", "as", "won"}
