"""Split a normalized message into words and punctuation, remembering where each came from.

Positions let a slot hand back the seller's exact text (a note, a deal name) for any span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CHUNK = re.compile(r"\S+")
_EQUALS = re.compile(r"(=)")
_LEADING = "\"'([<"
_TRAILING = ",;:!?.)]>\"'"
_PUNCTUATION = frozenset(",;:!?.=()[]<>\"'-/…*&+#")
_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


@dataclass(frozen=True)
class Token:
    text: str  # as typed
    folded: str  # casefolded, what templates compare against
    start: int  # offsets into the normalized message
    end: int

    @property
    def is_punctuation(self) -> bool:
        return all(ch in _PUNCTUATION for ch in self.text)


def tokenize(text: str) -> tuple[Token, ...]:
    tokens: list[Token] = []
    for chunk in _CHUNK.finditer(text):
        tokens.extend(_split_chunk(chunk.group(), chunk.start()))
    return tuple(tokens)


def _split_chunk(chunk: str, offset: int) -> list[Token]:
    """Peel quotes and punctuation off a word; "=" and "label:value" split inside a word too."""
    if _is_plain(chunk):
        return [_token(chunk, offset)]
    head: list[Token] = []
    tail: list[Token] = []
    start, end = 0, len(chunk)
    while start < end - 1 and chunk[start] in _LEADING:
        head.append(_token(chunk[start], offset + start))
        start += 1
    while end - 1 > start and chunk[end - 1] in _TRAILING:
        end -= 1
        tail.insert(0, _token(chunk[end], offset + end))
    return [*head, *_split_inner(chunk[start:end], offset + start), *tail]


def _is_plain(chunk: str) -> bool:
    """Most words: nothing to peel off or split (the common case, kept cheap)."""
    return (
        chunk[0] not in _LEADING
        and chunk[-1] not in _TRAILING
        and "=" not in chunk
        and ":" not in chunk
    )


def _split_inner(word: str, offset: int) -> list[Token]:
    tokens: list[Token] = []
    at = offset
    for part in _EQUALS.split(word):
        if part:
            tokens.extend(_split_label(part, at))
        at += len(part)
    return tokens


def _split_label(word: str, offset: int) -> list[Token]:
    """ "note:demo booked" reads as "note: demo booked"; URLs and times stay whole."""
    label, colon, rest = word.partition(":")
    if colon and label.isalpha() and rest and label.casefold() not in _URL_SCHEMES:
        after = offset + len(label) + 1
        return [_token(label, offset), _token(":", after - 1), _token(rest, after)]
    return [_token(word, offset)]


def _token(text: str, start: int) -> Token:
    return Token(text=text, folded=text.casefold(), start=start, end=start + len(text))
