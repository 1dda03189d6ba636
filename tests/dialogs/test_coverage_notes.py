"""What a list or a search covered reaches the seller: a capped, stale or loading index says so
after the card, and "not found" says it too (dialogs.replies.coverage_note)."""

from __future__ import annotations

import pytest

from bot.domain.assertion import UserAssertion
from bot.domain.coverage import Coverage
from tests.dialogs.harness import DialogHarness
from tests.dialogs.seed import seed_documents
from tests.support.fakes import FakeReferralsService

CAPPED = Coverage(searched=5000, complete=False)
STALE = Coverage(searched=40, stale=True)
CAPPED_NOTE = "I searched the 5,000 most recently updated referrals you can see."
STALE_NOTE = "Partner Center didn't answer just now, so this may be a little out of date."


class ReportingReferrals(FakeReferralsService):
    """The fake service with the index adapter's optional `coverage`."""

    def __init__(self, coverage: Coverage | None) -> None:
        super().__init__(seed_documents())
        self.covered = coverage

    def coverage(self, *, user: UserAssertion) -> Coverage | None:
        return self.covered


@pytest.mark.parametrize(("coverage", "note"), [(CAPPED, CAPPED_NOTE), (STALE, STALE_NOTE)])
async def test_a_list_from_a_partial_index_shows_the_note_after_the_card(
    coverage: Coverage, note: str
) -> None:
    bot = DialogHarness(referrals=ReportingReferrals(coverage))

    replies = await bot.say("my open referrals")

    assert len(replies.cards) == 1
    assert replies.shown[-1] == note
    assert replies.activities[-1].text == note  # said after the card


async def test_a_complete_index_adds_no_note() -> None:
    bot = DialogHarness(referrals=ReportingReferrals(Coverage(searched=12)))

    replies = await bot.say("my open referrals")

    assert len(replies.cards) == 1
    assert replies.texts == []


async def test_not_found_from_a_capped_index_adds_the_note() -> None:
    bot = DialogHarness(referrals=ReportingReferrals(CAPPED))

    replies = await bot.say("show Zyxwvut Holdings")

    assert replies.cards == []
    assert replies.shown[-1] == CAPPED_NOTE
    assert "Zyxwvut" in replies.shown[0]
