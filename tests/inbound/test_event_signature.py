"""A Partner Center delivery is verified as the docs say, and everything else fails closed.

Real signatures and certificates (tests/support/event_signing.py): a signing CA, a certificate
served over HTTPS at /cert/<name>.cer, downloaded by the bot through its own session.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from bot.inbound.event_certificates import (
    MAX_CERTIFICATE_BYTES,
    NotFromPartnerCenter,
    SigningCertificates,
    allowed_url,
)
from bot.inbound.event_signature import EventSignatures, signed_delivery
from bot.settings import EventSettings
from tests.support.event_signing import (
    CERTIFICATE_NAME,
    SigningAuthority,
    WebhookSigning,
    event_body,
)

BODY = event_body()


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def headers(values: Mapping[str, str] | list[tuple[str, str]]) -> CIMultiDictProxy[str]:
    return CIMultiDictProxy(CIMultiDict(values))


class Verifier:
    """What the endpoint does: headers first (no I/O), then the signature over the body."""

    def __init__(
        self, session: aiohttp.ClientSession, settings: EventSettings, **options: Any
    ) -> None:
        self.settings = settings
        self.certificates = SigningCertificates(session, settings, **options)
        self.signatures = EventSignatures(self.certificates)

    async def verify(self, sent: Mapping[str, str] | list[tuple[str, str]], body: bytes) -> None:
        delivery = signed_delivery(headers(sent), self.settings.certificate_hosts)
        await self.signatures.verify(delivery, body)

    async def reason(self, sent: Mapping[str, str] | list[tuple[str, str]], body: bytes) -> str:
        with pytest.raises(NotFromPartnerCenter) as refused:
            await self.verify(sent, body)
        return refused.value.reason


@pytest.fixture
def verifier(session: aiohttp.ClientSession, webhook_signer: WebhookSigning) -> Verifier:
    return Verifier(session, webhook_signer.settings())


async def test_a_delivery_signed_as_documented_is_accepted(
    verifier: Verifier, webhook_signer: WebhookSigning
) -> None:
    await verifier.verify(webhook_signer.headers(BODY), BODY)

    assert verifier.certificates.downloads == 1


@pytest.mark.parametrize("value", ["Signature {sig}", "{sig}", "signature   {sig}"])
async def test_the_signature_may_come_in_x_ms_signature_instead(
    verifier: Verifier, webhook_signer: WebhookSigning, value: str
) -> None:
    sent = webhook_signer.headers(BODY)
    signature = sent.pop("Authorization").removeprefix("Signature ")
    sent["x-ms-signature"] = value.format(sig=signature)

    await verifier.verify(sent, BODY)


async def test_x_ms_signature_wins_over_another_authorization(
    verifier: Verifier, webhook_signer: WebhookSigning
) -> None:
    sent = webhook_signer.headers(BODY, in_ms_signature=True)
    sent["Authorization"] = "Bearer a-token-for-something-else"

    await verifier.verify(sent, BODY)


@pytest.mark.parametrize(
    ("drop", "reason"),
    [
        ("Authorization", "missing_signature"),
        ("x-ms-certificate-url", "missing_certificate_url"),
        ("x-ms-signature-algorithm", "missing_algorithm"),
    ],
)
async def test_each_missing_header_is_refused_without_a_download(
    verifier: Verifier, webhook_signer: WebhookSigning, drop: str, reason: str
) -> None:
    sent = webhook_signer.headers(BODY)
    del sent[drop]

    assert await verifier.reason(sent, BODY) == reason
    assert verifier.certificates.downloads == 0


@pytest.mark.parametrize("algorithm", ["rsa-sha1", "rsa-sha512", "hmac-sha256", "none", "rsa"])
async def test_only_rsa_sha256_is_accepted(
    verifier: Verifier, webhook_signer: WebhookSigning, algorithm: str
) -> None:
    sent = webhook_signer.headers(BODY) | {"x-ms-signature-algorithm": algorithm}

    assert await verifier.reason(sent, BODY) == "algorithm"
    assert verifier.certificates.downloads == 0


async def test_the_algorithm_name_is_read_regardless_of_case(
    verifier: Verifier, webhook_signer: WebhookSigning
) -> None:
    await verifier.verify(
        webhook_signer.headers(BODY) | {"x-ms-signature-algorithm": "RSA-SHA256"}, BODY
    )


@pytest.mark.parametrize(
    ("authorization", "reason"),
    [
        ("Bearer eyJhbGciOi.x.y", "signature_scheme"),
        ("Signature", "signature_encoding"),
        ("Signature not*base64!", "signature_encoding"),
        ("Signature " + "A" * 4000, "signature_encoding"),
        ("SignatureQUJD", "signature_scheme"),
    ],
)
async def test_a_malformed_authorization_is_refused(
    verifier: Verifier, webhook_signer: WebhookSigning, authorization: str, reason: str
) -> None:
    sent = webhook_signer.headers(BODY) | {"Authorization": authorization}

    assert await verifier.reason(sent, BODY) == reason


async def test_a_header_sent_twice_is_refused_rather_than_guessed(
    verifier: Verifier, webhook_signer: WebhookSigning
) -> None:
    sent = list(webhook_signer.headers(BODY).items())
    sent.append(("X-MS-Certificate-Url", webhook_signer.server.url("/cert/other.cer")))

    assert await verifier.reason(sent, BODY) == "duplicate_header"
    assert verifier.certificates.downloads == 0


@pytest.mark.parametrize(
    "url",
    [
        "http://{host}/cert/{name}.cer",
        "https://other.example/cert/{name}.cer",
        "https://127.0.0.1:1/cert/{name}.cer",
        "https://{host}/cert/{name}.cer?sv=2020",
        "https://{host}/cert/{name}.cer?",
        "https://{host}/cert/{name}.cer#x",
        "https://user:pw@{host}/cert/{name}.cer",
        "https://{host}@evil.example/cert/{name}.cer",
        "https://{host}/cert/../{name}.cer",
        "https://{host}/cert/%2e%2e/{name}.cer",
        "https://{host}/certs/{name}.cer",
        "https://{host}/cert/{name}.pem",
        "https://{host}/cert/sub/{name}.cer",
        "https://{host}\\cert\\{name}.cer",
        "https://{host}/cert/{name}.cer ",
        "ftp://{host}/cert/{name}.cer",
        "//{host}/cert/{name}.cer",
        "/cert/{name}.cer",
        "https://[::1]/cert/{name}.cer",
        "https://{host}/cert/{name}\u00e9.cer",
    ],
)
async def test_a_certificate_url_outside_the_allow_list_is_never_fetched(
    verifier: Verifier, webhook_signer: WebhookSigning, url: str
) -> None:
    named = url.format(host=webhook_signer.server.host, name=CERTIFICATE_NAME)
    sent = webhook_signer.headers(BODY, certificate_url=named)

    assert await verifier.reason(sent, BODY) == "certificate_url"
    assert sum(webhook_signer.server.hits.values()) == 0


def test_the_default_port_and_the_host_s_case_match_the_allow_list() -> None:
    hosts = ["3psostorageacct.blob.core.windows.net"]
    for url in (
        "https://3psostorageacct.blob.core.windows.net/cert/pcnotifications-dispatch.microsoft.com.cer",
        "https://3PSOSTORAGEACCT.blob.core.windows.net:443/cert/a.cer",
    ):
        assert allowed_url(url, hosts).host == "3psostorageacct.blob.core.windows.net"
    with pytest.raises(NotFromPartnerCenter):
        allowed_url("https://3psostorageacct.blob.core.windows.net./cert/a.cer", hosts)


async def test_a_redirect_is_not_followed(
    verifier: Verifier, webhook_signer: WebhookSigning
) -> None:
    server = webhook_signer.server
    server.publish(webhook_signer.certificate, name="elsewhere")
    server.redirects["/cert/moved.cer"] = server.url("/cert/elsewhere.cer")
    sent = webhook_signer.headers(BODY, certificate_url=server.url("/cert/moved.cer"))

    assert await verifier.reason(sent, BODY) == "certificate_download_status"
    assert server.hits["/cert/elsewhere.cer"] == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"0" * (MAX_CERTIFICATE_BYTES + 1), "certificate_too_large"),
        (b"not a certificate", "certificate_unreadable"),
        (
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            "certificate_unreadable",
        ),
    ],
)
async def test_an_oversized_or_unreadable_certificate_is_refused(
    verifier: Verifier, webhook_signer: WebhookSigning, content: bytes, reason: str
) -> None:
    server = webhook_signer.server
    server.files["/cert/odd.cer"] = content
    sent = webhook_signer.headers(BODY, certificate_url=server.url("/cert/odd.cer"))

    assert await verifier.reason(sent, BODY) == reason


async def test_a_missing_certificate_is_refused(
    verifier: Verifier, webhook_signer: WebhookSigning
) -> None:
    sent = webhook_signer.headers(BODY, certificate_url=webhook_signer.server.url("/cert/gone.cer"))

    assert await verifier.reason(sent, BODY) == "certificate_download_status"


async def test_a_storage_server_the_bot_does_not_trust_is_refused(
    session: aiohttp.ClientSession, webhook_signer: WebhookSigning
) -> None:
    untrusting = Verifier(session, webhook_signer.settings(download_ca_file=None))

    assert (
        await untrusting.reason(webhook_signer.headers(BODY), BODY) == "certificate_download_failed"
    )


async def test_a_certificate_from_another_ca_is_refused(
    verifier: Verifier, webhook_signer: WebhookSigning
) -> None:
    impostor = SigningAuthority().certificate_for()  # same name, same organization, other root
    webhook_signer.server.publish(impostor, name="impostor")
    url = webhook_signer.server.url("/cert/impostor.cer")

    reason = await verifier.reason(
        webhook_signer.headers(BODY, signer=impostor, certificate_url=url), BODY
    )

    assert reason == "certificate_chain"


async def test_a_certificate_for_another_name_is_refused(
    verifier: Verifier, webhook_signer: WebhookSigning
) -> None:
    other = webhook_signer.authority.certificate_for("pcnotifications-dispatch.evil.example")
    url = webhook_signer.server.publish(other, name="other-name")

    assert await verifier.reason(
        webhook_signer.headers(BODY, signer=other, certificate_url=url), BODY
    ) == ("certificate_name")


async def test_an_issuer_of_another_organization_is_refused(
    session: aiohttp.ClientSession, webhook_signer: WebhookSigning
) -> None:
    expecting_microsoft = Verifier(
        session, webhook_signer.settings(issuer_organization="Microsoft Corporation")
    )

    assert (
        await expecting_microsoft.reason(webhook_signer.headers(BODY), BODY) == "certificate_issuer"
    )


async def test_an_expired_certificate_is_refused(
    session: aiohttp.ClientSession, webhook_signer: WebhookSigning
) -> None:
    later = Verifier(
        session, webhook_signer.settings(), now=lambda: datetime.now(UTC) + timedelta(days=3650)
    )

    assert await later.reason(webhook_signer.headers(BODY), BODY) == "certificate_chain"


async def test_a_body_changed_after_signing_is_refused(
    verifier: Verifier, webhook_signer: WebhookSigning
) -> None:
    sent = webhook_signer.headers(BODY)
    changed = BODY.replace(b"referral-created", b"referral-updated")

    assert await verifier.reason(sent, changed) == "signature"
    assert await verifier.reason(sent, BODY + b" ") == "signature"


async def test_a_body_re_signed_with_another_key_is_refused(
    verifier: Verifier, webhook_signer: WebhookSigning
) -> None:
    own = SigningAuthority().certificate_for()  # the forger's key, the genuine certificate's URL

    assert await verifier.reason(webhook_signer.headers(BODY, signer=own), BODY) == "signature"


async def test_a_chain_through_an_intermediate_is_accepted_as_pem(
    verifier: Verifier, webhook_signer: WebhookSigning
) -> None:
    issuing = webhook_signer.authority.intermediate()
    leaf = issuing.certificate_for()
    server = webhook_signer.server
    server.files["/cert/chained.cer"] = leaf.pem_chain
    server.files["/cert/leaf-only.cer"] = leaf.der

    chained = webhook_signer.headers(
        BODY, signer=leaf, certificate_url=server.url("/cert/chained.cer")
    )
    leaf_only = webhook_signer.headers(
        BODY, signer=leaf, certificate_url=server.url("/cert/leaf-only.cer")
    )

    await verifier.verify(chained, BODY)
    assert await verifier.reason(leaf_only, BODY) == "certificate_chain"


async def test_a_certificate_is_downloaded_once_for_many_deliveries(
    verifier: Verifier, webhook_signer: WebhookSigning
) -> None:
    bodies = [event_body(referral_id=f"r-{n}") for n in range(20)]

    await asyncio.gather(*(verifier.verify(webhook_signer.headers(body), body) for body in bodies))
    await verifier.verify(webhook_signer.headers(BODY), BODY)

    assert verifier.certificates.downloads == 1
    assert webhook_signer.server.hits[f"/cert/{CERTIFICATE_NAME}.cer"] == 1


async def test_a_refusal_is_remembered_only_briefly(
    session: aiohttp.ClientSession, webhook_signer: WebhookSigning
) -> None:
    clock = Clock()
    verifier = Verifier(
        session, webhook_signer.settings(certificate_failure_seconds=10), clock=clock
    )
    path = f"/cert/{CERTIFICATE_NAME}.cer"
    served = webhook_signer.server.files.pop(path)
    sent = webhook_signer.headers(BODY)
    assert await verifier.reason(sent, BODY) == "certificate_download_status"
    webhook_signer.server.files[path] = served

    assert await verifier.reason(sent, BODY) == "certificate_download_status"  # still remembered
    clock.now += 11
    await verifier.verify(sent, BODY)
    assert verifier.certificates.downloads == 2


async def test_the_cache_is_bounded_and_expires(
    session: aiohttp.ClientSession, webhook_signer: WebhookSigning
) -> None:
    clock = Clock()
    settings = webhook_signer.settings(certificate_cache_size=1, certificate_cache_seconds=100)
    verifier = Verifier(session, settings, clock=clock)
    other_url = webhook_signer.server.publish(webhook_signer.certificate, name="copy")

    await verifier.verify(webhook_signer.headers(BODY), BODY)
    await verifier.verify(webhook_signer.headers(BODY, certificate_url=other_url), BODY)
    await verifier.verify(webhook_signer.headers(BODY), BODY)  # evicted by the other URL
    assert verifier.certificates.downloads == 3
    await verifier.verify(webhook_signer.headers(BODY), BODY)
    assert verifier.certificates.downloads == 3
    clock.now += 101
    await verifier.verify(webhook_signer.headers(BODY), BODY)
    assert verifier.certificates.downloads == 4


async def test_a_renewed_certificate_is_fetched_again_after_a_bad_signature_at_most_once_a_minute(
    session: aiohttp.ClientSession, webhook_signer: WebhookSigning
) -> None:
    clock = Clock()
    verifier = Verifier(session, webhook_signer.settings(), clock=clock)
    await verifier.verify(webhook_signer.headers(BODY), BODY)
    renewed = webhook_signer.authority.certificate_for()
    webhook_signer.server.publish(renewed)  # same URL, new key
    signed_by_renewed = webhook_signer.headers(BODY, signer=renewed)

    assert await verifier.reason(signed_by_renewed, BODY) == "signature"  # cached < 60 s ago
    assert verifier.certificates.downloads == 1
    clock.now += 61
    await verifier.verify(signed_by_renewed, BODY)
    assert verifier.certificates.downloads == 2
    assert await verifier.reason(webhook_signer.headers(BODY), BODY) == "signature"  # old key
    assert verifier.certificates.downloads == 2


async def test_a_signature_of_the_wrong_length_is_a_bad_signature(
    verifier: Verifier, webhook_signer: WebhookSigning
) -> None:
    sent = webhook_signer.headers(BODY) | {"Authorization": "Signature QUJD"}

    assert await verifier.reason(sent, BODY) == "signature"
