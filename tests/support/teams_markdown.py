"""An honest oracle for "this message text is inert": render it the way a Teams client may.

markdown-it-py (CommonMark) with raw HTML on, GFM tables and strikethrough, and linkify-it's
auto-linker (URLs, `www.`, bare domains, protocol-relative `//`, e-mail addresses): more than
Teams is known to render, so text that stays inert here stays inert there. A well-kept renderer
rather than hand-written regexes, so the test does not share the escaper's blind spots.
"""

from __future__ import annotations

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
    return found


def shown_text(text: str) -> str:
    """What a reader sees: the rendered text with markup and escapes gone, lines joined by \\n."""
    lines: list[str] = []
    for token in _renderer().parse(text):
        if token.type == "inline":
            lines.append("".join(_inline_text(token.children or [])))
    return "\n".join(lines)


def _inline_text(children: list[Token]) -> Iterator[str]:
    for child in children:
        if child.type in ("text", "text_special", "code_inline"):
            yield child.content
        elif child.type in ("softbreak", "hardbreak"):
            yield "\n"


def _walk(renderer: MarkdownIt, text: str) -> Iterator[Token]:
    for token in renderer.parse(text):
        yield token
        yield from token.children or ()
