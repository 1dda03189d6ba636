"""If-Match on PATCH: optional, byte-for-byte, `*` accepted, mismatch is an exact 412."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.referrals_http import ReferralsHttp
from tests.support.seeds import DEAL

NOTES = [{"op": "replace", "path": "/details/notes", "value": "concurrent"}]


async def test_matching_if_match_writes(api: ReferralsHttp) -> None:
    etag = await api.etag_of(DEAL)
    answer = await api.patch(DEAL, NOTES, if_match=etag)
    assert answer.status == 204
    assert await api.etag_of(DEAL) != etag


@pytest.mark.parametrize("if_match", ["*", None], ids=["star", "absent"])
async def test_star_or_no_if_match_writes_last_writer_wins(
    api: ReferralsHttp, if_match: str | None
) -> None:
    answer = await api.patch(DEAL, NOTES, if_match=if_match)
    assert answer.status == 204
    assert (await api.get(DEAL)).json["details"]["notes"] == "concurrent"


async def test_a_stale_etag_gets_exactly_the_412_of_the_spec(api: ReferralsHttp) -> None:
    stale = await api.etag_of(DEAL)
    await api.patch(DEAL, [{"op": "replace", "path": "/details/notes", "value": "first"}])
    current = await api.etag_of(DEAL)
    answer = await api.patch(DEAL, NOTES, if_match=stale)
    assert answer.status == 412
    body = answer.json
    assert list(body) == ["error"]
    error = body["error"]
    assert set(error) == {"code", "message", "target", "innerError"}
    assert (error["code"], error["target"]) == ("preconditionFailed", "ETag")
    assert set(error["innerError"]) == {"code", "message"}
    assert error["innerError"]["code"] == "99918"
    assert isinstance(error["message"], str)
    assert isinstance(error["innerError"]["message"], str)
    stored = (await api.get(DEAL)).json
    assert (stored["eTag"], stored["details"]["notes"]) == (current, "first")


@pytest.mark.parametrize(
    "mangle",
    [
        lambda etag: etag.strip('"'),  # quotes dropped
        lambda etag: f"W/{etag}",  # weak form
        lambda etag: etag.upper(),
        lambda etag: '"' + ("1" if etag[1] == "0" else "0") + etag[2:],
    ],
    ids=["unquoted", "weak", "upper", "one-digit-off"],
)
async def test_if_match_must_be_sent_back_byte_for_byte(
    api: ReferralsHttp, mangle: Callable[[str], str]
) -> None:
    etag = await api.etag_of(DEAL)
    assert mangle(etag) != etag
    answer = await api.patch(DEAL, NOTES, if_match=mangle(etag))
    assert answer.status == 412
    assert await api.etag_of(DEAL) == etag


async def test_etag_header_equals_the_body_etag_on_get(api: ReferralsHttp) -> None:
    answer = await api.get(DEAL)
    assert answer.headers["ETag"] == answer.json["eTag"]
    assert answer.headers["ETag"].startswith('"')
    assert answer.headers["ETag"].endswith('"')


async def test_the_header_etag_works_as_if_match(api: ReferralsHttp) -> None:
    header_etag = (await api.get(DEAL)).headers["ETag"]
    assert (await api.patch(DEAL, NOTES, if_match=header_etag)).status == 204


async def test_unknown_referral_is_404_before_the_etag_is_checked(api: ReferralsHttp) -> None:
    answer = await api.patch("nope", NOTES, if_match='"stale"')
    assert answer.status == 404
