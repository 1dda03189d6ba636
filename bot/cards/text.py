"""Make untrusted text inert before it goes on a card or into a message.

Deal names, customers, notes, member names and reasons come from Partner Center and from other
people. In a TextBlock (and a FactSet) Teams renders a markdown subset, `{{DATE()}}` functions and
`<at>` mentions, so a deal named `[Refund](https://evil.example)` would otherwise become a link.
`inert()` escapes every markdown character, `plain()` is for places that render no markdown
(button titles). Both strip control and bidi-override characters, replace angle brackets, break
`{{` and `scheme://`, and cap the text by its size in the card's JSON, so one long note can
never push a card over Teams' 28 KB limit.

`inert_message()` is for a message's `text`, which Teams renders as markdown with some HTML, and
then auto-links what *looks* like a link in the rendered text (`https://…`, `www.…`, e-mail
addresses; some clients bare domains): a backslash escape stops `[x](…)` but not that, as the
Agents Playground (Teams' renderer) shows. So it cleans like `inert()` (angle brackets become
‹ ›: no tag, no `<https://…>` autolink), puts an invisible word joiner (U+2060) on both sides of
every `.`, `:`, `/` and `@` (no auto-linker reads `www.evil.com`, `https://` or `a@b` as a
link with joiners inside, yet the reader sees the text unchanged), and backslash-escapes every
ASCII punctuation character but `' " , ; ? %` (CommonMark shows an escaped one literally; those
six mean nothing there), so nothing is a link, an image, an entity, a list or a heading,
whatever the text's encoding. Entities are never decoded and full-width forms are left as typed:
markdown reads neither. The outbox sends messages with `textFormat: markdown`, the format this is
for (Teams' `plain` is not honoured by every client, and our own sentences use **bold**).
"""

from __future__ import annotations

import functools
import json
import re
import string
from collections.abc import Callable
from typing import NamedTuple

ELLIPSIS = "…"

# Control characters; bidi embeddings, overrides, isolates and marks (they can make "won" read
# as "now", as in Trojan Source); byte-order and annotation marks; lone surrogates; private use.
_HIDDEN = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff]"
)
_MARKDOWN = str.maketrans({char: f"\\{char}" for char in "\\`*_~[]()#|&!<>{}"})
# Every ASCII punctuation but the sentence marks that neither markdown, HTML nor a link reads;
# the marks that make a link get word joiners (invisible; no auto-linker reads across them).
_MESSAGE_ESCAPES = str.maketrans(
    {
        **{char: f"\\{char}" for char in string.punctuation if char not in "'\",;?%"},
        **{char: f"\u2060\\{char}\u2060" for char in ".:/@"},
    }
)
_RAW_PER_BYTE = 4  # raw characters read per byte shown: plenty for text, drops hostile padding
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_WWW = re.compile(r"(?i)(www)\.")
_BRACES = re.compile(r"([{}])(?=[{}])")
_LIST_MARKER = re.compile(r"^(\s*)([-+=]|\d+[.)])", re.MULTILINE)


def inert(text: str | None, *, limit: int, multiline: bool = False) -> str:
    """Text for a TextBlock or Fact: no markdown, link, mention or control character survives."""
    return shorten(text, limit=limit, multiline=multiline)[0]


def plain(text: str | None, *, limit: int) -> str:
    """Text for places without markdown (button titles): cleaned and capped, nothing escaped."""
    return _cleaned(text, limit, _PLAIN)[0]


def inert_message(text: str | None, *, limit: int) -> str:
    """Untrusted text for a markdown message (one line): shown literally, never a link or tag."""
    return _cleaned(text, limit, _MESSAGE)[0]


def shorten(text: str | None, *, limit: int, multiline: bool = False) -> tuple[str, bool]:
    """`inert()` plus whether the text had to be cut, so the card can say so."""
    return _cleaned(text, limit, _CARD, multiline)


class _Style(NamedTuple):
    """How cleaned text is escaped; `break_links` for places that can't escape `://`."""

    escape: Callable[[str], str]
    break_links: bool = False


def _as_is(text: str) -> str:
    return text


def _cleaned(
    text: str | None, limit: int, style: _Style, multiline: bool = False
) -> tuple[str, bool]:
    text = text or ""
    if len(text) <= _MEMO_MAX_CHARS:
        return _render_memo(text, limit, style, multiline)
    return _render(text, limit, style, multiline)


def _render(text: str, limit: int, style: _Style, multiline: bool) -> tuple[str, bool]:
    window = text[: limit * _RAW_PER_BYTE]
    cleaned = _clean(window, multiline=multiline)
    if style.break_links:
        cleaned = cleaned.replace("://", ": //")
    return _fit(cleaned, limit, style.escape, cut=len(window) < len(text))


# Cards repeat the same labels, help lines and deal names turn after turn: short texts are
# remembered (pure functions of immutable input; bounded in count and in size).
_MEMO_MAX_CHARS = 512
_render_memo = functools.lru_cache(maxsize=3 * 4096)(_render)


def json_size(value: object) -> int:
    """Bytes on the wire: ASCII-escaped JSON, the larger of the encodings Teams may receive."""
    return len(json.dumps(value).encode("ascii"))


def _clean(text: str, *, multiline: bool) -> str:
    text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    text = _HIDDEN.sub("", text)
    text = text.replace("<", "‹").replace(">", "›")
    text = _BRACES.sub(r"\1 ", text)
    if not multiline:
        return _SPACES.sub(" ", text.replace("\n", " ")).strip()
    lines = (_SPACES.sub(" ", line).rstrip() for line in text.split("\n"))
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def _escape(text: str) -> str:
    escaped = text.translate(_MARKDOWN)
    escaped = escaped.replace("://", "\\://")
    escaped = _WWW.sub(r"\1\\.", escaped)
    return _LIST_MARKER.sub(_escape_marker, escaped)


def _escape_all(text: str) -> str:
    return text.translate(_MESSAGE_ESCAPES)


def _escape_marker(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    if marker[0].isdigit():
        return f"{indent}{marker[:-1]}\\{marker[-1]}"
    return f"{indent}\\{marker}"


_PLAIN = _Style(_as_is, break_links=True)
_CARD = _Style(_escape)
_MESSAGE = _Style(_escape_all)


def _fit(text: str, limit: int, render: Callable[[str], str], *, cut: bool) -> tuple[str, bool]:
    """The longest prefix of `text` whose rendering (plus an ellipsis) fits `limit` JSON bytes.
    `cut`: the raw text was already cut before cleaning, so it must end in an ellipsis."""
    whole = render(text)
    if not cut and _size(whole) <= limit:
        return whole, False
    low, high = 0, min(len(text), limit)
    while low < high:
        middle = (low + high + 1) // 2
        if _size(render(text[:middle].rstrip()) + ELLIPSIS) <= limit:
            low = middle
        else:
            high = middle - 1
    return render(text[:low].rstrip()) + ELLIPSIS, True


def _size(text: str) -> int:
    return json_size(text) - 2  # without the quotes
