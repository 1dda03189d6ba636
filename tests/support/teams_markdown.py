"""An honest oracle for "this message text is inert": render it the way a Teams client may.

markdown-it-py (CommonMark) with raw HTML on, GFM tables and strikethrough, and linkify-it's
auto-linker (URLs, `www.`, bare domains, protocol-relative `//`, e-mail addresses) run twice: on
the markdown, and on the rendered text, as Teams (the Agents Playground) auto-links what reads
as a link once markdown is rendered, escapes or not. More than Teams is known to link, so text
that stays inert here stays inert there. Well-kept libraries rather than hand-written regexes,
so the test does not share the escaper's blind spots.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token

_LIVE = frozenset({"link_open", "image", "html_inline", "html_block"})


def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "linkify": True}).enable(
        ["linkify", "strikethrough", "table"]
    )


def live_markup(text: str) -> list[str]:
    """Every link, image or raw HTML `text` renders to: empty when the text is inert."""
    renderer = _renderer()
    found = [f"{token.type} {token.attrs or token.content!r}" for token in _walk(renderer, text)]
    found = [entry for entry in found if entry.split(" ", 1)[0] in _LIVE]
    html = renderer.render(text)
    found.extend(tag for tag in ("<a ", "<a>", "<img", "<script") if tag in html)
    rendered = _rendered(renderer, text, code=False)  # code spans are never auto-linked
    assert renderer.linkify is not None, "pip install markdown-it-py[linkify]"
    found.extend(f"autolink {match.url}" for match in renderer.linkify.match(rendered) or ())
    return found


def shown_text(text: str) -> str:
    """What a reader sees: the rendered text without markup, escapes or invisible characters."""
    rendered = _rendered(_renderer(), text, code=True)
    return "".join(char for char in rendered if unicodedata.category(char) != "Cf")


def _rendered(renderer: MarkdownIt, text: str, *, code: bool) -> str:
    """The text of every paragraph, heading and cell, lines joined by \\n."""
    lines: list[str] = []
    for token in renderer.parse(text):
        if token.type == "inline":
            lines.append("".join(_inline_text(token.children or [], code=code)))
    return "\n".join(lines)


def _inline_text(children: list[Token], *, code: bool) -> Iterator[str]:
    for child in children:
        if child.type in ("text", "text_special") or (code and child.type == "code_inline"):
            yield child.content
        elif child.type in ("softbreak", "hardbreak"):
            yield "\n"


def _walk(renderer: MarkdownIt, text: str) -> Iterator[Token]:
    for token in renderer.parse(text):
        yield token
        yield from token.children or ()
