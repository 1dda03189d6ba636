"""Partner Center's signing certificate: from an allowed place only, fetched once, verified.

A delivery names the certificate it was signed with (`x-ms-certificate-url`), so the URL is
chosen by whoever sent the request. It is never fetched unless it is `https://<host>[:port]
/cert/<name>.cer` with host[:port] in `REFERRAL_BOT_EVENTS__CERTIFICATE_HOSTS`, no user, query
or fragment; the request is rebuilt from those checked parts, sent over the app's session
without redirects, within `certificate_timeout_seconds`, and read up to `MAX_CERTIFICATE_BYTES`.

What comes back (DER, or PEM with the leaf first and any intermediates after it) must chain to
`trust_ca_file`'s roots (else certifi's) as a TLS server certificate for `certificate_name`
(cryptography's `x509.verification` server verifier: validity, SAN, key usage, serverAuth), be
issued by `issuer_organization` (the docs: "Verify the Organization"), and hold an RSA key of
2048 bits or more. Verified certificates are cached per URL (LRU, `certificate_cache_size`,
`certificate_cache_seconds`, never past their own expiry); a refusal is cached only
`certificate_failure_seconds`. Concurrent first deliveries wait for one download.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import certifi
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError
from yarl import URL

from bot.keyed_locks import KeyedLocks
from bot.settings import EventSettings

MAX_CERTIFICATE_BYTES = 32 * 1024  # a DER certificate is ~2 KB; a PEM chain of four ~10 KB
MAX_URL_CHARS = 2048
MAX_CHAIN = 4  # certificates in one answer: the leaf and up to three intermediates
MIN_RSA_BITS = 2048
REFRESH_AFTER_SECONDS = 60.0  # a bad signature re-fetches a certificate at most this often
_PATH = re.compile(r"/cert/[A-Za-z0-9._-]+\.cer")
_FORBIDDEN = re.compile(r"[?#@\\%\s\x00-\x1f\x7f]")


class NotFromPartnerCenter(Exception):
    """A delivery refused; `reason` is short and safe to log (never a URL, header or body)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, eq=False)
class SigningCertificate:
    """A verified certificate's public key, and when it was fetched (monotonic seconds)."""

    key: RSAPublicKey
    fetched_at: float


@dataclass(frozen=True)
class _Entry:
    outcome: SigningCertificate | NotFromPartnerCenter
    until: float  # monotonic seconds


def allowed_url(raw: str, hosts: Collection[str]) -> URL:
    """The certificate URL rebuilt from its checked parts, or NotFromPartnerCenter."""
    if len(raw) > MAX_URL_CHARS or not raw.isascii() or _FORBIDDEN.search(raw):
        raise NotFromPartnerCenter("certificate_url")
    try:
        parts = urlsplit(raw)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        raise NotFromPartnerCenter("certificate_url") from None
    netloc = host if port is None else f"{host}:{port}"
    place = host if port in (None, 443) else netloc
    if (
        parts.scheme != "https"
        or parts.netloc.lower() != netloc
        or place not in hosts
        or not _PATH.fullmatch(parts.path)
    ):
        raise NotFromPartnerCenter("certificate_url")
    return URL.build(scheme="https", host=host, port=port, path=parts.path, encoded=True)


class SigningCertificates:
    """One per app: the certificate cache, its download locks and the trust roots."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        settings: EventSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._session = session
        self._settings = settings
        self._clock = clock
        self._now = now
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._locks: KeyedLocks[str] = KeyedLocks()
        self._trust: tuple[Store, ssl.SSLContext | bool] | None = None
        self._trust_lock = asyncio.Lock()
        self.downloads = 0  # how many times a certificate was fetched (tests, diagnostics)

    async def get(self, url: URL) -> SigningCertificate:
        """The verified certificate at `url` (cached), or NotFromPartnerCenter."""
        key = str(url)
        entry = self._cached(key)
        if entry is None:
            async with self._locks.hold(key):  # concurrent first deliveries: one download
                entry = self._cached(key) or await self._fetch(url)
        return _outcome(entry)

    async def refresh(self, url: URL, stale: SigningCertificate) -> SigningCertificate:
        """A bad signature may mean a renewed certificate: fetch again, at most once a minute."""
        key = str(url)
        async with self._locks.hold(key):
            entry = self._cached(key)
            old = entry is not None and entry.outcome is stale
            if entry is None or (old and self._clock() - stale.fetched_at >= REFRESH_AFTER_SECONDS):
                entry = await self._fetch(url)
        return _outcome(entry)

    def _cached(self, key: str) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is None or entry.until <= self._clock():
            return None
        self._entries.move_to_end(key)
        return entry

    async def _fetch(self, url: URL) -> _Entry:
        settings = self._settings
        outcome: SigningCertificate | NotFromPartnerCenter
        try:
            outcome, lifetime = await self._verified(url)
        except NotFromPartnerCenter as refused:
            outcome, lifetime = refused, settings.certificate_failure_seconds
        key = str(url)
        entry = self._entries[key] = _Entry(outcome, self._clock() + lifetime)
        self._entries.move_to_end(key)
        while len(self._entries) > settings.certificate_cache_size:
            self._entries.popitem(last=False)
        return entry

    async def _verified(self, url: URL) -> tuple[SigningCertificate, float]:
        """The certificate, and how long to keep it: the cache time, or less if it expires."""
        roots, download_tls = await self._trusted()
        certificates = _parse(await self._download(url, download_tls))
        now = self._now()
        key = verify_certificate(certificates, roots, self._settings, now)
        left = (certificates[0].not_valid_after_utc - now).total_seconds()
        return SigningCertificate(key, self._clock()), min(
            self._settings.certificate_cache_seconds, left
        )

    async def _download(self, url: URL, tls: ssl.SSLContext | bool) -> bytes:
        self.downloads += 1
        timeout = aiohttp.ClientTimeout(total=self._settings.certificate_timeout_seconds)
        try:
            async with self._session.get(
                url, allow_redirects=False, timeout=timeout, ssl=tls
            ) as response:
                if response.status != 200:
                    raise NotFromPartnerCenter("certificate_download_status")
                return await _bounded(response)
        except (TimeoutError, aiohttp.ClientError):
            raise NotFromPartnerCenter("certificate_download_failed") from None

    async def _trusted(self) -> tuple[Store, ssl.SSLContext | bool]:
        """The chain's roots and the download's TLS trust, read from files once (in a thread)."""
        async with self._trust_lock:
            if self._trust is None:
                self._trust = await asyncio.to_thread(
                    _load_trust, self._settings.trust_ca_file, self._settings.download_ca_file
                )
            return self._trust


def verify_certificate(
    certificates: list[x509.Certificate], roots: Store, settings: EventSettings, now: datetime
) -> RSAPublicKey:
    """The leaf's key if the chain, name, issuer organization and key all pass; else refused."""
    leaf, intermediates = certificates[0], certificates[1:]
    if not _names(leaf, settings.certificate_name):
        raise NotFromPartnerCenter("certificate_name")
    verifier = (
        PolicyBuilder()
        .store(roots)
        .time(now)
        .build_server_verifier(x509.DNSName(settings.certificate_name))
    )
    try:
        verifier.verify(leaf, intermediates)
    except VerificationError:
        raise NotFromPartnerCenter("certificate_chain") from None
    organizations = leaf.issuer.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    if [attribute.value for attribute in organizations] != [settings.issuer_organization]:
        raise NotFromPartnerCenter("certificate_issuer")
    key = leaf.public_key()
    if not isinstance(key, RSAPublicKey) or key.key_size < MIN_RSA_BITS:
        raise NotFromPartnerCenter("certificate_key")
    return key


def _names(leaf: x509.Certificate, name: str) -> bool:
    try:
        names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    return name.lower() in (dns.lower() for dns in names.get_values_for_type(x509.DNSName))


def _parse(raw: bytes) -> list[x509.Certificate]:
    try:
        if raw.lstrip().startswith(b"-----BEGIN"):
            certificates = x509.load_pem_x509_certificates(raw)
        else:
            certificates = [x509.load_der_x509_certificate(raw)]
    except ValueError:
        raise NotFromPartnerCenter("certificate_unreadable") from None
    if not 1 <= len(certificates) <= MAX_CHAIN:
        raise NotFromPartnerCenter("certificate_unreadable")
    return certificates


async def _bounded(response: aiohttp.ClientResponse) -> bytes:
    declared = response.content_length
    if declared is not None and declared > MAX_CERTIFICATE_BYTES:
        raise NotFromPartnerCenter("certificate_too_large")
    body = bytearray()
    async for chunk in response.content.iter_chunked(4096):
        body += chunk
        if len(body) > MAX_CERTIFICATE_BYTES:
            raise NotFromPartnerCenter("certificate_too_large")
    return bytes(body)


def _outcome(entry: _Entry) -> SigningCertificate:
    if isinstance(entry.outcome, NotFromPartnerCenter):
        raise NotFromPartnerCenter(entry.outcome.reason)
    return entry.outcome


def _load_trust(
    trust_ca_file: Path | None, download_ca_file: Path | None
) -> tuple[Store, ssl.SSLContext | bool]:
    """Blocking file reads: called through asyncio.to_thread, once per app."""
    pem = Path(trust_ca_file or certifi.where()).read_bytes()
    with warnings.catch_warnings():  # certifi holds a root with a non-positive serial number
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        roots = Store(x509.load_pem_x509_certificates(pem))
    tls: ssl.SSLContext | bool = True  # the system's trust
    if download_ca_file is not None:
        tls = ssl.create_default_context(cafile=str(download_ca_file))
    return roots, tls
