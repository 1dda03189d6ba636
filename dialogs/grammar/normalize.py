"""Clean what Teams delivers before understanding it: mentions, typography, emoji, whitespace.

The result keeps the seller's casing and wording (notes and names are kept as typed); matching
is done later on casefolded tokens.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence

DEFAULT_BOT_NAMES: tuple[str, ...] = ("Referral Bot", "ReferralBot", "Referrals")

_MENTION = re.compile(r"<at\b[^>]*>([^<]*)</at>", re.IGNORECASE)
_FORMATTING_TAG = re.compile(r"</?(?:p|div|span|b|i|u|s|em|strong|br|font)\b[^>]*/?>", re.I)

_TYPOGRAPHY = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′´`", "'"),
        **dict.fromkeys("“”„‟«»″", '"'),
        **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
        **dict.fromkeys("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008", " "),
        **dict.fromkeys("\u2009\u200a\u202f\u205f\u3000\t\n\r\v\f", " "),
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f", ""),
    }
)
# Emoji, pictographs, modifiers, invisible formatting and unassigned code points carry no meaning
# for the grammar; ASCII symbols such as ^ and currency signs (Sc) are kept.
_DROPPED_CATEGORIES = frozenset({"So", "Sk", "Cc", "Cf", "Co", "Cs", "Cn", "Me"})


def normalize(text: str, *, bot_names: Sequence[str] = DEFAULT_BOT_NAMES) -> str:
    """Return the message as plain, single-spaced ASCII-punctuated text, casing untouched."""
    text = html.unescape(text)
    text = _strip_mentions(text, bot_names)
    text = _FORMATTING_TAG.sub(" ", text)
    text = unicodedata.normalize("NFKC", text.translate(_TYPOGRAPHY)).translate(_TYPOGRAPHY)
    if not (text.isascii() and text.isprintable()):  # plain ASCII has no noise to drop
        text = "".join(ch for ch in text if not _is_noise(ch))
    text = " ".join(text.split())
    return _strip_bot_name(text, bot_names)


def _strip_mentions(text: str, bot_names: Sequence[str]) -> str:
    """Drop the bot's mention: any at the start, the bot's name at the end.

    Other mentions are people ("add <at>Jane Doe</at> to 123"): their names stay as text.
    """
    text = text.strip()
    while (first := _MENTION.match(text)) is not None:
        text = text[first.end() :].lstrip(" ,:")
    names = {name.casefold() for name in bot_names}
    while (
        (last := _last_mention(text)) is not None
        and not text[last.end() :].strip(" .!?")
        and last.group(1).strip().casefold() in names
    ):
        text = text[: last.start()].rstrip()
    return _MENTION.sub(lambda found: found.group(1), text)


def _last_mention(text: str) -> re.Match[str] | None:
    mentions = list(_MENTION.finditer(text))
    return mentions[-1] if mentions else None


def _is_noise(ch: str) -> bool:
    if ch == " " or (ch.isascii() and ch.isprintable()):
        return False
    return unicodedata.category(ch) in _DROPPED_CATEGORIES


def _strip_bot_name(text: str, bot_names: Sequence[str]) -> str:
    """A mention Teams did not mark up leaves the bot's bare name ("Referrals mark 123 won")."""
    folded = text.casefold()
    for name in sorted(bot_names, key=len, reverse=True):
        for candidate in (f"@{name}".casefold(), name.casefold()):
            rest = text[len(candidate) :]
            if folded.startswith(candidate) and rest[:1] in (" ", ",", ":") and rest.strip(" ,:"):
                return rest.lstrip(" ,:")
        handle = f" @{name}".casefold()
        if folded.endswith(handle):
            return text[: -len(handle)].rstrip()
    return text
