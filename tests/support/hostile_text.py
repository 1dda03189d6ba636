"""Hostile text for message replies: every way a link, image or tag can hide in plain words.

Markdown links (inline, reference, image), autolinks, bare URLs, `www.`, bare domains,
protocol-relative `//`, e-mail addresses, HTML, HTML entities (named, decimal, hex) that decode
to markup, full-width forms that NFKC turns into markup, zero-width characters, mixed with
words a seller would use. Real TLDs (.com) as well as .example: the auto-linker (linkify-it)
only links bare domains with a TLD it knows.
"""

from __future__ import annotations

from hypothesis import strategies as st

HOSTILE_PIECES = (
    "[Reset your Partner Center password](https://evil.example/reset)",
    "[Approve](https://evil.com/approve)",
    "[r]: https://evil.com\n\n[r]",
    "[click][r]",
    "![x](https://evil.com/x.png)",
    "<https://evil.example>",
    "<phish@evil.com>",
    "https://evil.com/login",
    "http://evil.example",
    "www.evil.com",
    "www.evil.example",
    "//evil.com/x",
    "evil.com",
    "phish@evil.com",
    "mailto:phish@evil.com",
    "javascript:alert(1)",
    '<a href="https://evil.com">Approve</a>',
    "<img src=https://evil.com/x.png onerror=alert(1)>",
    "<script>alert(1)</script>",
    "&lt;a href=https://evil.com&gt;Approve&lt;/a&gt;",
    "&#91;Open&#93;&#40;https&#58;//evil.example&#41;",
    "&#x5b;Open&#x5d;&#x28;https://evil.com&#x29;",
    "&#60;img src=x&#62;",
    "［Approve］（ｈｔｔｐｓ：／／evil.example）",
    "ｈｔｔｐｓ：／／ｅｖｉｌ．ｃｏｍ",
    "＜a href=https://evil.com＞x＜/a＞",
    "evil\u200b.com",
    "http\u200b://evil.com",
    "\u200d[x](https://evil.com)\u2060",
    "**bold** _it_ `code` ~~gone~~",
    "# head\n- item\n1. one\n> quote",
    "\\[escaped\\](https://evil.com)",
    "<at>Megan Bowen</at>",
)
SELLER_WORDS = (
    "mark", "won", "lost", "123", "4711", "Contoso", "deal", "value", "the", "to", "note",
    "please", "Jane", "Doe", "jane.doe@contoso.com", "150k", "next", "Friday", ":", ",", "and",
)  # fmt: skip


def hostile_text(*, max_pieces: int = 5) -> st.SearchStrategy[str]:
    """A few hostile pieces and seller words, sometimes glued together, sometimes spaced."""
    piece = st.one_of(
        st.sampled_from(HOSTILE_PIECES),
        st.sampled_from(SELLER_WORDS),
        st.text(max_size=8),
    )
    glue = st.sampled_from((" ", "", "\n"))
    return st.lists(st.tuples(piece, glue), min_size=1, max_size=max_pieces).map(
        lambda parts: "".join(text + sep for text, sep in parts).strip() or "[x](https://evil.com)"
    )
