"""Fresh tokens are answered from memory; a new assertion or an old token goes through msal."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.auth.hot_tokens import HotTokens
from bot.auth.sealed_store import MemoryByteStore
from bot.domain.assertion import UserAssertion
from tests.auth.providers import MakeProvider
from tests.support.emulators import SELLER
from tests.support.identity import IdentityClient, assertion_for

ALICE = UserAssertion(tenant_id="t1", user_id="alice", token="sso-1")


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class CountingStore(MemoryByteStore):
    loads: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    async def load(self, key: str) -> bytes | None:
        self.loads.append(key)
        return await super().load(key)


def test_a_kept_token_is_answered_until_the_margin_before_it_expires() -> None:
    clock = Clock()
    hot = HotTokens(margin_seconds=300, clock=clock)
    hot.keep(ALICE, "at-1", expires_in=3600)

    clock.now += 3299
    assert hot.get(ALICE) == "at-1"
    clock.now += 1
    assert hot.get(ALICE) is None
    assert len(hot) == 0


def test_another_assertion_tenant_or_user_never_gets_the_token() -> None:
    hot = HotTokens()
    hot.keep(ALICE, "at-1", expires_in=3600)

    assert hot.get(UserAssertion("t1", "alice", "sso-2")) is None  # signed in again
    assert hot.get(UserAssertion("t2", "alice", "sso-1")) is None
    assert hot.get(UserAssertion("t1", "bob", "sso-1")) is None
    assert hot.get(ALICE) == "at-1"


def test_a_token_inside_the_margin_is_not_kept() -> None:
    hot = HotTokens(margin_seconds=300)
    hot.keep(ALICE, "at-1", expires_in=299)
    hot.keep(UserAssertion("t1", "bob", "x"), "at-2", expires_in=0)

    assert len(hot) == 0


def test_memory_is_bounded_least_recently_used_first() -> None:
    hot = HotTokens(max_entries=2)
    users = [UserAssertion("t", f"u{n}", "sso") for n in range(3)]
    hot.keep(users[0], "a", 3600)
    hot.keep(users[1], "b", 3600)
    assert hot.get(users[0]) == "a"  # u0 is now the most recent

    hot.keep(users[2], "c", 3600)

    assert len(hot) == 2
    assert hot.get(users[1]) is None
    assert (hot.get(users[0]), hot.get(users[2])) == ("a", "c")


async def test_a_fresh_token_costs_no_storage_read_and_no_identity_request(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    store = CountingStore()
    provider = make_provider(store)
    assertion = assertion_for(SELLER, await identity.sso_token(SELLER))
    first = await provider.get_token(assertion)
    loads, requests = len(store.loads), len(await identity.recorded())

    again = [await provider.get_token(assertion) for _ in range(5)]

    assert again == [first] * 5
    assert len(store.loads) == loads == 1
    assert len(await identity.recorded()) == requests


async def test_a_new_sign_in_goes_through_msal_and_its_cache(
    identity: IdentityClient, make_provider: MakeProvider
) -> None:
    store = CountingStore()
    provider = make_provider(store)
    signed_in = assertion_for(SELLER, await identity.sso_token(SELLER))
    first = await provider.get_token(signed_in)
    renewed = assertion_for(SELLER, await identity.sso_token(SELLER))
    requests = len(await identity.recorded())

    token = await provider.get_token(renewed)

    assert renewed.token != signed_in.token
    assert len(store.loads) == 2  # msal's cache was consulted for the new assertion
    assert token == first  # … and answered from it: still no on-behalf-of request
    assert len(await identity.recorded()) == requests
