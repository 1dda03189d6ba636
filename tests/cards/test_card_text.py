from __future__ import annotations

import pytest

from bot.cards.text import inert, json_size, plain, shorten
from tests.support.cards import unescape, unescaped_markdown


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        ("[Refund](https://evil.example)", r"\[Refund\]\(https\://evil.example\)"),
        ("**urgent** _now_ ~~old~~ `code`", r"\*\*urgent\*\* \_now\_ \~\~old\~\~ \`code\`"),
        ("<at>Megan Bowen</at> approve", "‹at›Megan Bowen‹/at› approve"),
        ("<b>bold</b> & <script>x</script>", r"‹b›bold‹/b› \& ‹script›x‹/script›"),
        ("![img](x.png)", r"\!\[img\]\(x.png\)"),
        ("a | b # c > d \\ e", r"a \| b \# c › d \\ e"),
        ("see www.evil.example", r"see www\.evil.example"),
        (
            "Due {{DATE(2026-02-14T06:00:00Z, SHORT)}}",
            r"Due \{ \{DATE\(2026-02-14T06:00:00Z, SHORT\)\} \}",
        ),
        ("- not a list", r"\- not a list"),
        ("1. not a list", r"1\. not a list"),
        ("Contoso Ltd", "Contoso Ltd"),
        ("Café Zürich 東京 🚀", "Café Zürich 東京 🚀"),
    ],
)
def test_inert_escapes_markup_links_and_mentions(hostile: str, shown: str) -> None:
    assert inert(hostile, limit=500) == shown


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        ("won\u202eniw", "wonniw"),  # right-to-left override
        ("\u2066isolated\u2069 \u200fmark", "isolated mark"),
        ("bell\x07 null\x00 esc\x1b[31m", r"bell null esc\[31m"),
        ("tab\tseparated", "tab separated"),
        ("line\nbreaks\r\nand\u2028more", "line breaks and more"),
        ("  padded   out  ", "padded out"),
        ("bom\ufeff and \ue000private", "bom and private"),
        ("lone \ud800 surrogate", "lone surrogate"),
    ],
)
def test_inert_strips_control_bidi_and_invisible_characters(hostile: str, shown: str) -> None:
    assert inert(hostile, limit=500) == shown


def test_multiline_text_keeps_its_lines_and_escapes_each_line_start() -> None:
    notes = "Call went well.\n- budget ok\n+ legal next\n2) sign\n\n\n\n# done\n==="
    assert inert(notes, limit=500, multiline=True) == (
        "Call went well.\n\\- budget ok\n\\+ legal next\n2\\) sign\n\n\\# done\n\\==="
    )


def test_plain_text_is_cleaned_but_not_escaped() -> None:
    assert plain("Contoso (EMEA) <at>x</at>\u202e https://evil.example", limit=200) == (
        "Contoso (EMEA) ‹at›x‹/at› https: //evil.example"
    )


def test_short_text_is_not_shortened() -> None:
    assert shorten("Demo booked.", limit=100) == ("Demo booked.", False)


def test_long_text_is_cut_to_its_limit_with_an_ellipsis() -> None:
    text, cut = shorten("word " * 1_000, limit=100)
    assert cut
    assert text.endswith("…")
    assert json_size(text) - 2 <= 100
    assert json_size(text) - 2 > 90


@pytest.mark.parametrize("char", ["[", "🚀", "é", "\\", "<"])
def test_limit_counts_json_bytes_so_escapes_and_emoji_cannot_overflow(char: str) -> None:
    text, cut = shorten(char * 10_000, limit=300)
    assert cut
    assert json_size(text) - 2 <= 300


def test_cutting_never_leaves_a_dangling_escape() -> None:
    for limit in range(10, 40):
        text = inert("[" * 100, limit=limit)
        assert not unescaped_markdown(text)
        assert unescape(text).rstrip("…") == "[" * len(unescape(text).rstrip("…"))


def test_missing_text_becomes_empty() -> None:
    assert inert(None, limit=10) == ""
    assert plain(None, limit=10) == ""
