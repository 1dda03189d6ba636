"""Is a delivery from Partner Center? The receiver's checks as "Partner Center webhooks" lists them.

"How to authenticate the callback": the required headers are present (`Authorization`,
`x-ms-certificate-url`, `x-ms-signature-algorithm`); the certificate named by the URL is
downloaded, its chain and its Organization verified (bot.inbound.event_certificates); the
signature is checked over the body bytes as received with the given algorithm. Only
`rsa-sha256` (RSA PKCS#1 v1.5, SHA-256) is accepted: the one algorithm the docs name.

`Authorization: Signature <base64>` carries the signature by default; a registration with
`SignatureTokenToMsSignatureHeader: true` moves it to `x-ms-signature` (the docs' sample code
reads that header as `<scheme> <base64>`; a bare base64 value is read too), which then wins.
Every header must appear once: two of a kind are refused rather than guessed between. Anything
else fails closed with a short reason (`NotFromPartnerCenter.reason`) and nothing is fetched
for a request whose headers fail (`signed_delivery` runs before the body is read).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Collection
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from multidict import CIMultiDictProxy
from yarl import URL

from bot.inbound.event_certificates import (
    NotFromPartnerCenter,
    SigningCertificate,
    SigningCertificates,
    allowed_url,
)

ALGORITHM = "rsa-sha256"
SCHEME = "signature"
MAX_SIGNATURE_CHARS = 2048  # base64 of an RSA-8192 signature is 1,368 characters


@dataclass(frozen=True)
class SignedDelivery:
    """What the headers claim: a signature, and where its certificate is."""

    signature: bytes = field(repr=False)
    certificate_url: URL


def signed_delivery(headers: CIMultiDictProxy[str], hosts: Collection[str]) -> SignedDelivery:
    """The headers' claims, or NotFromPartnerCenter; no I/O."""
    algorithm = _one(headers, "x-ms-signature-algorithm", "missing_algorithm")
    if algorithm.strip().lower() != ALGORITHM:
        raise NotFromPartnerCenter("algorithm")
    url = allowed_url(_one(headers, "x-ms-certificate-url", "missing_certificate_url"), hosts)
    return SignedDelivery(_signature(headers), url)


class EventSignatures:
    """Verifies a delivery's signature over its body with the certificate its headers name."""

    def __init__(self, certificates: SigningCertificates) -> None:
        self._certificates = certificates

    async def verify(self, delivery: SignedDelivery, body: bytes) -> None:
        """Returns when the body was signed by the allowed certificate; else raises."""
        certificate = await self._certificates.get(delivery.certificate_url)
        if _signed(certificate, delivery.signature, body):
            return
        renewed = await self._certificates.refresh(delivery.certificate_url, certificate)
        if renewed is certificate or not _signed(renewed, delivery.signature, body):
            raise NotFromPartnerCenter("signature")


def _signed(certificate: SigningCertificate, signature: bytes, body: bytes) -> bool:
    try:
        certificate.key.verify(signature, body, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def _signature(headers: CIMultiDictProxy[str]) -> bytes:
    if "x-ms-signature" in headers:
        value = _one(headers, "x-ms-signature", "missing_signature")
        scheme, _, rest = value.strip().partition(" ")
        encoded = rest if scheme.lower() == SCHEME else value
    else:
        scheme, _, encoded = _one(headers, "Authorization", "missing_signature").partition(" ")
        if scheme.lower() != SCHEME:
            raise NotFromPartnerCenter("signature_scheme")
    encoded = encoded.strip()
    if not encoded or len(encoded) > MAX_SIGNATURE_CHARS:
        raise NotFromPartnerCenter("signature_encoding")
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise NotFromPartnerCenter("signature_encoding") from None


def _one(headers: CIMultiDictProxy[str], name: str, missing: str) -> str:
    values = headers.getall(name, [])
    if not values or not values[0].strip():
        raise NotFromPartnerCenter(missing)
    if len(values) > 1:
        raise NotFromPartnerCenter("duplicate_header")
    return values[0]
