from __future__ import annotations

import pytest

from dialogs.grammar.engine.tokens import tokenize
from dialogs.grammar.normalize import normalize


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("<at>Referrals</at> mark 123 won", "mark 123 won"),
        ("<at>Referrals</at>  <at>Referrals</at> mark 123 won", "mark 123 won"),
        ("<at>Referral Bot</at>, mark 123 won", "mark 123 won"),
        ('<at id="0">Referrals</at> show 123', "show 123"),
        ("mark 123 won <at>Referrals</at>", "mark 123 won"),
        ("remove <at>Jane Doe</at>", "remove Jane Doe"),
        ("<at>Contoso Referrals</at> mark 123 won", "mark 123 won"),
        ("add <at>Jane Doe</at> to 123", "add Jane Doe to 123"),
        ("Referrals mark 123 won", "mark 123 won"),
        ("@Referrals: mark 123 won", "mark 123 won"),
        ("referral bot, show 123", "show 123"),
        ("mark 123 won @Referrals", "mark 123 won"),
        ("Referrals", "Referrals"),
        ("my referrals", "my referrals"),
        ("“mark 123 won”", '"mark 123 won"'),
        ("we lost Fabrikam ‘budget’", "we lost Fabrikam 'budget'"),
        ("lost 123 – went with a competitor", "lost 123 - went with a competitor"),
        ("lost 123 — went elsewhere", "lost 123 - went elsewhere"),
        ("value\u00a0123 = 30\u202f000", "value 123 = 30 000"),
        ("won 123 🎉", "won 123"),
        ("👍🏽 mark 123 won ✅", "mark 123 won"),
        ("mark 1️⃣2️⃣3️⃣ won", "mark 123 won"),
        ("mark\u200b 123\ufeff won", "mark 123 won"),
        ("  mark \t 123 \n won  ", "mark 123 won"),
        ("MARK 123 WON", "MARK 123 WON"),
        ("mark 123 won &amp; close it friday", "mark 123 won & close it friday"),
        ("<p>mark 123 won</p>", "mark 123 won"),
        ("show １２３", "show 123"),
        ("value 123 €140.000", "value 123 €140.000"),
        ("", ""),
        ("🎉🎉", ""),
        ("<at>Referrals</at>", ""),
    ],
)
def test_normalize_cleans_what_teams_delivers_and_keeps_casing(raw: str, cleaned: str) -> None:
    assert normalize(raw) == cleaned


def test_normalize_strips_a_custom_bot_name() -> None:
    assert normalize("Dealbot mark 123 won", bot_names=("Dealbot",)) == "mark 123 won"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("note on 123: demo booked.", ["note", "on", "123", ":", "demo", "booked", "."]),
        ("note:demo", ["note", ":", "demo"]),
        ("value=5k", ["value", "=", "5k"]),
        ('"Contoso"', ['"', "Contoso", '"']),
        ("95,000 EUR", ["95,000", "EUR"]),
        ("we lost Fabrikam, budget", ["we", "lost", "Fabrikam", ",", "budget"]),
        ("https://x.example/a", ["https://x.example/a"]),
        ("12:30", ["12:30"]),
        ("(jane@contoso.com)", ["(", "jane@contoso.com", ")"]),
        ("#123", ["#123"]),
    ],
)
def test_tokenize_splits_words_from_punctuation(text: str, words: list[str]) -> None:
    assert [token.text for token in tokenize(text)] == words


def test_tokens_remember_their_place_in_the_message() -> None:
    text = "note on 123: Demo Booked"
    for token in tokenize(text):
        assert text[token.start : token.end] == token.text
        assert token.folded == token.text.casefold()
