"""The state machine of issue 6 §2: rules that click, write and wait; checks after each.

Every PATCH the emulator records is attributed to the click that caused it: rules run one at a
time, so the PATCHes new since the last rule belong to that rule's pending id. The model
(`tests.system.statemachine.model`) says what each click must answer and what the store must hold.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Coroutine
from contextlib import AsyncExitStack
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
)

from bot.domain.errors import DomainError, SignInRequiredError
from bot.domain.intent import ChangeIntent, Money
from bot.domain.pending import PendingState
from bot.domain.referral import SalesStage
from emulators.azurite import Azurite
from emulators.fixtures import FixtureUser
from emulators.server import RunningEmulators
from tests.support.answers import confirm_id
from tests.support.card_harness import Harness
from tests.support.emulators import OTHER_SELLER, SELLER
from tests.support.world import AZURE, BANK, FABRIKAM
from tests.system.statemachine.model import Proposal, Referrals, Said, said, shows
from tests.system.statemachine.world import OTHER_WRITER, World, open_world

T = TypeVar("T")
OWNED = ((SELLER, AZURE), (SELLER, FABRIKAM), (OTHER_SELLER, BANK))  # who may propose what
SELLERS = (SELLER, OTHER_SELLER)
SEEDED_NOTES = "First call."
INTENTS = st.one_of(
    st.sampled_from([60_000, 75_000, 90_000]).map(
        lambda amount: ChangeIntent(deal_value=Money(Decimal(amount)))
    ),
    st.sampled_from([date(2026, 5, 1), date(2026, 6, 30)]).map(
        lambda day: ChangeIntent(close_date=day)
    ),
    st.sampled_from([SalesStage.DEVELOP, SalesStage.PROPOSE]).map(
        lambda stage: ChangeIntent(sales_stage=stage)
    ),
    st.sampled_from(["CRM-7", "CRM-8"]).map(lambda crm: ChangeIntent(external_reference_id=crm)),
)


class ExactlyOnce(RuleBasedStateMachine):
    pendings = Bundle("pendings")

    def __init__(
        self,
        running: RunningEmulators,
        backend: str,
        db: Path,
        stats: Counter[str],
        azurite: Azurite | None = None,
    ) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.stack = AsyncExitStack()
        self.stats = stats
        self.proposals: dict[str, Proposal] = {}
        self.referrals = Referrals()
        self.seen_patches = 0
        self.read_now: dict[str, dict[str, Any]] = {}  # referrals read since the last invariant
        self.moves: Counter[str] = Counter()  # environment moves made in this example
        self.settled: list[str] = []  # clicked ids that can no longer apply (out of the bundle)
        try:
            self.world: World = self.run(
                self.stack.enter_async_context(open_world(running, backend, db, azurite))
            )
            for referral_id in {referral for _, referral in OWNED}:
                self.referrals.etags[referral_id] = self.read(referral_id)
                self.referrals.notes[referral_id] = SEEDED_NOTES
        except BaseException:
            self.teardown()
            raise
        stats["examples"] += 1

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(work)

    def teardown(self) -> None:
        try:
            self.run(_cancel_stray_tasks())  # a failed gather leaves its siblings running
            self.run(self.stack.aclose())
            self.run(self.loop.shutdown_asyncgens())
            self.run(self.loop.shutdown_default_executor())
        finally:
            self.loop.close()

    def read(self, referral_id: str) -> str:
        """The referral's eTag now; the document is kept for the invariant to check."""
        document, etag = self.run(self.world.read(referral_id))
        self.read_now[referral_id] = document
        return etag

    def count(self, name: str, expected: Said | None = None) -> None:
        self.stats[name] += 1
        event(name)
        if expected is not None:
            self.stats[f"expected:{expected}"] += 1

    @property
    def harness(self) -> Harness:
        return self.world.harness

    def signed_in(self, user: FixtureUser) -> bool:
        return user.oid not in self.harness.assertions.signed_out

    # ---- rules -------------------------------------------------------------------------------

    @initialize(target=pendings, owned=st.sampled_from(OWNED), intent=INTENTS)
    def first_proposal(self, owned: tuple[FixtureUser, str], intent: ChangeIntent) -> Any:
        return self.propose_change(owned, intent)

    @rule(target=pendings, owned=st.sampled_from(OWNED), intent=INTENTS)
    def propose(self, owned: tuple[FixtureUser, str], intent: ChangeIntent) -> Any:
        return self.propose_change(owned, intent)

    def propose_change(self, owned: tuple[FixtureUser, str], intent: ChangeIntent) -> Any:
        user, referral_id = owned
        self.stats["steps"] += 1
        if user.oid in self.world.tokens.expired:
            with pytest.raises(SignInRequiredError):  # the dialog asks to sign in first, so:
                self.run(self.harness.propose(referral_id, intent, user=user))
            self.world.tokens.expired.discard(user.oid)
            self.count("propose:sign_in_first")
        try:
            change = self.run(self.harness.propose(referral_id, intent, user=user))
        except DomainError:
            self.count("propose:nothing_to_change")
            return multiple()
        assert change.etag == self.referrals.etags[referral_id]
        self.prune()
        self.proposals[change.id] = Proposal.of(change, user)
        self.count("propose")
        return change.id

    @rule(target=pendings, pending_id=consumes(pendings))
    def confirm(self, pending_id: str) -> Any:
        return self.back(pending_id, self.confirm_by_owner(pending_id, "confirm"))

    @rule(target=pendings, pending_id=consumes(pendings))
    def duplicate_delivery(self, pending_id: str) -> Any:
        fresh = self.confirm_by_owner(pending_id, "duplicate:1")
        fresh += self.confirm_by_owner(pending_id, "duplicate:2")
        return self.back(pending_id, fresh)

    @rule(target=pendings, pending_id=consumes(pendings))
    def confirm_when_the_answer_is_lost(self, pending_id: str) -> Any:
        """The PATCH lands (or is refused) but the connection drops before the answer."""
        control = self.harness.control
        self.run(control.add_fault("drop_after_write", method="PATCH", times=1))
        try:
            fresh = self.confirm_by_owner(pending_id, "dropped", dropped=True)
        finally:
            self.run(self.harness.clear_faults())
        return self.back(pending_id, fresh)

    @rule(
        target=pendings, pending_id=consumes(pendings), how=st.sampled_from(["assertion", "token"])
    )
    def confirm_signed_out_then_signed_in(self, pending_id: str, how: str) -> Any:
        """No assertion (Teams SSO gone) or an expired token: "sign in", nothing written; then
        the same card works once the seller is signed in again."""
        oid = self.proposals[pending_id].proposer.oid
        signed_out = self.harness.assertions.signed_out if how == "assertion" else None
        (signed_out if signed_out is not None else self.world.tokens.expired).add(oid)
        fresh = self.confirm_by_owner(pending_id, f"signed_out:{how}")
        self.harness.assertions.signed_out.discard(oid)
        self.world.tokens.expired.discard(oid)
        fresh += self.confirm_by_owner(pending_id, "signed_in_again")
        return self.back(pending_id, fresh)

    @rule(target=pendings, pending_id=consumes(pendings), clicks=st.integers(2, 5))
    def concurrent_clicks(self, pending_id: str, clicks: int) -> Any:
        self.stats["steps"] += 1
        proposal = self.proposals[pending_id]
        expected = self.expected(proposal)
        clicking = [self.world.click(pending_id, proposal.proposer) for _ in range(clicks)]
        bodies = self.run(_gather(clicking))
        answers = [said(body) for body in bodies]
        self.count(f"concurrent:{expected}", expected)
        landed, statuses = self.settle(proposal, proposer_clicked=True)
        if expected is not Said.SIGN_IN:  # an expired token: each claimer's PATCH gets a 401
            assert statuses == self.patches_expected(proposal, expected), (expected, statuses)
        winner = _WINNER.get(expected, {expected})
        allowed = {*winner, Said.IN_PROGRESS, *_AFTERWARDS.get(expected, ())}
        assert set(answers) <= allowed, (expected, answers)
        assert winner & set(answers), (expected, answers)
        if expected is Said.SAVED:
            assert answers.count(Said.SAVED) == 1, answers
        assert landed == (1 if expected is Said.SAVED else 0)
        fresh = [found for body in bodies if (found := confirm_id(body)) is not None]
        assert len(fresh) <= 1, "only the click that won the claim may propose again"
        return self.back(pending_id, self.after_confirm(proposal, expected, answers, fresh))

    @rule(data=st.data())
    @precondition(lambda self: bool(self.settled))
    def confirm_a_settled_card(self, data: st.DataObject) -> None:
        """An old card clicked again later: applied, superseded, expired or forgotten."""
        pending_id = data.draw(st.sampled_from(self.settled), label="pending_id")
        assert self.confirm_by_owner(pending_id, "settled") == []

    @rule(pending_id=pendings)
    def confirm_by_another_seller(self, pending_id: str) -> None:
        self.stats["steps"] += 1
        proposal = self.proposals[pending_id]
        other = next(user for user in SELLERS if user.oid != proposal.proposer.oid)
        answer = said(self.run(self.world.click(pending_id, other)))
        self.count("confirm_by_other", answer)
        assert answer is (Said.EXPIRED if proposal.state is None else Said.NOT_YOURS), answer
        assert self.settle(proposal, proposer_clicked=False) == (0, [])

    @rule(pending_id=pendings)
    @precondition(lambda self: self.moves["another_writer"] < 3)
    def another_writer(self, pending_id: str) -> None:
        """An admin elsewhere changes the notes of this change's referral: it is now stale."""
        self.stats["steps"] += 1
        referral_id = self.proposals[pending_id].referral_id
        self.moves["another_writer"] += 1
        marker = f"{len(self.proposals)}.{self.moves['another_writer']}"
        notes = f"Other writer's notes {marker}"
        assert self.run(self.world.other_writer(referral_id, notes, marker)) == 200
        patches = self.new_patches()
        assert [p["headers"]["MS-CorrelationId"] for p in patches] == [f"{OTHER_WRITER}-{marker}"]
        self.referrals.notes[referral_id] = notes
        self.referrals.etags[referral_id] = self.read(referral_id)
        self.count("another_writer")

    @rule(user=st.sampled_from(SELLERS))
    @precondition(lambda self: self.moves["toggle_sign_in"] < 2)
    def toggle_sign_in(self, user: FixtureUser) -> None:
        """Teams SSO: the clicker's assertion is missing (signed out) or back."""
        self.stats["steps"] += 1
        self.moves["toggle_sign_in"] += 1
        self.harness.assertions.signed_out ^= {user.oid}
        self.count("sign_out" if not self.signed_in(user) else "sign_in")

    @rule(user=st.sampled_from(SELLERS))
    @precondition(lambda self: self.moves["toggle_token_expiry"] < 2)
    def toggle_token_expiry(self, user: FixtureUser) -> None:
        """The access token Partner Center gets for `user` is expired (or fresh again)."""
        self.stats["steps"] += 1
        self.moves["toggle_token_expiry"] += 1
        self.world.tokens.expired ^= {user.oid}
        self.count("token_expired" if user.oid in self.world.tokens.expired else "token_renewed")

    @rule(minutes=st.sampled_from([10, 31]))
    @precondition(lambda self: self.moves["advance_clock"] < 2)
    def advance_clock(self, minutes: int) -> None:
        self.stats["steps"] += 1
        self.moves["advance_clock"] += 1
        self.harness.clock.current += timedelta(minutes=minutes)
        self.count(f"clock+{minutes}")
        if self.world.sweeper is not None:  # blob: meanwhile a background sweep round ran
            self.run(self.world.sweeper.sweep_once())
            self.drop_expired()
            self.count("swept")

    # ---- the confirm click and what it must have done ----------------------------------------

    def back(self, pending_id: str, fresh: list[str]) -> Any:
        """Into the bundle again: the clicked change while its card can still apply, and any
        fresh proposal; a settled one goes to `settled` (the bundle favours its newest ids)."""
        proposal = self.proposals[pending_id]
        live = proposal.state is PendingState.PENDING and (
            self.harness.clock.now() < proposal.expires_at
        )
        if not live:
            self.settled.append(pending_id)
        return multiple(*([pending_id] if live else []), *fresh)

    def expected(self, proposal: Proposal) -> Said:
        user = proposal.proposer
        return proposal.expected_answer(
            now=self.harness.clock.now(),
            current_etag=self.referrals.etags[proposal.referral_id],
            signed_in=self.signed_in(user) and user.oid not in self.world.tokens.expired,
        )

    def confirm_by_owner(self, pending_id: str, name: str, *, dropped: bool = False) -> list[str]:
        self.stats["steps"] += 1
        proposal = self.proposals[pending_id]
        expected = self.expected(proposal)
        body = self.run(self.world.click(pending_id, proposal.proposer))
        answer = said(body)
        self.count(f"{name}:{expected}", expected)
        landed, statuses = self.settle(proposal, proposer_clicked=True, dropped=dropped)
        if not dropped:
            assert statuses == self.patches_expected(proposal, expected), (expected, statuses)
        if dropped and expected is Said.REPROPOSED:
            # 412 unseen: the client re-reads; a referral that already shows the change is saved
            assert answer in (Said.REPROPOSED, Said.ALREADY_DONE, Said.SAVED), answer
        elif expected is Said.REPROPOSED:
            assert answer in (Said.REPROPOSED, Said.ALREADY_DONE), answer
        else:
            assert answer is expected, (expected, answer)
        assert landed == (1 if expected is Said.SAVED else 0), (expected, landed)
        found = confirm_id(body)
        return self.after_confirm(proposal, expected, [answer], [found] if found else [])

    def after_confirm(
        self, proposal: Proposal, expected: Said, answers: list[Said], fresh: list[str]
    ) -> list[str]:
        """Move the model as the answers say; the store is compared with it by the invariant."""
        if Said.SIGN_IN in answers:
            proposal.asked_to_sign_in = True
        if Said.SAVED in answers:
            proposal.state = PendingState.APPLIED
            if proposal.asked_to_sign_in:
                self.count("saved_after_sign_in")
            if expected is not Said.SAVED:  # the lost 412's re-read showed the change: no write
                document = self.read_now[proposal.referral_id]
                assert all(shows(document, op["path"], op["value"]) for op in proposal.operations)
        elif expected is Said.REPROPOSED:
            proposal.state = PendingState.SUPERSEDED
        for fresh_id in fresh:
            stored = self.run(self.harness.services.pending.get(fresh_id))
            assert stored is not None
            assert stored.state is PendingState.PENDING
            assert stored.etag == self.referrals.etags[proposal.referral_id]
            assert (stored.proposer_id, stored.referral_id) == (
                proposal.proposer.oid,
                proposal.referral_id,
            )
            self.prune()
            self.proposals[fresh_id] = Proposal.of(stored, proposal.proposer)
        return fresh

    def settle(
        self, proposal: Proposal, *, proposer_clicked: bool, dropped: bool = False
    ) -> tuple[int, list[int | None]]:
        """Attribute the PATCHes of the last click to `proposal`: how many landed, and the
        status of each (None: the answer was dropped)."""
        before = self.referrals.etags[proposal.referral_id]
        patches = self.new_patches()
        landed = unanswered = 0
        for patch in patches:
            assert proposer_clicked, "a PATCH after a click by someone else"
            assert patch["path"].endswith(f"/{proposal.referral_id}")
            assert patch["headers"]["If-Match"] == proposal.etag, "PATCH on another eTag"
            assert patch["body"] == proposal.operations, "PATCH of other operations"
            assert not patch["headers"]["MS-CorrelationId"].startswith(OTHER_WRITER)
            status, fault = patch["status"], patch["fault"]
            if status is not None and 200 <= status < 300:
                landed += 1
            elif status is None:  # answer dropped: whether it wrote shows in the eTag below
                assert dropped, patch
                assert fault == "drop_after_write", patch
                unanswered += 1
            else:
                assert status in (401, 412), patch
        after = self.read(proposal.referral_id)
        if after != before and not landed:
            assert unanswered == 1, "the eTag moved without a PATCH that could have landed"
            landed = 1  # the emulator wrote, then dropped the answer
        assert (after != before) == (landed == 1), "a 2xx PATCH that did not move the eTag"
        assert landed <= 1
        proposal.landed += landed
        assert proposal.landed <= 1, f"pending change {proposal.id[:8]} applied twice"
        if landed:
            assert before == proposal.etag, "a landed PATCH not on the current eTag"
            self.referrals.etags[proposal.referral_id] = after
            self.referrals.record_write(proposal.referral_id, proposal.operations)
            self.count("landed")
        return landed, [patch["status"] for patch in patches]

    def patches_expected(self, proposal: Proposal, expected: Said) -> list[int | None]:
        """The PATCHes a click sends: one when the claim is won and the seller signed in."""
        if expected is Said.SAVED:
            return [200]
        if expected is Said.REPROPOSED:
            return [412]
        if expected is Said.SIGN_IN and self.signed_in(proposal.proposer):
            return [401]  # signed in to Teams, but the Partner Center token has expired
        return []

    def new_patches(self) -> list[dict[str, Any]]:
        recorded = self.run(self.world.patches())
        fresh = recorded[self.seen_patches :]
        self.seen_patches = len(recorded)
        return fresh

    def prune(self) -> None:
        """A put drops every change expired by now that is not being applied (memory, SQLite);
        on Blob a put is one write, and the sweeper drops them (`advance_clock`)."""
        if self.world.sweeper is None:
            self.drop_expired()

    def drop_expired(self) -> None:
        now = self.harness.clock.now()
        for proposal in self.proposals.values():
            if proposal.expires_at <= now and proposal.state is not PendingState.CLAIMED:
                proposal.state = None

    # ---- invariants --------------------------------------------------------------------------

    @invariant()
    def nothing_unattributed_and_nothing_lost(self) -> None:
        """Only PATCHes write; each was accounted for, and every referral read kept them all."""
        assert self.new_patches() == [], "a PATCH no rule accounts for"
        for referral_id, document in self.read_now.items():
            etag = self.referrals.etags[referral_id]
            assert document["eTag"] == etag, f"{referral_id} changed behind the model's back"
            assert document["details"]["notes"] == self.referrals.notes[referral_id], (
                "the other writer's notes were lost"
            )
            for path, value in self.referrals.applied.get(referral_id, {}).items():
                assert shows(document, path, value), f"{referral_id}{path} lost the bot's write"
        self.read_now.clear()

    @invariant()
    def store_matches_the_model(self) -> None:
        for proposal in self.proposals.values():
            assert proposal.landed <= 1
            if proposal.landed:
                assert proposal.state in (PendingState.APPLIED, None)
            stored = self.run(self.harness.services.pending.get(proposal.id))
            state = stored.state if stored is not None else None
            assert state is proposal.state, (proposal.id[:8], state, proposal.state)
            if stored is not None:
                assert stored.etag == proposal.etag
                assert [dict(op) for op in stored.operations] == proposal.operations


# What the click that wins the claim may answer, when it is not simply the expected answer.
_WINNER: dict[Said, set[Said]] = {Said.REPROPOSED: {Said.REPROPOSED, Said.ALREADY_DONE}}
# What other clicks of a concurrent batch may answer once the winner finished.
_AFTERWARDS: dict[Said, tuple[Said, ...]] = {
    Said.SAVED: (Said.ALREADY_SAVED,),
    Said.REPROPOSED: (Said.ALREADY_DONE, Said.SUPERSEDED),
    Said.SIGN_IN: (),
}


async def _cancel_stray_tasks() -> None:
    stray = asyncio.all_tasks() - {asyncio.current_task()}
    for task in stray:
        task.cancel()
    await asyncio.gather(*stray, return_exceptions=True)


async def _gather(clicks: list[Coroutine[Any, Any, dict[str, Any]]]) -> list[dict[str, Any]]:
    return list(await asyncio.gather(*clicks))
